"""The items of a catalog run: command-line sources, a ``--from`` list, bucket prefixes listed.

Everything streams: a list file is read row by row and a bucket prefix is listed as the run needs
more. A bucket source whose name ends in a video extension is an object (checked as it is: no listing
call per row of a long list); any other bucket source is a prefix, listed recursively. A local folder
named on the command line is walked as ``vidlint check`` walks it (ignore files, exclude patterns).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence

from vidlint.catalog.buckets import is_bucket_url, list_objects
from vidlint.catalog.item import Item
from vidlint.catalog.sources import read_sources
from vidlint.model.source import is_url


def command_line_items(paths: Sequence[str], exclude: Sequence[str] = ()) -> Iterator[Item]:
    """``vidlint check`` paths as items: URLs and bucket sources as given, local paths walked."""
    from vidlint.run.targets import discover

    for path in paths:
        if is_url(path):
            yield Item(path)
        else:
            yield from (Item(t.source) for t in discover([path], exclude=exclude).targets)


def list_items(path: str, column: str | None, meta_columns: Sequence[str]) -> Iterator[Item]:
    return read_sources(path, column=column, meta_columns=meta_columns)


def expanded(items: Iterable[Item]) -> Iterator[Item]:
    """``items`` with each bucket prefix replaced by its objects (the row's metadata on each)."""
    from vidlint.run.targets import VIDEO_EXTENSIONS

    for item in items:
        if is_bucket_url(item.source) and os.path.splitext(item.source)[1].lower() not in VIDEO_EXTENSIONS:
            yield from (Item(url, item.metadata) for url in list_objects(item.source))
        else:
            yield item
