"""The probe in the calling process: route a source to the backends that can read it.

No isolation here: ``vidlint.probing.worker`` runs ``probe_path`` in a killable worker process, and
callers of ``probe_stream`` (e.g. the HTTP source) provide their own.
"""

from __future__ import annotations

from vidlint.errors import ProbeError
from vidlint.model.facts import MediaFacts
from vidlint.probing import assemble, captions, images, sniff
from vidlint.probing.assemble import Source
from vidlint.probing.parts import one_line
from vidlint.probing.paths import open_regular, shown
from vidlint.probing.reading import SeekableReader, read_at
from vidlint.probing.video import probe_video

IMAGE_EXTENSIONS = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic", ".avif"}
)


def probe_path(path: str, *, name: str | None = None, deadline_s: float | None = None) -> MediaFacts:
    """Facts about a local file (ProbeError when it cannot be opened), reported under ``name``
    (default: ``path``); ``deadline_s`` (time.monotonic) bounds the ffprobe second opinion."""
    name = path if name is None else name
    reader, size = open_regular(path, name)
    with reader:
        return _probe(reader, Source(name, size), local_path=path, deadline_s=deadline_s)


def probe_stream(reader: SeekableReader, *, name: str, size: int | None) -> MediaFacts:
    """Facts from a seekable binary reader (header-only, like ``probe``), in this process.

    ``name`` gives the extension (a URL's path counts); ``size`` None means "seek to the end to find it".
    """
    try:
        known = size if size is not None else reader.seek(0, 2)
    except (OSError, ValueError) as exc:
        raise ProbeError(one_line(f"cannot seek in {shown(name)}: {exc}")) from None
    return _probe(reader, Source(name, known), local_path=None, deadline_s=None)


def _probe(
    reader: SeekableReader, source: Source, *, local_path: str | None, deadline_s: float | None
) -> MediaFacts:
    try:
        return _route(reader, source, local_path, deadline_s)
    except OSError as exc:
        raise ProbeError(one_line(f"read error in {shown(source.path)}: {exc}")) from None


def _route(
    reader: SeekableReader, source: Source, local_path: str | None, deadline_s: float | None
) -> MediaFacts:
    size = source.size_bytes or 0
    caption_format = captions.format_for(source.extension)
    wants_image = source.extension in IMAGE_EXTENSIONS
    if size == 0:
        caption = captions.parse(b"", caption_format) if caption_format else None
        return assemble.empty(source, caption, images.parse(b"", None) if wants_image else None)
    head = read_at(reader, 0, min(size, sniff.HEAD_BYTES))
    sniffed = sniff.parse(head, sniff.mime_type(head))
    if caption_format or sniffed.webvtt:
        text = read_at(reader, 0, min(size, captions.MAX_BYTES))
        return assemble.caption(
            source, sniffed, captions.parse(text, caption_format, sniffed_vtt=sniffed.webvtt)
        )
    if sniffed.image_format or wants_image:
        data = read_at(reader, 0, min(size, images.MAX_BYTES))
        return assemble.image(source, sniffed, images.parse(data, sniffed.image_format))
    if sniffed.text:
        return assemble.text(source, sniffed)
    return probe_video(reader, source, head, sniffed, local_path=local_path, deadline_s=deadline_s)
