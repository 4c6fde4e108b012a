"""Google Merchant product feeds: each product's ``video_link``, its ``title`` as request metadata.

XML (RSS 2.0 ``<item>`` or Atom ``<entry>``, the ``g:`` namespace or none) is read with defusedxml's
iterparse: a feed comes from outside (a supplier, a feed tool), and defusedxml refuses entity
declarations and external references, the XML bombs and file reads that the standard parser would
expand or follow. Each product is dropped from the tree as soon as it is read, so a feed of any length
takes the memory of one product. A TSV feed is a header row naming ``video_link`` (and ``title``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from vidlint.catalog.item import Item, SourceListError

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

VIDEO_LINK = "video_link"
TITLE = "title"
_PRODUCTS = frozenset({"item", "entry"})


def is_merchant_header(names: Sequence[str]) -> bool:
    """Whether a table's header is a Merchant feed's: it has a ``video_link`` column."""
    return VIDEO_LINK in _normal(names)


def merchant_row(
    reader: Iterator[list[str]], names: Sequence[str], path: str, meta_columns: Sequence[str]
) -> Iterator[Item]:
    """The items of a TSV feed: ``video_link`` (comma-separated links allowed), ``title`` as metadata."""
    columns = _normal(names)
    link = columns.index(VIDEO_LINK)
    wanted = [TITLE, *meta_columns]
    extra = {name: columns.index(name) for name in wanted if name in columns}
    for row in reader:
        cells = row[link] if link < len(row) else ""
        metadata = {name: row[i] for name, i in extra.items() if i < len(row) and row[i] != ""}
        for url in (u.strip() for u in cells.split(",")):
            if url:
                yield Item(url, metadata or None)


def read_xml_feed(stream: Any, path: str, meta_columns: Sequence[str]) -> Iterator[Item]:
    """The items of an RSS or Atom feed, one product at a time."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    stack: list[Element] = []
    try:
        for event, element in iterparse(stream, events=("start", "end")):
            if event == "start":
                stack.append(element)
                continue
            stack.pop()
            if _local(element.tag) in _PRODUCTS:
                yield from _product(element, meta_columns)
                if stack:
                    stack[-1].remove(element)  # forget it: the tree never holds more than one product
    except ParseError as exc:
        raise SourceListError(f"--from {path}: not a readable XML feed ({exc})") from None
    except DefusedXmlException as exc:
        raise SourceListError(f"--from {path}: refused: the feed declares {exc}") from None


def _product(element: Element, meta_columns: Sequence[str]) -> Iterator[Item]:
    fields: dict[str, list[str]] = {}
    for child in element:
        text = (child.text or "").strip()
        if text:
            fields.setdefault(_local(child.tag), []).append(text)
    metadata: dict[str, Any] = {}
    for name in (TITLE, *meta_columns):
        if name in fields:
            metadata[name] = fields[name][0]
    for url in fields.get(VIDEO_LINK, ()):
        yield Item(url, metadata or None)


def _local(tag: str) -> str:
    """``{namespace}name`` -> ``name``."""
    return tag.rsplit("}", 1)[-1]


def _normal(names: Sequence[str]) -> list[str]:
    return [name.strip().lower().replace(" ", "_") for name in names]
