"""``vidlint upload``: check a video, then upload it to a marketplace (one of vidlint.providers).

Credentials never come from arguments (they would land in shell history): they come from
``VIDLINT_<MARKETPLACE>_<FIELD>`` environment variables or the credentials file (``--credentials``).
Exit codes of ``upload``: 0 sent (and accepted, or still processing), 1 the pre-flight failed or the
provider refused or failed, 2 usage or configuration errors.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from vidlint.providers import PROVIDERS  # names only: no client is imported to list them

if TYPE_CHECKING:  # the CLI builds its parser at every start: the heavy modules load in the handlers
    from vidlint.clients.results import UploadResult
    from vidlint.clients.waiting import PollSchedule
    from vidlint.model.report import Finding

PUBLISH_TIMEOUT_S = 3600.0


def add_upload_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("upload", help="check a video, then upload it to a marketplace")
    parser.add_argument("path", metavar="PATH|URL")
    parser.add_argument("-m", "--marketplace", required=True, choices=tuple(PROVIDERS), metavar="ID")
    parser.add_argument(
        "--meta",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="request metadata, e.g. mediaName=..., title=... (JSON values parsed; repeatable)",
    )
    parser.add_argument("--caption", metavar="FILE", help="caption file (Sam's Club)")
    parser.add_argument("--force", action="store_true", help="upload even when the pre-flight fails (loudly)")
    parser.add_argument("--wait", action="store_true", help="wait until the provider has finished processing")
    parser.add_argument("--timeout", type=float, metavar="S", help="with --wait: give up after S seconds")
    parser.add_argument(
        "--first-poll", type=float, metavar="S", help="with --wait: first look after S seconds"
    )
    parser.add_argument(
        "--poll-every", type=float, metavar="S", help="with --wait: then look every S seconds"
    )
    parser.add_argument("--base-url", metavar="URL", help="provider address (e.g. a sandbox's)")
    parser.add_argument(
        "--credentials", metavar="FILE", help="credentials TOML (default: $VIDLINT_CREDENTIALS)"
    )
    parser.add_argument(
        "--publish-command",
        metavar="CMD",
        help="for URL-only providers: command that publishes {path} and prints its URL last",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run_upload)


def parse_pairs(pairs: list[str], what: str) -> dict[str, Any]:
    """KEY=VALUE pairs; a value that parses as JSON is taken as JSON, else as text."""
    from vidlint.clients.errors import ClientConfigError

    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise ClientConfigError(f"{what} {pair!r} is not KEY=VALUE")
        try:
            values[key] = json.loads(raw)
        except ValueError:
            values[key] = raw
    return values


def run_upload(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from vidlint.clients.errors import PreflightFailed, ProviderError
    from vidlint.clients.facade import upload

    out, err = out or sys.stdout, err or sys.stderr
    options: dict[str, Any] = {"base_url": args.base_url}
    if args.credentials:
        options["credentials_path"] = Path(args.credentials)
    if args.publish_command and PROVIDERS[args.marketplace].client_class().takes_publisher:
        options["publisher"] = command_publisher(args.publish_command)
    try:
        result = upload(
            args.path,
            args.marketplace,
            metadata=parse_pairs(args.meta, "--meta"),
            caption=args.caption,
            force=args.force,
            wait=args.wait,
            wait_schedule=_schedule(args),
            **options,
        )
    except PreflightFailed as exc:
        print(f"vidlint: {exc}", file=err)
        _findings(exc.report.findings, err)
        return 1
    except ProviderError as exc:
        print(f"vidlint: error: {exc}", file=err)
        _findings(exc.findings, err)
        return 1
    _report(result, args.format, out)
    if result.forced:
        print("vidlint: WARNING: uploaded with --force although the pre-flight failed", file=err)
    return 1 if result.accepted is False else 0


def _schedule(args: argparse.Namespace) -> PollSchedule | None:
    """The client's default poll schedule with the times given on the command line, if any."""
    if args.timeout is None and args.first_poll is None and args.poll_every is None:
        return None
    from vidlint.clients.waiting import PollSchedule

    base: PollSchedule = PROVIDERS[args.marketplace].client_class().default_wait
    return PollSchedule(
        first_delay_s=base.first_delay_s if args.first_poll is None else args.first_poll,
        interval_s=base.interval_s if args.poll_every is None else args.poll_every,
        timeout_s=base.timeout_s if args.timeout is None else args.timeout,
    )


def command_publisher(template: str) -> Callable[[Path], str]:
    """A publisher running the user's command: ``{path}`` is the file; the last line printed is its URL."""

    def publish(path: Path) -> str:
        from vidlint.clients.errors import ClientConfigError

        argv = [part.replace("{path}", str(path)) for part in shlex.split(template)]
        try:
            done = subprocess.run(
                argv, capture_output=True, text=True, timeout=PUBLISH_TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ClientConfigError(f"--publish-command failed to run: {type(exc).__name__}") from None
        lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
        if done.returncode != 0 or not lines or not lines[-1].startswith(("http://", "https://")):
            raise ClientConfigError(
                f"--publish-command exited {done.returncode} without printing a URL last"
            )
        return lines[-1]

    return publish


def _findings(findings: tuple[Finding, ...], stream: TextIO) -> None:
    for f in findings:
        print(f"  {f.severity:7} {f.code}  {f.message}", file=stream)


def _report(result: UploadResult, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        out.write(result.model_dump_json(indent=2) + "\n")
        return
    ids = " ".join(f"{k}={v}" for k, v in result.ids.items())
    state = "finished" if result.done else "still processing"
    verdict = {True: "accepted", False: "REJECTED", None: "not judged yet"}[result.accepted]
    print(
        f"{result.marketplace}: {result.source}: {ids} status {result.status} ({state}, {verdict})", file=out
    )
    _findings(result.findings, out)
    for note in result.notes:
        print(f"  note: {note}", file=out)
