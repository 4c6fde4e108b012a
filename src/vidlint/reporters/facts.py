"""``vidlint probe`` output: MediaFacts as indented ``key: value`` lines, or as versioned JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from vidlint import __version__
from vidlint.model.facts import MediaFacts, as_data
from vidlint.reporters.common import printable


def render_json(facts: Sequence[MediaFacts]) -> str:
    document = {"vidlint": __version__, "facts": [as_data(f) for f in facts]}
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def render_text(facts: Sequence[MediaFacts]) -> str:
    blocks = []
    for one in facts:
        data = as_data(one)
        lines = [printable(str(data.pop("path")))]
        lines += [f"  {key}: {value}" for key, value in _flatten(data, "")]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _flatten(value: Any, prefix: str) -> list[tuple[str, str]]:
    """Nested facts as dotted keys (``video.0.codec``); empty lists and None are left out."""
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in _flatten(item, f"{prefix}{key}.")]
    if isinstance(value, list):
        return [pair for i, item in enumerate(value) for pair in _flatten(item, f"{prefix}{i}.")]
    if value is None:
        return []
    return [(prefix.rstrip("."), printable(str(value).lower() if isinstance(value, bool) else str(value)))]
