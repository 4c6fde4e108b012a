"""The ``vidlint`` command: argument parsing and wiring only.

Exit codes: 0 every check passed, 1 at least one finding at or above ``--fail-on``, 2 a usage or
configuration error. Heavy modules are imported inside the commands that need them, so that
``vidlint --version`` and a pre-commit run of one file start quickly.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from vidlint import __version__
from vidlint.errors import VidlintError

if TYPE_CHECKING:
    from vidlint.cache import ReportCache
    from vidlint.config import Config, RemoteTable
    from vidlint.discover import Target
    from vidlint.errors import ProbeError
    from vidlint.facts import MediaFacts
    from vidlint.plan import PackFiles
    from vidlint.reporters.common import ReportView
    from vidlint.reporters.sarif import RuleDoc
    from vidlint.rules import Pack
    from vidlint.runner import Outcome

FORMATS = ("text", "json", "sarif", "junit", "github")
CHECK_COMMANDS = ("check", "probe", "rules")
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or configuration: reported on one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def run() -> None:
    """The console script. vidlint uses no pydantic plug-in: skipping their discovery (a scan of every
    installed distribution's entry points) saves ~10 ms of each start, which a pre-commit run pays."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    code = main()
    if sys.argv[1:2] and sys.argv[1] in CHECK_COMMANDS:
        _exit_now(code)
    raise SystemExit(code)


def _exit_now(code: int) -> NoReturn:
    """Exit once the output is out, without the interpreter's teardown (freeing every module costs
    ~25 ms once pydantic is loaded). Only after check, probe and rules: they leave no thread, no atexit
    work and nothing unflushed behind (their workers exit by themselves when the pipe closes)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: let the interpreter's own exit deal with it
        raise SystemExit(code) from None
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    _safe_streams()
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        args = _parser(argv).parse_args(argv)
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except (UsageError, VidlintError) as exc:  # bad arguments, configuration, rule pack, missing path
        return _fail(str(exc))
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        return _fail("interrupted", code=130)


def _fail(message: str, *, code: int = EXIT_USAGE) -> int:
    print(f"vidlint: error: {message}", file=sys.stderr)
    return code


def warn(message: str) -> None:
    print(f"vidlint: warning: {message}", file=sys.stderr)


def _safe_streams() -> None:
    """A file name that is not valid UTF-8 must not crash printing: escape what cannot be encoded."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _parser(argv: Sequence[str] = ()) -> _Parser:
    """The parser for ``argv``: the clients' commands (which import more, ~5 ms) are only added when
    the command is not one of check, probe and rules (help, version, a typo and theirs need them)."""
    parser = _Parser(prog="vidlint", description="Check product videos against marketplace rules.")
    parser.add_argument("--version", action="version", version=f"vidlint {__version__}")
    parser.set_defaults(handler=_no_command)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    _add_check(commands.add_parser("check", help="check videos (files, folders or URLs)"))
    _add_probe(commands.add_parser("probe", help="print what vidlint reads from files"))
    _add_rules(commands.add_parser("rules", help="list or explain the rules"))
    if not argv or argv[0] not in CHECK_COMMANDS:
        from vidlint.clients.commands import add_sandbox_parser, add_upload_parser

        add_upload_parser(commands)
        add_sandbox_parser(commands)
    return parser


def _add_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH|URL", help="files, folders or URLs (default: .)")
    parser.add_argument(
        "-m",
        "--marketplace",
        action="append",
        default=[],
        metavar="ID",
        help="marketplace to check against (repeatable; default: config, else all)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument(
        "--jobs", type=_positive_int, default=None, metavar="N", help="worker processes (default: all cores)"
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    parser.add_argument("--caption", metavar="FILE", help="caption file for a single video")
    parser.add_argument(
        "--meta",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="request metadata (value parsed as JSON when it parses; repeatable)",
    )
    parser.add_argument("--config", metavar="FILE", help="configuration file (default: found upwards)")
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        default=None,
        help="lowest severity that fails the run (default: config, else error)",
    )
    parser.add_argument("--quiet", action="store_true", help="text: only files with findings, no matrix")
    parser.set_defaults(handler=_check)


def _add_probe(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH|URL")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=_probe)


def _add_rules(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(title="actions", metavar="ACTION", parser_class=_Parser, required=True)
    listing = actions.add_parser("list", help="list the rules of every (or the given) marketplace")
    listing.add_argument("-m", "--marketplace", action="append", default=[], metavar="ID")
    listing.set_defaults(handler=_rules_list)
    show = actions.add_parser("show", help="explain one rule (or a marketplace's pack)")
    show.add_argument("rule_id", metavar="RULE_ID")
    show.set_defaults(handler=_rules_show)
    for sub in (listing, show):
        sub.add_argument("--config", metavar="FILE", help="configuration file (default: found upwards)")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _no_command(args: argparse.Namespace) -> int:
    raise UsageError("a command is required: check, probe or rules (see vidlint --help)")


def _check(args: argparse.Namespace) -> int:
    metadata = parse_meta(args.meta)
    attempt = _Attempt() if args.no_cache else _from_cache(args, metadata)
    if attempt.code is not None:
        return attempt.code
    _prestart_probe(args.paths)
    from vidlint.config import load_config, resolve_packs
    from vidlint.plan import pack_files

    config = load_config(explicit=args.config)
    files = pack_files(config) if attempt.key and not attempt.planned else None
    packs = _selected(resolve_packs(config), args.marketplace or config.marketplaces)
    base = config.config_file.parent if config.config_file else None
    targets = attempt.targets if attempt.planned else _targets(args, config.exclude, base)
    if not targets:
        warn("no video files found")
    cache = None if args.no_cache else _open_cache()
    try:
        if cache is not None and files is not None:
            _remember(cache, attempt.key, args, config, packs, files)
        outcome = _run_checks(targets, packs, args, metadata, cache, config.remote)
    finally:
        if cache is not None:
            cache.close()
    return _finish(args, outcome, packs, args.fail_on or config.fail_on)


class _Attempt:
    """Trying the cache alone: the exit code when it answered, else what the full path can reuse."""

    def __init__(self, key: str = "") -> None:
        self.key = key  # of the plan (vidlint.plan) for this run
        self.planned = False  # a current plan was stored: ``targets`` were found with its exclude patterns
        self.targets: list[Target] = []
        self.code: int | None = None


def _from_cache(args: argparse.Namespace, metadata: Mapping[str, Any] | None) -> _Attempt:
    """Answer from a stored plan and stored verdicts, if the store has them all (SARIF describes
    each rule from the packs: never from here). Reads the store only; nothing is created."""
    from vidlint.cache import ReportCache, cache_dir
    from vidlint.plan import plan_key

    attempt = _Attempt(key=plan_key(args.config, args.marketplace))
    cache = ReportCache(cache_dir(), read_only=True)
    try:
        plan = cache.get_plan(attempt.key)
        if plan is None:
            return attempt
        base = Path(plan.exclude_base) if plan.exclude_base is not None else None
        attempt.planned, attempt.targets = True, _targets(args, plan.exclude, base)
        if args.format != "sarif":
            from vidlint.runner import check_cached

            outcome = check_cached(attempt.targets, plan, cache, metadata)
            if outcome is not None:
                attempt.code = _finish(args, outcome, {}, args.fail_on or plan.fail_on)
        return attempt
    finally:
        cache.close()


def _prestart_probe(paths: Sequence[str]) -> None:
    """Local files will be probed: start a probe worker now, so that its start overlaps loading
    the configuration and the rule packs."""
    from vidlint.discover import is_url

    if not paths or not all(is_url(p) for p in paths):
        from vidlint.probing.worker import prestart

        prestart()


def _targets(args: argparse.Namespace, exclude: Sequence[str], base: Path | None) -> list[Target]:
    from vidlint.discover import discover

    found = discover(args.paths or ["."], exclude=exclude, exclude_base=base, skip=_cache_dirs())
    for message in found.warnings:
        warn(message)
    return _with_caption(list(found.targets), args.caption)


def _remember(
    cache: ReportCache,
    key: str,
    args: argparse.Namespace,
    config: Config,
    packs: Mapping[str, Pack],
    files: PackFiles,
) -> None:
    """Keep what this resolution gave under ``key``, unless a file it read changed meanwhile."""
    from vidlint.plan import Plan, pack_files, plan_key
    from vidlint.runner import caption_extensions, pack_digest

    if plan_key(args.config, args.marketplace) != key or pack_files(config) != files:
        return
    base = config.config_file.parent if config.config_file else None
    plan = Plan(
        marketplaces=tuple(packs),
        digests={m: pack_digest(pack) for m, pack in packs.items()},
        caption_extensions=tuple(caption_extensions(packs)),
        exclude=tuple(config.exclude),
        exclude_base=None if base is None else str(base),
        fail_on=config.fail_on,
        pack_files=files,
    )
    cache.put_plan(key, plan)


def _finish(args: argparse.Namespace, outcome: Outcome, packs: Mapping[str, Pack], fail_on: str) -> int:
    _emit(args, outcome, packs, fail_on)
    return EXIT_FINDINGS if _fails(outcome.reports, fail_on) else EXIT_OK


def _probe(args: argparse.Namespace) -> int:
    from vidlint.errors import ProbeError
    from vidlint.reporters.facts import render_json, render_text

    facts, failed = [], False
    for outcome in _probe_each(args.paths):
        if isinstance(outcome, ProbeError):
            print(f"vidlint: error: {outcome}", file=sys.stderr)
            failed = True
        else:
            facts.append(outcome)
    sys.stdout.write(render_json(facts) if args.format == "json" else render_text(facts))
    return EXIT_FINDINGS if failed else EXIT_OK


def _probe_each(paths: Sequence[str]) -> list[MediaFacts | ProbeError]:
    """Facts for each path (a folder: each video in it; a URL: read over HTTP), in the order given."""
    from vidlint.discover import MissingPathError, is_url
    from vidlint.runner import probe_sources

    missing = [p for p in paths if not is_url(p) and not os.path.lexists(p)]
    if missing:
        raise MissingPathError(f"no such file or folder: {missing[0]!r}")
    sources = list(dict.fromkeys(s for p in paths for s in _sources_of(p)))
    local = probe_sources([s for s in sources if not is_url(s)], jobs=None)
    return [local[s] if s in local else _fetch(s) for s in sources]


def _sources_of(path: str) -> list[str]:
    """A folder stands for the videos in it; anything else for itself."""
    from vidlint.discover import discover

    return [t.source for t in discover([path]).targets] if os.path.isdir(path) else [path]


def _fetch(url: str) -> MediaFacts:
    from vidlint.remote import fetch_facts

    return fetch_facts(url)


def parse_meta(items: Sequence[str]) -> dict[str, Any] | None:
    """``KEY=VALUE`` pairs as a request body: values parsed as JSON when they parse, else kept as text;
    a key given more than once collects its values in a list."""
    import json

    metadata: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--meta expects KEY=VALUE, got {item!r}")
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw
        key = key.strip()
        if key not in metadata:
            metadata[key] = value
        elif isinstance(metadata[key], _Repeated):
            metadata[key].append(value)
        else:
            metadata[key] = _Repeated([metadata[key], value])
    return {k: list(v) if isinstance(v, _Repeated) else v for k, v in metadata.items()} or None


class _Repeated(list[Any]):
    """Values of a repeated --meta key (told apart from a value that is itself a JSON list)."""


def _selected(packs: Mapping[str, Pack], wanted: Sequence[str] | None) -> dict[str, Pack]:
    """The packs to check against: ``wanted`` (ids, repeatable or comma-separated), else every pack
    that judges files."""
    from vidlint.errors import UnknownMarketplaceError

    ids = [i.strip() for item in wanted or () for i in item.split(",") if i.strip()]
    if not ids:
        return {i: p for i, p in packs.items() if p.checks_files}
    for pack_id in ids:
        if pack_id not in packs:
            known = ", ".join(sorted(packs))
            raise UnknownMarketplaceError(f"unknown marketplace {pack_id!r} (known: {known})")
    return {i: packs[i] for i in dict.fromkeys(ids)}


def _with_caption(targets: list[Target], caption: str | None) -> list[Target]:
    from vidlint.discover import Target

    if caption is None:
        return targets
    if not os.path.isfile(caption):
        raise UsageError(f"--caption: no such file: {caption!r}")
    if len(targets) != 1 or targets[0].is_url:
        raise UsageError(f"--caption applies to a single video file ({len(targets)} targets given)")
    return [Target(targets[0].source, caption)]


def _run_checks(
    targets: list[Target],
    packs: Mapping[str, Pack],
    args: argparse.Namespace,
    metadata: Mapping[str, Any] | None,
    cache: ReportCache | None,
    remote: RemoteTable,
) -> Outcome:
    from vidlint.reporters.progress import progress_bar
    from vidlint.runner import check_targets

    with progress_bar(len(targets), enabled=not args.quiet) as advance:
        return check_targets(
            targets, packs, jobs=args.jobs, cache=cache, metadata=metadata, progress=advance, remote=remote
        )


def _open_cache() -> ReportCache:
    from vidlint.cache import ReportCache, cache_dir

    cache = ReportCache(cache_dir())
    if cache.rebuilt:
        warn(f"the result cache was unreadable and has been rebuilt: {cache.path}")
    return cache


def _cache_dirs() -> list[Path]:
    """Folders a walk must not enter: the cache (when it is set to live inside the tree)."""
    from vidlint.cache import CACHE_ENV

    folder = os.environ.get(CACHE_ENV)
    return [Path(folder)] if folder else []


def _emit(args: argparse.Namespace, outcome: Outcome, packs: Mapping[str, Pack], fail_on: str) -> None:
    from vidlint.reporters import write

    docs = _rule_docs(packs) if args.format == "sarif" else None
    color = args.format == "text" and sys.stdout.isatty()
    write(
        args.format,
        outcome.reports,
        sys.stdout,
        fail_on=fail_on,
        quiet=args.quiet,
        stats=outcome.stats(),
        docs=docs,
        color=color,
    )


def _rule_docs(packs: Mapping[str, Pack]) -> dict[str, RuleDoc]:
    from vidlint.reporters.sarif import rule_docs

    return rule_docs(packs.values())


def _fails(reports: Sequence[ReportView], fail_on: str) -> bool:
    from vidlint.reporters.common import at_or_above

    return any(at_or_above(f, fail_on) for r in reports for f in r.findings)


def _rules_list(args: argparse.Namespace) -> int:
    from vidlint import rulesdoc

    packs = _configured_packs(args)
    chosen = _selected(packs, args.marketplace) if args.marketplace else packs
    _write(sys.stdout, rulesdoc.render_list(chosen))
    return EXIT_OK


def _rules_show(args: argparse.Namespace) -> int:
    from vidlint import rulesdoc

    _write(sys.stdout, rulesdoc.render_show(args.rule_id, _configured_packs(args)))
    return EXIT_OK


def _configured_packs(args: argparse.Namespace) -> dict[str, Pack]:
    """Every pack (built-in and the config's own) with the config's overrides: what a check would use."""
    from vidlint.config import load_config, resolve_packs

    return resolve_packs(load_config(explicit=args.config))


def _write(out: TextIO, text: str) -> None:
    out.write(text if text.endswith("\n") else text + "\n")
