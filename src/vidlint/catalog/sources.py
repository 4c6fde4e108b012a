"""Reading a list of sources, streamed: one per line, CSV/TSV/JSONL columns, or a product feed.

A source list is read one row at a time and never held whole, so a file of a million URLs costs the
memory of one row. The kind of file is told from its name (``.csv``, ``.tsv``, ``.jsonl``/``.ndjson``,
``.xml``/``.rss``/``.atom``), else from its first non-blank character (``<`` a feed, ``{`` JSON Lines);
anything else is one source per line (blank lines and ``#`` comments skipped). A Google Merchant
product feed (XML with ``g:video_link``, or a TSV whose header has ``video_link``) is recognised by
its content and read by vidlint.catalog.feeds.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from vidlint.catalog.item import Item, SourceListError

_SNIFF_CHARS = 4096
_KINDS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xml": "xml", ".rss": "xml"}
_KINDS[".atom"] = "xml"


def read_sources(path: str, *, column: str | None = None, meta_columns: Sequence[str] = ()) -> Iterator[Item]:
    """The items of the list at ``path`` (``-``: standard input), in file order, streamed.

    ``column`` names the column that holds the source (default: the first column; for a product
    feed, ``video_link``); ``meta_columns`` are other columns passed as request metadata.
    """
    with _opened(path) as stream:
        head = stream.read(_SNIFF_CHARS)
        text = _Rewound(head, stream)
        kind = _kind(path, head)
        if kind == "xml":
            from vidlint.catalog.feeds import read_xml_feed

            yield from read_xml_feed(text, path, meta_columns)
        elif kind == "jsonl":
            yield from _jsonl(text, path, column, meta_columns)
        elif kind in ("csv", "tsv"):
            try:
                yield from _table(text, path, "\t" if kind == "tsv" else ",", column, meta_columns)
            except csv.Error as exc:  # a field over the csv module's limit (128 KiB), a stray quote
                raise SourceListError(f"--from {path}: not a readable table ({exc})") from None
        else:
            yield from _lines(text)


def count_rows(path: str) -> int | None:
    """About how many sources ``path`` lists (its non-blank lines), for a progress bar's ETA; None for
    standard input or a feed (XML), which cannot be counted without reading it twice."""
    if path == "-" or _KINDS.get(_suffix(path)) == "xml":
        return None
    try:
        with open(path, "rb") as stream:
            return sum(1 for line in stream if line.strip())
    except OSError:
        return None


@contextmanager
def _opened(path: str) -> Iterator[TextIO]:
    if path == "-":
        yield sys.stdin
        return
    with contextlib.ExitStack() as stack:
        try:
            stream = stack.enter_context(open(path, encoding="utf-8-sig", errors="strict", newline=""))
        except OSError as exc:
            raise SourceListError(f"--from {path}: cannot read: {exc.strerror or exc}") from None
        try:
            yield stream
        except UnicodeDecodeError as exc:
            raise SourceListError(f"--from {path}: not UTF-8 text (byte {exc.start})") from None


class _Rewound:
    """A text stream whose first characters were read already (to tell its kind): they come first."""

    def __init__(self, head: str, rest: TextIO) -> None:
        self._lines = _chain_lines(head, rest)
        self._head, self._rest = head, rest

    def read(self, size: int | None = -1) -> str:
        if self._head:
            if size is None or size < 0:
                out, self._head = self._head + self._rest.read(), ""
                return out
            out, self._head = self._head[:size], self._head[size:]
            return out
        return self._rest.read(-1 if size is None else size)

    def __iter__(self) -> Iterator[str]:
        return self._lines


def _chain_lines(head: str, rest: TextIO) -> Iterator[str]:
    """The lines of ``head`` + ``rest``, the line cut by the sniff joined again."""
    pieces = head.splitlines(keepends=True)
    carry = pieces.pop() if pieces and not pieces[-1].endswith(("\n", "\r")) else ""
    yield from pieces
    for line in rest:
        if carry:
            line, carry = carry + line, ""
        yield line
    if carry:
        yield carry


def _suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1].lower()
    return name[name.rfind(".") :] if "." in name else ""


def _kind(path: str, head: str) -> str:
    by_name = _KINDS.get(_suffix(path))
    if by_name is not None:
        return by_name
    first = head.lstrip()[:1]
    if first == "<":
        return "xml"
    if first == "{":
        return "jsonl"
    header = head.split("\n", 1)[0].lower()
    if "\t" in header and "video_link" in header.replace(" ", "_").split("\t"):
        return "tsv"
    return "lines"


def _lines(stream: _Rewound) -> Iterator[Item]:
    for line in stream:
        text = line.strip()
        if text and not text.startswith("#"):
            yield Item(text)


def _table(
    stream: _Rewound, path: str, delimiter: str, column: str | None, meta_columns: Sequence[str]
) -> Iterator[Item]:
    from vidlint.catalog.feeds import is_merchant_header, merchant_row

    reader = csv.reader(stream, delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        return
    names = [name.strip() for name in header]
    if column is None and is_merchant_header(names):
        yield from merchant_row(reader, names, path, meta_columns)
        return
    where = _column_index(names, column, path)
    extra = {name: _column_index(names, name, path) for name in meta_columns}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if where >= len(row):
            raise SourceListError(f"--from {path}: row {number} has no column {names[where]!r}")
        source = row[where].strip()
        if source:
            metadata = {name: row[i] for name, i in extra.items() if i < len(row) and row[i] != ""}
            yield Item(source, metadata or None)


def _column_index(names: Sequence[str], column: str | None, path: str) -> int:
    if column is None:
        return 0
    try:
        return list(names).index(column)
    except ValueError:
        raise SourceListError(
            f"--from {path}: no column {column!r} (the header has {', '.join(map(repr, names))})"
        ) from None


def _jsonl(stream: _Rewound, path: str, column: str | None, meta_columns: Sequence[str]) -> Iterator[Item]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise SourceListError(f"--from {path}: line {number}: not valid JSON ({exc})") from None
        if not isinstance(row, dict) or not row:
            raise SourceListError(f"--from {path}: line {number}: expected a JSON object")
        key = column if column is not None else next(iter(row))
        source = row.get(key)
        if not isinstance(source, str) or not source.strip():
            raise SourceListError(f"--from {path}: line {number}: no text in {key!r}")
        metadata = {name: row[name] for name in meta_columns if name in row}
        yield Item(source.strip(), metadata or None)
