"""``vidlint fix PATH... -m ID...``: make failing videos pass every chosen marketplace, re-checked.

Exit codes: 0 every file passes now (fixed or already passing; with --dry-run: would pass), 1 some
file is not fixable, in conflict or failed, 2 usage or configuration error. Imported only when the
command runs.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import Any

from vidlint.cli.common import UsageError, positive_int, warn


def add_fix_parser(commands: Any) -> None:
    parser = commands.add_parser("fix", help="fix failing videos for the chosen marketplaces (re-checked)")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="video files or folders")
    parser.add_argument(
        "-m", "--marketplace", action="append", default=[], metavar="ID",
        help="marketplace the output must pass (repeatable, comma-separated; default: config, else all "
        "that judge files)",
    )  # fmt: skip
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "-o", "--out-dir", metavar="DIR", help="folder for the fixed files (default: vidlint-fixed)"
    )
    where.add_argument(
        "--in-place", action="store_true", help="replace each input atomically (never by default)"
    )
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--pad", action="store_true", help="pad to the aspect ratio (the default)")
    shape.add_argument("--crop", action="store_true", help="crop to the aspect ratio instead of padding")
    parser.add_argument(
        "--dry-run", action="store_true", help="print the plan and the commands; write nothing"
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace existing files in the output folder"
    )
    parser.add_argument("--jobs", type=positive_int, default=1, metavar="N", help="files fixed in parallel")
    parser.add_argument("--timeout", type=_positive_float, default=None, metavar="S",
                        help="time limit of each ffmpeg run (default: config, else 600)")  # fmt: skip
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--config", metavar="FILE", help="configuration file (default: found upwards)")
    parser.set_defaults(handler=run_fix)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number above 0: {text!r}")
    return value


def run_fix(args: argparse.Namespace) -> int:
    from vidlint.fixing.fixer import fix_sources
    from vidlint.fixing.report import render_json, render_text

    packs, options, sources = _setup(args)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        result = fix_sources(sources, packs, options)
    finally:
        signal.signal(signal.SIGTERM, previous)
    sys.stdout.write(render_json(result) if args.format == "json" else render_text(result))
    return result.exit_code


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # the same clean-up as Ctrl-C: every ffmpeg stopped, no temporary file left


def _setup(args: argparse.Namespace) -> tuple[dict[str, Any], Any, list[str]]:
    from vidlint.fixing.options import FixOptions
    from vidlint.model.source import is_url
    from vidlint.run.config import load_config, resolve_packs
    from vidlint.run.selection import selected
    from vidlint.run.targets import discover

    if any(is_url(path) for path in args.paths):
        raise UsageError("vidlint fix takes local files: download the video first")
    config = load_config(explicit=args.config)
    packs = selected(resolve_packs(config), args.marketplace or config.marketplaces)
    judging = {pid: p for pid, p in packs.items() if p.checks_files}
    if not judging:
        raise UsageError(f"no chosen marketplace judges files ({', '.join(packs)}): nothing to fix")
    for pid in packs.keys() - judging.keys():
        warn(f"{pid} judges requests, not files: left out of the fix")
    base = config.config_file.parent if config.config_file else None
    found = discover(args.paths, exclude=config.exclude, exclude_base=base)
    for message in found.warnings:
        warn(message)
    sources = list(dict.fromkeys(t.source for t in found.targets))
    table = config.fix
    options = FixOptions(
        out_dir=Path(args.out_dir) if args.out_dir else None,
        in_place=args.in_place,
        dry_run=args.dry_run,
        crop=args.crop,
        overwrite=args.overwrite,
        jobs=args.jobs,
        timeout_s=args.timeout or table.timeout_s or 600.0,
        quality=_quality(table.model_dump(exclude_none=True)),
        progress=args.format == "text" and sys.stderr.isatty(),
    )
    return judging, options, sources


def _quality(table: dict[str, Any]) -> Any:
    from vidlint.fixing.options import Quality

    table.pop("timeout_s", None)
    for key in ("video_codecs", "audio_codecs"):
        if key in table:
            table[key] = tuple(table[key])
    return Quality(**table)
