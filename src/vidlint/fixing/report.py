"""``vidlint fix`` output: a block per file (text) or one JSON document (``--format json``).

{"vidlint": VERSION, "marketplaces": [ID, ...], "ok": bool,
 "summary": {STATUS: count, ...},
 "files": [{"source", "status", "output", "caption", "command", "steps", "stream_copy", "reason",
            "codes", "seconds"}]}
"""

from __future__ import annotations

import json
from collections import Counter

from vidlint import __version__
from vidlint.fixing.result import FixResult
from vidlint.model.facts import as_data

_WORDS = {
    "fixed": "fixed",
    "passing": "already passing",
    "planned": "would be fixed (dry run)",
    "unfixable": "NOT FIXABLE",
    "conflict": "CONFLICT",
    "error": "ERROR",
}


def render_json(result: FixResult) -> str:
    data = as_data(result)
    document = {"vidlint": __version__, "marketplaces": data["marketplaces"], "ok": result.ok,
                "summary": _summary(result), "files": data["files"]}  # fmt: skip
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def render_text(result: FixResult) -> str:
    lines: list[str] = []
    for item in result.files:
        lines.append(
            f"{item.source}: {_WORDS[item.status]}" + (f" ({', '.join(item.codes)})" if item.codes else "")
        )
        lines += [f"  -> {item.output}"] if item.output else []
        lines += [f"  caption -> {item.caption}"] if item.caption else []
        lines += [f"  {step}" for step in item.steps] if item.status in ("fixed", "planned") else []
        lines += [f"  $ {item.command}"] if item.command else []
        lines += [f"  why: {item.reason}"] if item.reason else []
    counts = ", ".join(f"{n} {_WORDS[s].lower()}" for s, n in _summary(result).items())
    files = f"{len(result.files)} file{'' if len(result.files) == 1 else 's'}"
    lines.append(f"\n{files} for {', '.join(result.marketplaces)}: {counts or 'nothing to do'}")
    return "\n".join(lines) + "\n"


def _summary(result: FixResult) -> dict[str, int]:
    counts: Counter[str] = Counter(f.status for f in result.files)
    return {status: counts[status] for status in _WORDS if counts[status]}
