"""URL syntax, link kinds and extensions: pure functions, no network."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidlint.remote import classify_link, is_url, url_extension, url_problem


@pytest.mark.parametrize(
    ("url", "kind", "platform"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "platform", "youtube"),
        ("https://youtu.be/dQw4w9WgXcQ", "platform", "youtube"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "platform", "youtube"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "platform", "youtube"),
        ("https://www.youtube.com/watch", "page", "youtube"),
        ("https://www.youtube.com/@somechannel", "page", "youtube"),
        ("https://www.youtube.com/results?search_query=drill", "page", "youtube"),
        ("https://vimeo.com/76979871", "platform", "vimeo"),
        ("https://vimeo.com/76979871/8272103f6e", "platform", "vimeo"),
        ("https://player.vimeo.com/video/76979871", "platform", "vimeo"),
        ("https://vimeo.com/channels/staffpicks/76979871", "platform", "vimeo"),
        ("https://vimeo.com/someuser", "page", "vimeo"),
        ("https://www.tiktok.com/@shop/video/7212345678901234567", "platform", "tiktok"),
        ("https://fb.watch/abcDEF123/", "platform", "facebook"),
        ("https://www.dailymotion.com/video/x8abcd", "platform", "dailymotion"),
        ("https://notyoutube.com/watch?v=dQw4w9WgXcQ", "unknown", None),
        ("https://cdn.example.com/v/clip.MP4?sig=abc&exp=1", "file", None),
        ("https://cdn.example.com/v/clip.webm", "file", None),
        ("https://shop.example.com/", "page", None),
        ("https://shop.example.com", "page", None),
        ("https://shop.example.com/product/42.html", "page", None),
        ("https://shop.example.com/download?id=42", "unknown", None),
    ],
)
def test_classify_link(url: str, kind: str, platform: str | None) -> None:
    assert classify_link(url) == (kind, platform)


def test_platform_hosts_are_data() -> None:
    hosts = {"acmetube": ("acme.tv",)}
    assert classify_link("https://www.acme.tv/v/1", hosts) == ("platform", "acmetube")
    assert classify_link("https://www.youtube.com/watch?v=dQw4w9WgXcQ", hosts) == ("unknown", None)


@pytest.mark.parametrize(
    ("url", "extension"),
    [
        ("https://a.example/x/video.MP4", ".mp4"),
        ("https://a.example/x/video.mov?sig=a.b.c", ".mov"),
        ("https://a.example/x/my%20clip.Mp4#t=3", ".mp4"),
        ("https://a.example/x/archive.tar.gz", ".gz"),
        ("https://a.example/x/", ""),
        ("https://a.example", ""),
        ("https://a.example/.hidden", ""),
    ],
)
def test_url_extension(url: str, extension: str) -> None:
    assert url_extension(url) == extension


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.com/video.mp4",
        "http://cdn.example.com:8080/a/b/video.mov?sig=x",
        "HTTPS://CDN.EXAMPLE.COM/VIDEO.MP4",
        "http://127.0.0.1:8000/v.mp4",
        "http://[::1]:8000/v.mp4",
        "https://bücher.example/v.mp4",
        "http://localhost/v.mp4",
    ],
)
def test_valid_urls(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("cdn.example.com/video.mp4", "http:// or https://"),
        ("ftp://cdn.example.com/video.mp4", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("https://", "no host"),
        ("https:///video.mp4", "no host"),
        ("https://cdn.example.com/my video.mp4", "spaces"),
        (" https://cdn.example.com/video.mp4", "spaces"),
        ("https://cdn.example.com:70000/video.mp4", "malformed"),
        ("https://cdn.example.com:port/video.mp4", "malformed"),
        ("https://[::1/video.mp4", "malformed"),
        ("https://-cdn.example.com/video.mp4", "host name"),
        ("https://cdn_example.com/video.mp4", "host name"),
        ("https://" + "a" * 64 + ".com/video.mp4", "host name"),
    ],
)
def test_invalid_urls(url: str, reason: str) -> None:
    problem = url_problem(url)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://a.example/v.mp4", True),
        ("ftp://a.example/v.mp4", True),
        ("videos/v.mp4", False),
        ("C:\\videos\\v.mp4", False),
        ("/tmp/https://x", False),
        (42, False),
    ],
)
def test_is_url(source: object, expected: bool) -> None:
    assert is_url(source) is expected


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_arbitrary_text_never_raises(text: str) -> None:
    problem = url_problem(text)
    kind, _ = classify_link(text)
    assert kind in ("file", "platform", "page", "unknown")
    assert url_extension(text) == url_extension(text).lower()
    if problem is None:  # whatever is accepted, a downloader can parse as http(s) with a host
        parsed = httpx.URL(text)
        assert parsed.scheme in ("http", "https") and parsed.host


_label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


@settings(max_examples=150)
@given(
    scheme=st.sampled_from(["http", "https", "HTTPS"]),
    labels=st.lists(_label, max_size=3),
    tld=st.from_regex(r"[a-z]{2,8}", fullmatch=True),  # an all-digit host would be read as an IPv4 address
    port=st.none() | st.integers(1, 65535),
    segments=st.lists(st.from_regex(r"[A-Za-z0-9._~-]{1,12}", fullmatch=True), max_size=4),
)
def test_well_formed_urls_are_accepted(
    scheme: str, labels: list[str], tld: str, port: int | None, segments: list[str]
) -> None:
    netloc = ".".join([*labels, tld]) + (f":{port}" if port is not None else "")
    url = f"{scheme}://{netloc}/" + "/".join(segments)
    assert url_problem(url) is None
