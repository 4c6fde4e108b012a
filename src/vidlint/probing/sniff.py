"""Content sniffing on the first bytes: MIME type (libmagic), ISO BMFF brand, Matroska DocType."""

from __future__ import annotations

import codecs as text_codecs
from dataclasses import dataclass
from typing import Any

from vidlint.probing.boxes import parse_header

HEAD_BYTES = 16 * 1024
# QuickTime files written without an ftyp start with one of these atoms
_QUICKTIME_FIRST = {"moov", "mdat", "wide", "free", "skip", "pnot"}
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"
_DOCTYPE_ID = b"\x42\x82"
_MIME_CONTAINERS = {
    "video/webm": "webm",
    "video/x-matroska": "matroska",
    "video/x-msvideo": "avi",
    "video/mp2t": "mpegts",
    "video/mpeg": "mpeg-ps",
    "video/x-flv": "flv",
    "video/ogg": "ogg",
    "application/ogg": "ogg",
    "video/x-ms-asf": "asf",
    "video/quicktime": "mov",
    "video/mp4": "mp4",
}
_IMAGE_SUBTYPES = {"x-ms-bmp": "bmp", "svg+xml": "svg", "x-icon": "ico", "vnd.microsoft.icon": "ico"}
_TEXT_MIMES = {"application/x-subrip", "application/json", "application/xml", "application/csv"}


@dataclass(frozen=True, slots=True)
class Sniff:
    content_type: str | None
    container: str | None = None  # mp4, mov, matroska, webm, avi, png, jpeg, ...
    major_brand: str | None = None
    iso: bool = False  # ISO base media / QuickTime box structure
    text: bool = False
    webvtt: bool = False
    image_format: str | None = None

    @property
    def video_container(self) -> bool:
        return self.iso or self.container in _MIME_CONTAINERS.values()


def mime_type(head: bytes) -> str | None:
    """libmagic's MIME type for the head bytes (never ``from_file``, which reads megabytes)."""
    try:
        return str(_magic().from_buffer(head, mime=True))
    except Exception:  # libmagic missing or failing must not stop a probe: content_type stays unknown
        return None


LIBMAGIC_SONAME = "libmagic.so.1"  # Debian's libmagic1, Fedora's file-libs, Alpine's libmagic


def _magic() -> Any:
    """python-magic, with libmagic loaded by its soname. python-magic's own loader asks
    ``ctypes.util.find_library`` first, which on Linux runs ``/sbin/ldconfig -p`` in a subprocess, twice
    (its module and its compat module each load the library): ~10 ms of every cold check. Where the
    soname loads, the import is given a stand-in loader that returns it; anywhere else (macOS, Windows,
    a library under another name) python-magic's own loader runs, as before."""
    import sys

    if "magic" not in sys.modules and sys.platform.startswith("linux"):
        import ctypes
        import types

        try:
            library = ctypes.CDLL(LIBMAGIC_SONAME)
        except OSError:
            library = None
        if library is not None:
            stand_in = types.ModuleType("magic.loader")
            stand_in.load_lib = lambda: library  # type: ignore[attr-defined]
            sys.modules["magic.loader"] = stand_in
            try:
                import magic
            finally:
                if sys.modules.get("magic.loader") is stand_in:
                    del sys.modules["magic.loader"]
    import magic

    return magic


def parse(head: bytes, content_type: str | None) -> Sniff:
    brand, iso_container = _iso(head)
    image = _image_format(content_type)
    return Sniff(
        content_type=content_type,
        container=image or iso_container or _ebml_doctype(head) or _MIME_CONTAINERS.get(content_type or ""),
        major_brand=brand,
        iso=iso_container is not None,
        text=_is_text(head, content_type),
        webvtt=_is_webvtt(head),
        image_format=image,
    )


def _iso(head: bytes) -> tuple[str | None, str | None]:
    """(major brand, "mp4" | "mov") for ISO BMFF content, (None, None) otherwise."""
    first = parse_header(head[:16], 0, max(len(head), 16))
    if first is None:
        return None, None
    if first.kind == "ftyp":
        if len(head) < 12:
            return None, None
        brand = head[8:12].decode("latin-1")
        return brand, "mov" if brand == "qt  " else "mp4"
    return (None, "mov") if first.kind in _QUICKTIME_FIRST else (None, None)


def _ebml_doctype(head: bytes) -> str | None:
    if not head.startswith(_EBML_MAGIC):
        return None
    at = head.find(_DOCTYPE_ID, 4, 64)
    if at < 0 or at + 3 > len(head):
        return "matroska"
    size_byte = head[at + 2]
    if not size_byte & 0x80:  # only the one-byte size form is used for a DocType in practice
        return "matroska"
    doctype = head[at + 3 : at + 3 + (size_byte & 0x7F)]
    return "webm" if doctype == b"webm" else "matroska"


def _image_format(content_type: str | None) -> str | None:
    if not content_type or not content_type.startswith("image/"):
        return None
    subtype = content_type.split("/", 1)[1]
    return _IMAGE_SUBTYPES.get(subtype, subtype.removeprefix("x-").removeprefix("vnd."))


def _is_text(head: bytes, content_type: str | None) -> bool:
    if content_type is not None:
        return content_type.startswith("text/") or content_type in _TEXT_MIMES
    try:  # no libmagic: valid UTF-8 without NUL bytes is text
        text_codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        return False
    return b"\x00" not in head


def _is_webvtt(head: bytes) -> bool:
    body = head.removeprefix(b"\xef\xbb\xbf")
    return body.startswith(b"WEBVTT") and (len(body) == 6 or body[6:7] in (b" ", b"\t", b"\n", b"\r"))
