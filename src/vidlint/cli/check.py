"""``vidlint check``: answered from the result cache when it can be, else resolve the setup, find the
targets and run them through the pipeline (vidlint.run.pipeline). Imported only when the command runs."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from vidlint.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, prestart_probe, settled, warn

if TYPE_CHECKING:
    from vidlint.model.report import Report
    from vidlint.packs.pack import Pack
    from vidlint.reporters.sarif import RuleDoc
    from vidlint.run.cache import ReportCache
    from vidlint.run.setup import Setup
    from vidlint.run.stored import PackFiles, StoredSetup
    from vidlint.run.targets import Problem, Target

MAX_META_DEPTH = 100  # levels of nested lists and objects in one --meta value (request bodies have a few)


def check(args: argparse.Namespace) -> int:
    args.started = (time.time(), time.perf_counter())  # the run's start: JUnit reports its wall time
    metadata = request_body(args.meta, getattr(args, "meta_file", None))
    if _is_catalog_run(args):  # --from, bucket sources, JSON Lines, --resume, --scheduler
        return _catalog(args, metadata)
    args.out = sys.stdout
    output = getattr(args, "output", None)
    if output is None:
        return _check(args, metadata)
    with open_output(output) as args.out:
        return _check(args, metadata)


def _check(args: argparse.Namespace, metadata: dict[str, Any] | None) -> int:
    maybe_request_only = not args.paths and metadata is not None  # decided once the packs are known
    attempt = _Attempt() if args.no_cache or maybe_request_only else _from_cache(args, metadata)
    if attempt.code is not None:
        return attempt.code
    prestart_probe(args.paths)  # unless --no-cache started it before the command's imports
    from vidlint.run import setup

    found = setup.quick(args, attempt.stored)
    restore = attempt.key and (found is None or attempt.stored is None)  # none stored, or unusable
    found = found or setup.validated(args)
    settled()
    files = _pack_files(found) if restore else None
    request_only = _request_only(args, found.packs, metadata)
    if request_only:
        targets, problems = [_request_target()], []
    elif attempt.stored:
        targets, problems = attempt.targets, attempt.problems
    else:
        targets, problems = _targets(args, found.exclude, found.exclude_base)
    if not targets:
        warn("no video files found")
    cache = None if args.no_cache else _open_cache()
    try:
        if cache is not None and files is not None:
            _remember(cache, attempt.key, args, found, files)
        reports, stats = _run_checks(targets, found, args, metadata, cache)
    finally:
        if cache is not None:
            cache.close()
    reports += _problem_reports(problems, found.packs)
    per_file = _per_file(found.per_file_ignores, found.exclude_base)
    return _finish(args, reports, stats, found.packs, args.fail_on or found.fail_on, per_file)


def _request_only(args: argparse.Namespace, packs: Mapping[str, Pack], metadata: object) -> bool:
    """Whether this run checks the request alone: every selected marketplace judges only requests
    (Ecwid, Shoplive) and no path is given. A local file given to such marketplaces is a usage error
    (it would "pass" unjudged); beside marketplaces that judge files it is a warning."""
    from vidlint.model.source import is_url

    takes_no_files = [pack_id for pack_id, pack in packs.items() if not pack.checks_files]
    if not takes_no_files:
        return False
    names = ", ".join(takes_no_files)
    local = [path for path in args.paths if not is_url(path)]
    if len(takes_no_files) == len(packs):
        if local:
            raise UsageError(
                f"{names} judges no files, only the request: give it with --meta KEY=VALUE or --meta-file"
                f" and no path (got {local[0]!r})"
            )
        if not args.paths:
            if metadata is None:
                raise UsageError(
                    f"{names} judges only the request: give it with --meta KEY=VALUE or --meta-file"
                )
            return True
    elif local:
        warn(f"{names} judges no files: only the request (--meta) is checked against it")
    return False


def _request_target() -> Target:
    from vidlint.run.targets import Target

    return Target("")


class _Attempt:
    """Trying the cache alone: the exit code when it answered, else what the full path can reuse."""

    def __init__(self, key: str = "") -> None:
        self.key = key  # of the stored setup (vidlint.run.stored) for this run
        self.stored: StoredSetup | None = None  # current (its pack files are unchanged)
        self.targets: list[Target] = []  # found with the stored setup's exclude patterns
        self.problems: list[Problem] = []  # folders that walk could not read
        self.code: int | None = None


def _from_cache(args: argparse.Namespace, metadata: Mapping[str, Any] | None) -> _Attempt:
    """Answer from a stored setup and stored verdicts, if the store has them all (SARIF describes
    each rule from the packs: never from here). Reads the store only; nothing is created."""
    from vidlint.run.cache import ReportCache, answer_from_cache, cache_dir
    from vidlint.run.stored import setup_key

    attempt = _Attempt(key=setup_key(args.config, wanted(args)))
    cache = ReportCache(cache_dir(), read_only=True)
    try:
        stored = cache.get_setup(attempt.key)
        if stored is None:
            return attempt
        base = Path(stored.exclude_base) if stored.exclude_base is not None else None
        attempt.stored = stored
        attempt.targets, attempt.problems = _targets(args, stored.exclude, base)
        if args.format != "sarif":
            captions = stored.caption_extensions
            reports = answer_from_cache(attempt.targets, stored.digests, captions, cache, metadata)
            if reports is not None:
                reports += _problem_reports(attempt.problems, stored.marketplaces)
                stats = f"0 probed, {len(set(attempt.targets))} from cache"
                per_file = _per_file(stored.per_file_ignores, base)
                attempt.code = _finish(args, reports, stats, {}, args.fail_on or stored.fail_on, per_file)
        return attempt
    finally:
        cache.close()


def _targets(
    args: argparse.Namespace, exclude: Sequence[str], base: Path | None
) -> tuple[list[Target], list[Problem]]:
    """The targets, and the folders that could not be read (each a warning now, a finding later)."""
    from vidlint.run.targets import discover

    found = discover(args.paths or ["."], exclude=exclude, exclude_base=base, skip=_cache_dirs())
    for message in found.warnings:
        warn(message)
    for problem in found.problems:
        warn(f"{problem.path}: {problem.message()}")
    return _with_caption(list(found.targets), args.caption), list(found.problems)


def _problem_reports(
    problems: Sequence[Problem], marketplaces: Sequence[str] | Mapping[str, Pack]
) -> list[Report]:
    """A folder that could not be read gets a ``vidlint.unreadable`` warning in every marketplace: it
    shows in every format, and fails the run with ``--fail-on warning``."""
    if not problems:
        return []
    from vidlint.run.pipeline import unreadable

    return [unreadable(p.path, m, p.message(), severity="warning") for p in problems for m in marketplaces]


def _pack_files(found: Setup) -> PackFiles:
    from vidlint.run.stored import pack_files

    return pack_files(found.user_packs)


def _remember(cache: ReportCache, key: str, args: argparse.Namespace, found: Setup, files: PackFiles) -> None:
    """Keep what this resolution gave under ``key``, unless a file it read changed meanwhile."""
    from vidlint.run.stored import StoredSetup, setup_key

    if setup_key(args.config, wanted(args)) == key and _pack_files(found) == files:
        cache.put_setup(key, StoredSetup.of(found, files))


def _per_file(
    per_file: Sequence[tuple[str, tuple[str, ...]]], base: Path | None
) -> tuple[Sequence[tuple[str, tuple[str, ...]]], Path | None]:
    return per_file, base


def _finish(
    args: argparse.Namespace,
    reports: Sequence[Report],
    stats: str,
    packs: Mapping[str, Pack],
    fail_on: str,
    per_file: tuple[Sequence[tuple[str, tuple[str, ...]]], Path | None] = ((), None),
) -> int:
    select, ignore = getattr(args, "select", None), getattr(args, "ignore", None)
    if select or ignore or per_file[0]:
        from vidlint.run.filtering import FindingFilter, tokens

        chosen = FindingFilter(tokens(select), tokens(ignore), tuple(per_file[0]), per_file[1])
        reports = chosen.apply(reports)
    _emit(args, reports, stats, packs, fail_on)
    if getattr(args, "statistics", False):
        _statistics(args, reports, getattr(args, "out", sys.stdout))
    return EXIT_FINDINGS if _fails(reports, fail_on) else EXIT_OK


def _with_caption(targets: list[Target], caption: str | None) -> list[Target]:
    from vidlint.run.targets import Target

    if caption is None:
        return targets
    if not os.path.isfile(caption):
        raise UsageError(f"--caption: no such file: {caption!r}")
    if len(targets) != 1 or targets[0].is_url:
        raise UsageError(f"--caption applies to a single video file ({len(targets)} targets given)")
    return [Target(targets[0].source, caption)]


def _run_checks(
    targets: list[Target],
    found: Setup,
    args: argparse.Namespace,
    metadata: Mapping[str, Any] | None,
    cache: ReportCache | None,
) -> tuple[list[Report], str]:
    from vidlint.reporters.progress import progress_bar
    from vidlint.run.pipeline import Pipeline, capped_jobs

    urls = found.remote is not None and any(t.is_url for t in targets)
    remote = found.remote.options() if urls and found.remote is not None else None  # imports httpx
    jobs, lowered = capped_jobs(args.jobs)
    if lowered:
        warn(lowered)
    pipeline = Pipeline(found.packs, jobs=jobs, cache=cache, metadata=metadata, remote=remote)
    with progress_bar(len(targets), enabled=not args.quiet) as advance:
        reports = list(pipeline.run(targets, progress=advance))
    return reports, pipeline.stats()


def _open_cache() -> ReportCache:
    from vidlint.run.cache import ReportCache, cache_dir

    cache = ReportCache(cache_dir())
    if cache.rebuilt:
        warn(f"the result cache was unreadable and has been rebuilt: {cache.path}")
    if cache.refused:
        warn(cache.refused)
    return cache


def _cache_dirs() -> list[Path]:
    """Folders a walk must not enter: the cache (when it is set to live inside the tree)."""
    from vidlint.run.cachedir import CACHE_ENV

    folder = os.environ.get(CACHE_ENV)
    return [Path(folder)] if folder else []


def wanted(args: argparse.Namespace) -> list[str]:
    """What the run's marketplaces are chosen by (the stored setup's key): ``-m``, else --matrix's
    "every marketplace that judges files" (not the configuration's list), else the configuration."""
    return list(args.marketplace) or (["--matrix"] if getattr(args, "matrix", False) else [])


def _emit(
    args: argparse.Namespace, reports: Sequence[Report], stats: str, packs: Mapping[str, Pack], fail_on: str
) -> None:
    from vidlint.reporters import write

    docs = _rule_docs(packs) if args.format == "sarif" else None
    out: TextIO = getattr(args, "out", sys.stdout)
    color = args.format == "text" and use_color(getattr(args, "color", "auto"), out)
    if args.format == "text" and getattr(args, "matrix", False):
        from vidlint.reporters import matrix

        matrix.write(reports, out, fail_on=fail_on, stats=stats, color=color)
        return
    write(
        args.format,
        reports,
        out,
        fail_on=fail_on,
        quiet=args.quiet,
        stats=stats,
        docs=docs,
        color=color,
        started=getattr(args, "started", None),
    )


def _statistics(args: argparse.Namespace, reports: Sequence[Report], out: TextIO) -> None:
    """After the report: on the same stream for text, on stderr for the machine formats (which must
    stay one document)."""
    from vidlint.reporters.statistics import render

    text = render(reports) or "no findings\n"
    if args.format == "text":
        out.write("\n" + text)
    else:
        sys.stderr.write(text)


def use_color(choice: str, out: TextIO) -> bool:
    """``--color always|never`` wins; ``auto``: not with NO_COLOR, yes with FORCE_COLOR, else only on a
    terminal (both variables count when set to anything but empty; FORCE_COLOR=0 does not force)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


@contextlib.contextmanager
def open_output(path: str) -> Iterator[TextIO]:
    """``--output FILE`` for writing: created, or a regular file replaced; a FIFO, a device, a folder or
    a socket is a usage error and is never written to (checked on the open descriptor, before truncating)."""
    import stat

    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        raise UsageError(f"--output {path}: cannot write: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UsageError(f"--output {path}: not a regular file: refusing to write to it")
        os.ftruncate(fd, 0)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    with open(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as stream:
        yield stream


def _rule_docs(packs: Mapping[str, Pack]) -> dict[str, RuleDoc]:
    from vidlint.reporters.sarif import rule_docs

    return rule_docs(packs.values())


def _fails(reports: Sequence[Report], fail_on: str) -> bool:
    from vidlint.reporters.common import at_or_above

    return any(at_or_above(f, fail_on) for r in reports for f in r.findings)


def request_body(items: Sequence[str], meta_file: str | None) -> dict[str, Any] | None:
    """The request: the JSON object of ``--meta-file``, with the ``--meta`` pairs over its keys."""
    pairs = parse_meta(items)
    if meta_file is None:
        return pairs
    body = read_meta_file(meta_file)
    body.update(pairs or {})
    return body


def read_meta_file(path: str) -> dict[str, Any]:
    """A JSON object file (a regular file of at most 1 MiB), or a one-line UsageError naming it."""
    import json

    from vidlint.errors import read_small_file

    try:
        data = read_small_file(path)
    except OSError as exc:
        raise UsageError(f"--meta-file {path}: cannot read: {exc.strerror or exc}") from None
    except ValueError:
        raise UsageError(f"--meta-file {path}: cannot read: not a valid path") from None
    try:
        body = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"--meta-file {path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"--meta-file {path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise UsageError(f"--meta-file {path}: the value is nested too deeply") from None
    if not isinstance(body, dict):
        raise UsageError(f"--meta-file {path}: expected a JSON object, got {type(body).__name__}")
    if _too_deep(body):
        raise UsageError(f"--meta-file {path}: the value is nested too deeply (at most {MAX_META_DEPTH})")
    return body


def parse_meta(items: Sequence[str]) -> dict[str, Any] | None:
    """``KEY=VALUE`` pairs as a request body: values parsed as JSON when they parse, else kept as text;
    a key given more than once collects its values in a list."""
    import json

    metadata: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--meta expects KEY=VALUE, got {item!r}")
        key = key.strip()
        try:
            value: Any = json.loads(raw)
        except json.JSONDecodeError as exc:
            if looks_like_json(raw):
                raise UsageError(
                    f"--meta {key}: not valid JSON: {exc.msg} at character {exc.pos + 1}"
                    f" (quote it for text: {key}='\"...\"')"
                ) from None
            value = raw
        except ValueError:
            value = raw
        except RecursionError:  # brackets nested thousands deep
            raise UsageError(f"--meta {key}: the value is nested too deeply") from None
        if _too_deep(value):
            raise UsageError(f"--meta {key}: the value is nested too deeply (at most {MAX_META_DEPTH})")
        if key not in metadata:
            metadata[key] = value
        elif isinstance(metadata[key], _Repeated):
            metadata[key].append(value)
        else:
            metadata[key] = _Repeated([metadata[key], value])
    return {k: list(v) if isinstance(v, _Repeated) else v for k, v in metadata.items()} or None


_NUMBER_LIKE = re.compile(r"[+-]?(?:\d[\d._eE+-]*|\.\d[\d._eE+-]*|inf(?:inity)?|nan)", re.IGNORECASE)
_WORD_LIKE = frozenset({"true", "false", "null", "none"})


def looks_like_json(raw: str) -> bool:
    """A value meant as JSON: it opens a list, an object or a string, or is a number, true, false or
    null in another spelling. Plain words (and text that merely begins with a digit) are text."""
    text = raw.strip()
    if text[:1] in ("[", "{", '"'):
        return True
    return text.lower() in _WORD_LIKE or _NUMBER_LIKE.fullmatch(text) is not None


def _too_deep(value: Any) -> bool:
    """More than MAX_META_DEPTH levels of lists and objects (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_META_DEPTH:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


class _Repeated(list[Any]):
    """Values of a repeated --meta key (told apart from a value that is itself a JSON list)."""


def _is_catalog_run(args: argparse.Namespace) -> bool:
    """Whether this run goes through vidlint.catalog (imported only then: not on the cold path)."""
    output = getattr(args, "output", None) or ""
    if output.endswith(".jsonl") and args.format == "text":
        args.format = "jsonl"  # results.jsonl: one result per line, as each completes
    if getattr(args, "from_file", None) or getattr(args, "scheduler", None) or getattr(args, "resume", False):
        return True
    if args.format == "jsonl":
        return True
    if any("://" in path for path in args.paths):
        from vidlint.catalog.buckets import is_bucket_url

        return any(is_bucket_url(path) for path in args.paths)
    return False


def _chosen(args: argparse.Namespace, found: Setup) -> Callable[[Sequence[Report]], Sequence[Report]] | None:
    """--select / --ignore / per-file-ignores, as ``_finish`` applies them, for reports written one
    source at a time; None when nothing is dropped."""
    select, ignore = getattr(args, "select", None), getattr(args, "ignore", None)
    if not (select or ignore or found.per_file_ignores):
        return None
    from vidlint.run.filtering import FindingFilter, tokens

    return FindingFilter(tokens(select), tokens(ignore), found.per_file_ignores, found.exclude_base).apply


def _catalog(args: argparse.Namespace, metadata: dict[str, Any] | None) -> int:
    """A catalog run: sources streamed from the command line, ``--from`` and bucket listings, checked
    ``--concurrency`` at a time (or on a Dask cluster), results written as each completes."""
    from vidlint.catalog.command import CatalogRun
    from vidlint.run import setup

    found = setup.validated(args)
    settled()
    run = CatalogRun.from_args(args, found, metadata, open_output)
    fail_on = args.fail_on or found.fail_on
    if args.format == "jsonl":
        failed = run.write_lines(fail_on, _chosen(args, found))
        print(f"vidlint: {run.tally.summary()}", file=sys.stderr)
        return EXIT_FINDINGS if failed else EXIT_OK
    reports = [report for result in run.results() for report in result.reports]  # one document: kept
    output = getattr(args, "output", None)
    with contextlib.nullcontext(sys.stdout) if output is None else open_output(output) as args.out:
        return _finish(args, reports, run.tally.summary(), found.packs, fail_on)
