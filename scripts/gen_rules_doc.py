"""Regenerate docs/rules.md, docs/decisions.md, rules/pack.schema.json and rules/compiled.json.

From the packs and check kinds:

    .venv/bin/python scripts/gen_rules_doc.py          # write the four files
    .venv/bin/python scripts/gen_rules_doc.py --check  # exit 1 when any is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vidlint.packs.builtin import COMPILED_FILE, compiled_text
from vidlint.packs.docs import render_decisions, render_reference
from vidlint.packs.schema import pack_schema

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "rules.md"
DECISIONS = ROOT / "docs" / "decisions.md"
SCHEMA = ROOT / "rules" / "pack.schema.json"
COMPILED = ROOT / "rules" / COMPILED_FILE


def schema_text() -> str:
    return json.dumps(pack_schema(), indent=2, ensure_ascii=False) + "\n"


def outputs() -> dict[Path, str]:
    return {
        DOC: render_reference(),
        DECISIONS: render_decisions(),
        SCHEMA: schema_text(),
        COMPILED: compiled_text(ROOT / "rules"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    stale = [path for path, text in outputs().items() if not path.is_file() or path.read_text() != text]
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run scripts/gen_rules_doc.py)", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
