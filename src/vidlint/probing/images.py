"""Image backend (Pillow): the format, and whether the picture really decodes."""

from __future__ import annotations

import io
import warnings

from vidlint.model.facts import ImageFacts
from vidlint.probing.parts import one_line

MAX_BYTES = 64 * 1024 * 1024
MAX_DECODE_PIXELS = 40_000_000  # verify() only above this: a full decode would cost too much memory


def parse(data: bytes, sniffed_format: str | None) -> ImageFacts:
    from PIL import Image, UnidentifiedImageError

    if not data:
        return ImageFacts(format=sniffed_format, decodes=False, error="empty file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns about large images before it refuses them
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = (image.format or "").lower() or sniffed_format, image.size
                image.verify()
            if width * height <= MAX_DECODE_PIXELS:
                with Image.open(io.BytesIO(data)) as image:
                    image.load()
    except UnidentifiedImageError:  # its message names the in-memory buffer, not the file
        error = f"not a readable {sniffed_format} image" if sniffed_format else "not an image"
        return ImageFacts(format=sniffed_format, decodes=False, error=error)
    except Exception as exc:  # Pillow raises many types (OSError, SyntaxError, struct.error...) on bad data
        return ImageFacts(format=sniffed_format, decodes=False, error=one_line(f"does not decode: {exc}"))
    return ImageFacts(format=fmt, decodes=True, width=width, height=height)
