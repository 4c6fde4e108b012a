"""``vidlint pack new ID`` (a commented starter pack and its cases) and ``vidlint pack test PACK [CASES]``
(runs a pack's cases, prints what fails). Exit codes: 0 every case passed (or the files were written),
1 some case failed, 2 a usage error or a pack / case file with mistakes (all of them, one line each).
Only argparse is imported here; the rest when a sub-command runs (never on ``vidlint check``)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidlint.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError

if TYPE_CHECKING:
    from vidlint.packs.cases import CaseResult

PACK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # the pack file's own rule (vidlint.packs.loader.PackFile)
CASES_SUFFIX = ".cases.toml"


def add_pack_parser(commands: Any) -> None:
    """The ``pack`` command and its actions, on the top-level sub-parsers ``commands``."""
    parser = commands.add_parser("pack", help="write and test a rule pack of your own")
    actions = parser.add_subparsers(
        title="actions", metavar="ACTION", parser_class=type(parser), required=True
    )
    new = actions.add_parser("new", help="write a commented starter pack ID.toml and its cases ID.cases.toml")
    new.add_argument(
        "pack_id", metavar="ID", help="the marketplace's id: lower-case letters, digits, - and _"
    )
    new.add_argument("--dir", default=".", metavar="DIR", help="where to write them (default: .)")
    new.set_defaults(handler=write_starter)
    test = actions.add_parser("test", help="run a pack's cases and print what fails")
    test.add_argument("pack_file", metavar="PACK.toml", help="the pack file")
    test.add_argument(
        "case_file",
        nargs="?",
        metavar="CASES.toml",
        help="its cases (default: NAME.cases.toml beside NAME.toml)",
    )
    test.set_defaults(handler=run_tests)


# --- new ---------------------------------------------------------------------------------------


def write_starter(args: argparse.Namespace) -> int:
    pack_id: str = args.pack_id
    if not PACK_ID.match(pack_id):
        raise UsageError(
            f"pack id {pack_id!r}: use lower-case letters, digits, - and _, starting with a letter or digit"
        )
    from vidlint.packs.builtin import pack_ids

    if pack_id in pack_ids():
        raise UsageError(f"{pack_id!r} is a built-in marketplace: choose another id for your pack")
    folder = Path(args.dir)
    pack_file, case_file = folder / f"{pack_id}.toml", folder / f"{pack_id}{CASES_SUFFIX}"
    for path in (pack_file, case_file):
        if path.exists() or path.is_symlink():
            raise UsageError(f"{path} already exists: not overwriting it (remove it, or use --dir)")
    texts = starter_texts(pack_id, pack_file.name, case_file.name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in zip((pack_file, case_file), texts, strict=True):
            with path.open("x", encoding="utf-8") as handle:  # "x": never replaces a file made meanwhile
                handle.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {exc.filename or folder}: {exc.strerror or exc}") from None
    print(f"wrote {pack_file} and {case_file}")
    print(f"next: edit the limits, then run: vidlint pack test {pack_file}")
    return EXIT_OK


def starter_texts(pack_id: str, pack_name: str, case_name: str) -> tuple[str, str]:
    """The starter pack and its case file for ``pack_id`` (the templates beside vidlint.packs)."""
    from vidlint.packs.builtin import packs_dir

    templates = Path(__file__).resolve().parents[1] / "packs"
    title = " ".join(word.capitalize() for word in re.split(r"[-_]+", pack_id) if word) or pack_id
    names = {
        "SCHEMA_URI": (packs_dir() / "pack.schema.json").resolve().as_uri(),
        "MYMARKET": re.sub(r"[^A-Z0-9]+", "_", pack_id.upper()),
        "mymarket": pack_id,
        "MYNAME": title,
        "PACK_FILE": pack_name,
        "CASE_FILE": case_name,
    }
    texts = []
    for template in ("starter.toml", "starter.cases.toml"):
        text = (templates / template).read_text(encoding="utf-8")
        for placeholder, value in names.items():
            text = text.replace(placeholder, value)
        texts.append(text)
    return texts[0], texts[1]


# --- test --------------------------------------------------------------------------------------


def run_tests(args: argparse.Namespace) -> int:
    from vidlint.packs.cases import read_case_file, run_case_file
    from vidlint.packs.loader import load_pack_file

    pack_file = Path(args.pack_file)
    case_path = Path(args.case_file) if args.case_file else default_cases(pack_file)
    pack = load_pack_file(pack_file)  # RulePackError: every mistake of the pack, one line each
    if not args.case_file and not case_path.exists():
        raise UsageError(f"no case file {case_path}: write one, or name it (vidlint pack test PACK CASES)")
    results = run_case_file(read_case_file(case_path), pack)  # CaseFileError: likewise
    failed = [result for result in results if not result.ok]
    out = sys.stdout
    for result in failed:
        out.write(failure_text(result))
    passed = len(results) - len(failed)
    out.write(f"{case_path}: {len(results)} cases against {pack.id}: {passed} passed, {len(failed)} failed\n")
    return EXIT_FINDINGS if failed else EXIT_OK


def default_cases(pack_file: Path) -> Path:
    """NAME.cases.toml beside NAME.toml."""
    return pack_file.with_name(pack_file.name.removesuffix(".toml") + CASES_SUFFIX)


def failure_text(result: CaseResult) -> str:
    """What a failing case expected and got, and each finding's values."""
    from vidlint.reporters.common import printable, reason

    lines = [
        f"FAIL {printable(result.name)}",
        f"  expected: {', '.join(sorted(result.expected)) or '(no finding)'}",
        f"  got:      {', '.join(result.got) or '(no finding)'}",
    ]
    if result.expected_passed is not None and result.expected_passed is not result.passed:
        lines.append(f"  expected the video to {'pass' if result.expected_passed else 'fail'}; it "
                     f"{'passed' if result.passed else 'failed'}")  # fmt: skip
    for finding in result.findings:
        lines.append(
            f"    {finding.severity:<7} {finding.code} [{finding.rule}]  {printable(reason(finding))}"
        )
    return "\n".join(lines) + "\n"
