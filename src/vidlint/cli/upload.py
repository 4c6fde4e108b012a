"""``vidlint upload``: check a video, then upload it to a marketplace (one of vidlint.providers).

Credentials never come from arguments (they would land in shell history): they come from
``VIDLINT_<MARKETPLACE>_<FIELD>`` environment variables or the credentials file (``--credentials``).
Exit codes of ``upload``: 0 sent (and accepted, or still processing), 1 the pre-flight failed or the
provider refused or failed (findings), 2 usage or configuration errors, including an upload the
marketplace cannot take as asked (Shoplive has no upload API; Trendyol and Ecwid need a URL or
``--publish-command``): one line each. Everything but the result goes to stderr: the pre-flight's
findings, a ``--force`` warning (once), and with ``--wait`` a line per poll (status, elapsed, next poll).
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from vidlint.clients.clock import LOCAL_POLL_S, seconds
from vidlint.providers import PROVIDERS  # names only: no client is imported to list them

if TYPE_CHECKING:  # the CLI builds its parser at every start: the heavy modules load in the handlers
    from vidlint.clients.results import UploadResult
    from vidlint.clients.waiting import PollSchedule, WaitProgress
    from vidlint.model.report import Finding

PUBLISH_TIMEOUT_S = 3600.0
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _wait_help() -> str:
    """--wait's help: each provider's default schedule (from the registry, no client imported)."""
    schedules = "; ".join(f"{p.id} {_times(p.wait)}" for p in PROVIDERS.values() if p.wait is not None)
    return (
        "wait until the provider has finished processing, printing each poll on stderr "
        f"(status, elapsed, next poll). Default schedule (first poll after, then every, up to): {schedules}; "
        f"against a sandbox on this machine (a loopback base URL): {_times(LOCAL_POLL_S)}. "
        "The other marketplaces answer at once."
    )


def _times(values: tuple[float, ...]) -> str:
    return ", ".join(seconds(value) for value in values)


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
    parser.add_argument(
        "--force", action="store_true", help="upload even when the pre-flight fails (with a warning)"
    )
    parser.add_argument("--wait", action="store_true", help=_wait_help())
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="S",
        help="with --wait: give up after S seconds (default: see --wait)",
    )
    parser.add_argument(
        "--first-poll", type=float, metavar="S", help="with --wait: first poll after S seconds"
    )
    parser.add_argument(
        "--poll-every", type=float, metavar="S", help="with --wait: then poll every S seconds"
    )
    parser.add_argument("--base-url", metavar="URL", help="provider address (e.g. a sandbox's)")
    parser.add_argument(
        "--credentials", metavar="FILE", help="credentials TOML (default: $VIDLINT_CREDENTIALS)"
    )
    parser.add_argument(
        "--publish-command",
        metavar="CMD",
        help="for URL-only providers (trendyol, ecwid): a command that publishes {path} and prints its URL "
        "last (required for a local file)",
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
    from vidlint.errors import VidlintError

    out, err = out or sys.stdout, err or sys.stderr
    try:
        return _upload(args, out, err)
    except VidlintError as exc:  # configuration, credentials, metadata: one line, exit 2
        print(f"vidlint: error: {' '.join(str(exc).split())}", file=err)
        return EXIT_USAGE


def _upload(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from vidlint.clients.errors import NotOffered, PreflightFailed, ProviderError
    from vidlint.clients.facade import upload
    from vidlint.model.source import is_url

    cls = PROVIDERS[args.marketplace].client_class()
    if not cls.offers_upload:
        return _usage(str(cls.not_offered()), err)
    if cls.takes_publisher and not is_url(args.path) and not args.publish_command:
        return _usage(
            f"{args.marketplace} takes the video by URL: give a URL, or --publish-command CMD, a command "
            "that publishes the file ({path} in CMD) and prints its URL last",
            err,
        )
    options: dict[str, Any] = {"base_url": args.base_url}
    if args.credentials:
        options["credentials_path"] = Path(args.credentials)
    if args.publish_command:
        if cls.takes_publisher:
            options["publisher"] = command_publisher(args.publish_command)
        else:
            print(
                f"vidlint: warning: --publish-command is ignored: {args.marketplace} takes the file itself",
                file=err,
            )
    try:
        with _forced_warning_once(err):
            result = upload(
                args.path,
                args.marketplace,
                metadata=parse_pairs(args.meta, "--meta"),
                caption=args.caption,
                force=args.force,
                wait=args.wait,
                wait_schedule=_schedule(args),
                on_progress=_progress_printer(err),
                **options,
            )
    except PreflightFailed as exc:
        print(f"vidlint: {exc}", file=err)
        _findings(exc.report.findings, err)
        return EXIT_FINDINGS
    except NotOffered as exc:
        return _usage(str(exc), err)
    except ProviderError as exc:
        print(f"vidlint: error: {exc}", file=err)
        _findings(exc.findings, err)
        return EXIT_FINDINGS
    _report(result, args.format, out)
    return EXIT_FINDINGS if result.accepted is False else EXIT_OK


def _usage(message: str, err: TextIO) -> int:
    """The upload cannot be done as asked: one line, exit 2 (1 is for findings)."""
    print(f"vidlint: error: {' '.join(message.split())}", file=err)
    return EXIT_USAGE


@contextmanager
def _forced_warning_once(err: TextIO) -> Iterator[None]:
    """A --force upload's ForcedUploadWarning, printed once as ``vidlint: warning: ...`` with the findings
    that failed, instead of Python's warning line (with its source path)."""
    from vidlint.clients.preflight import ForcedUploadWarning

    def show(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
        print(f"vidlint: warning: {message}", file=err, flush=True)
        report = getattr(message, "report", None)
        if report is not None:
            _findings(tuple(f for f in report.findings if f.severity == "error"), err)

    with warnings.catch_warnings():
        warnings.simplefilter("always", ForcedUploadWarning)
        warnings.showwarning = show
        yield


def _progress_printer(err: TextIO) -> Callable[[WaitProgress], None]:
    """--wait's progress on stderr: what it waits for and on which schedule, then a line per poll."""

    def show(progress: WaitProgress) -> None:
        if progress.polls == 0:
            print(
                f"vidlint: waiting for {progress.marketplace} {progress.remote_id} to be processed "
                f"({progress.schedule.describe()}; --first-poll, --poll-every, --timeout change it)",
                file=err,
                flush=True,
            )
            return
        print(f"vidlint: {progress.describe()}", file=err, flush=True)

    return show


def _schedule(args: argparse.Namespace) -> PollSchedule | None:
    """The client's default poll schedule with the times given on the command line, if any."""
    if args.timeout is None and args.first_poll is None and args.poll_every is None:
        return None
    from vidlint.clients.credentials import configured_value
    from vidlint.clients.waiting import PollSchedule

    path = Path(args.credentials) if args.credentials else None
    base_url = args.base_url or configured_value(args.marketplace, "base_url", path=path)
    base = PROVIDERS[args.marketplace].default_wait(str(base_url) if base_url else None)
    try:
        return PollSchedule(
            first_delay_s=base.first_delay_s if args.first_poll is None else args.first_poll,
            interval_s=base.interval_s if args.poll_every is None else args.poll_every,
            timeout_s=base.timeout_s if args.timeout is None else args.timeout,
        )
    except ValueError as exc:
        from vidlint.clients.errors import ClientConfigError

        raise ClientConfigError(f"--first-poll, --poll-every, --timeout: {exc}") from None


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
            raise ClientConfigError(f"--publish-command exited {done.returncode} without printing a URL last")
        return lines[-1]

    return publish


def _findings(findings: tuple[Finding, ...], stream: TextIO) -> None:
    """Each finding as ``vidlint check`` shows it: severity, code, rule id, message (expected, actual)."""
    from vidlint.reporters.common import printable, reason

    for f in findings:
        print(f"  {f.severity:<7} {f.code} [{f.rule}]  {printable(reason(f))}", file=stream)


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
