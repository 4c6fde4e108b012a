"""Source lists: lines, tables, JSON Lines, Merchant feeds (TSV, RSS, Atom), read as streams."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vidlint.catalog.item import Item, SourceListError
from vidlint.catalog.sources import read_sources

RSS = """<?xml version="1.0"?>
<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0"><channel><title>shop</title>
<item><g:id>1</g:id><title>Red shoe</title><g:video_link>https://cdn.example/a.mp4</g:video_link></item>
<item><g:id>2</g:id><g:title>Blue</g:title><g:description>d</g:description>
<g:video_link>https://cdn.example/b.mp4</g:video_link></item>
<item><g:id>3</g:id><title>No video</title></item>
</channel></rss>
"""
ATOM = """<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">
<entry><title>Lamp</title><g:video_link>s3://bucket/lamp.mp4</g:video_link></entry></feed>"""
BOMB = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<rss><channel><item><title>&b;</title><g:video_link xmlns:g="x">u</g:video_link></item></channel></rss>"""


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_one_source_per_line_skips_blanks_and_comments(tmp_path: Path) -> None:
    path = _write(tmp_path, "list.txt", "# header\nhttps://a/x.mp4\n\n  clip.mp4  \n")
    assert list(read_sources(path)) == [Item("https://a/x.mp4"), Item("clip.mp4")]


def test_csv_column_and_meta_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "c.csv", 'sku,url,title\n1,https://a/x.mp4,"Red, big"\n2,https://a/y.mp4,\n')
    items = list(read_sources(path, column="url", meta_columns=["title"]))
    assert items == [Item("https://a/x.mp4", {"title": "Red, big"}), Item("https://a/y.mp4")]
    assert [i.source for i in read_sources(path)] == ["1", "2"]  # default: the first column


def test_unknown_column_names_the_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "c.csv", "sku,url\n1,x\n")
    with pytest.raises(SourceListError, match=r"no column 'link'.*'sku', 'url'"):
        list(read_sources(path, column="link"))


def test_jsonl_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, "l.jsonl", '{"url": "https://a/x.mp4", "title": "T"}\n\n{"url": "b.mp4"}\n')
    items = list(read_sources(path, column="url", meta_columns=["title"]))
    assert items == [Item("https://a/x.mp4", {"title": "T"}), Item("b.mp4")]
    bad = _write(tmp_path, "bad.jsonl", '{"url": "x"}\n{"url": \n')
    with pytest.raises(SourceListError, match="line 2: not valid JSON"):
        list(read_sources(bad))


def test_merchant_tsv_feed_is_recognised(tmp_path: Path) -> None:
    text = "id\ttitle\tvideo_link\n1\tShoe\thttps://a/1.mp4,https://a/2.mp4\n2\tHat\t\n"
    path = _write(tmp_path, "feed.txt", text)
    assert list(read_sources(path)) == [
        Item("https://a/1.mp4", {"title": "Shoe"}),
        Item("https://a/2.mp4", {"title": "Shoe"}),
    ]


def test_merchant_rss_and_atom_feeds(tmp_path: Path) -> None:
    rss = _write(tmp_path, "feed", RSS)
    assert list(read_sources(rss, meta_columns=["description"])) == [
        Item("https://cdn.example/a.mp4", {"title": "Red shoe"}),
        Item("https://cdn.example/b.mp4", {"title": "Blue", "description": "d"}),
    ]
    atom = _write(tmp_path, "feed.xml", ATOM)
    assert list(read_sources(atom)) == [Item("s3://bucket/lamp.mp4", {"title": "Lamp"})]


def test_a_feed_declaring_entities_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "bomb.xml", BOMB)
    with pytest.raises(SourceListError, match="refused"):
        list(read_sources(path))


def test_broken_xml_is_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "cut.xml", RSS[:200])
    with pytest.raises(SourceListError, match="not a readable XML feed"):
        list(read_sources(path))


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("a.mp4\nhttps://x/b.mp4\n"))
    assert [i.source for i in read_sources("-")] == ["a.mp4", "https://x/b.mp4"]


def test_a_feed_is_streamed_one_product_at_a_time(tmp_path: Path) -> None:
    """A feed far larger than the sniffed head yields its first product before reading the rest."""
    products = "".join(
        f"<item><title>t{i}</title><g:video_link>https://a/{i}.mp4</g:video_link></item>"
        for i in range(20000)
    )
    path = _write(tmp_path, "big.xml", f'<rss xmlns:g="g"><channel>{products}</channel></rss>')
    items = read_sources(path)
    assert next(items) == Item("https://a/0.mp4", {"title": "t0"})
    assert sum(1 for _ in items) == 19999


_SOURCE = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda s: s.strip() == s and not s.startswith(("#", "<", "{")))


@given(st.lists(_SOURCE, max_size=30))
def test_any_list_of_lines_round_trips(sources: list[str]) -> None:
    """Hostile lines (any text, any length, split wherever the sniffed head ends) come back as written."""
    import tempfile

    body = "".join(f"{s}\n" for s in sources)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.txt"
        path.write_text(body, encoding="utf-8")
        assert [i.source for i in read_sources(str(path))] == sources


@given(st.text(max_size=300), st.sampled_from(["list.txt", "t.csv", "t.tsv", "r.jsonl", "f.xml", "feed"]))
def test_any_text_gives_items_or_one_line_error(text: str, name: str) -> None:
    """Whatever a list holds, reading it yields items or raises SourceListError: never another error."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            items = list(read_sources(str(path), meta_columns=["title"]))
        except SourceListError as exc:
            assert "\n" not in str(exc)
        else:
            assert all(isinstance(i.source, str) and i.source for i in items)
