"""Fixing files: check, plan, run ffmpeg into a temporary folder, re-check with the same packs, and
only then move the result into place (``os.replace``: atomic on one file system).

The temporary folder (``vidlint-tmp-*``) sits in the output folder (beside the input with
``--in-place``), so the final rename never crosses file systems; it is removed whatever happens: a
failed or killed ffmpeg, a full disk, an output that still fails, Ctrl-C.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from vidlint.fixing.captions import CaptionUnrepairable, repair
from vidlint.fixing.command import command, shown
from vidlint.fixing.limits import Conflict, Limits, limits_of
from vidlint.fixing.options import FixOptions
from vidlint.fixing.plan import Failure, Plan, Unfixable, plan, refit
from vidlint.fixing.progress import Bars
from vidlint.fixing.result import FileFix, FixResult
from vidlint.fixing.runner import FfmpegError, Running, run_ffmpeg
from vidlint.model.report import Finding, Report
from vidlint.packs.pack import Pack

_CHECKING = threading.Lock()  # the probe workers serve one pipeline at a time


@dataclass
class _Run:
    """What every file of one run shares."""

    packs: Mapping[str, Pack]
    limits: Limits
    conflicts: list[Conflict]
    options: FixOptions
    running: Running
    bars: Bars
    claimed: set[Path]
    lock: threading.Lock


def fix_sources(sources: Iterable[str], packs: Mapping[str, Pack], options: FixOptions) -> FixResult:
    """Fix every source for every pack at once (see :func:`vidlint.fixing`)."""
    names = list(sources)
    limits = limits_of(packs.values())
    run = _Run(packs, limits, limits.conflicts(), options, Running(), Bars(options.progress), set(),
               threading.Lock())  # fmt: skip
    reports = _check(names, packs)
    with run.bars, ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        futures = [pool.submit(_fix_one, name, reports.get(name, []), run) for name in names]
        try:
            _wait(futures)
        except BaseException:  # Ctrl-C (or SIGTERM turned into one): stop every ffmpeg, clean up
            run.running.cancel()
            for future in futures:
                future.cancel()
            wait(futures)
            raise
    return FixResult(marketplaces=tuple(packs), files=tuple(f.result() for f in futures))


def _wait(futures: list[Future[FileFix]]) -> None:
    pending = set(futures)
    while pending:
        _, pending = wait(pending, timeout=0.2)  # short waits: a signal is handled between them


def _check(names: list[str], packs: Mapping[str, Pack]) -> dict[str, list[Report]]:
    from vidlint.api import check_many

    found: dict[str, list[Report]] = {}
    with _CHECKING:
        for report in check_many(names, list(packs.values())):
            found.setdefault(report.source, []).append(report)
    return found


def _recheck(video: str, caption: str | None, packs: Mapping[str, Pack]) -> list[Report]:
    from vidlint.api import check_all

    with _CHECKING:
        return list(check_all(video, list(packs.values()), caption=caption).values())


def _fix_one(source: str, reports: list[Report], run: _Run) -> FileFix:
    started = time.monotonic()
    found = _fix(source, reports, run)
    return _with(found, seconds=round(time.monotonic() - started, 3))


def _fix(source: str, reports: list[Report], run: _Run) -> FileFix:
    failures = _failures(reports, run.packs)
    codes = tuple(dict.fromkeys(f.finding.code for f in failures))
    if not reports:
        return FileFix(source=source, status="error", reason="not checked")
    if not failures:
        return FileFix(source=source, status="passing")
    caption = reports[0].caption
    conflicts = [c for c in run.conflicts if caption is not None or c.what != "caption extension"]
    if conflicts:
        return FileFix(source=source, status="conflict", codes=codes,
                       reason="; ".join(c.describe() for c in conflicts))  # fmt: skip
    facts = reports[0].facts
    if facts is None:
        return FileFix(source=source, status="unfixable", codes=codes, reason="the file could not be read")
    try:
        job = plan(facts, failures, run.limits, run.options, Path(caption) if caption else None)
        return _carry_out(source, caption, job, codes, run)
    except Unfixable as exc:
        return FileFix(source=source, status="unfixable", codes=codes, reason=str(exc))


def _failures(reports: list[Report], packs: Mapping[str, Pack]) -> list[Failure]:
    failures = []
    for report in reports:
        rules = {rule.id: rule for rule in packs[report.marketplace].rules}
        failures += [Failure(report.marketplace, f, rules.get(f.rule)) for f in report.findings
                     if f.severity == "error"]  # fmt: skip
    return failures


def _carry_out(source: str, caption: str | None, job: Plan, codes: tuple[str, ...], run: _Run) -> FileFix:
    options = run.options
    video_out, caption_out = _destinations(Path(source), caption, job, options)
    steps = job.steps
    if options.in_place and job.media and video_out != Path(source):
        steps += (f"written beside the input as {video_out.name} (its extension changes); the input is kept",)
    base = FileFix(source=source, status="planned", codes=codes, steps=steps,
                   stream_copy=job.stream_copy if job.media else None)  # fmt: skip
    if options.dry_run:
        args = command(job, source, str(video_out), options.quality) if job.media else None
        text = shown(args, str(video_out), str(video_out)) if args else None
        return _with(base, output=str(video_out), caption=_name(caption_out), command=text)
    problem = _claim(video_out, caption_out, source, caption, run)
    if problem:
        return _with(base, status="error", reason=problem)
    folder = Path(tempfile.mkdtemp(prefix="vidlint-tmp-", dir=video_out.parent))
    try:
        return _produce(source, caption, job, base, folder, video_out, caption_out, run)
    except (FfmpegError, CaptionUnrepairable, OSError) as exc:
        status = "unfixable" if isinstance(exc, CaptionUnrepairable) else "error"
        reason = f"caption not repairable: {exc}" if status == "unfixable" else _one_line(exc)
        return _with(base, status=status, reason=reason)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _produce(
    source: str,
    caption: str | None,
    job: Plan,
    base: FileFix,
    folder: Path,
    video_out: Path,
    caption_out: Path | None,
    run: _Run,
) -> FileFix:
    video_tmp = folder / video_out.name
    text = None
    if job.media:
        text = _encode(source, job, video_tmp, video_out, run)
    elif not run.options.in_place:
        shutil.copyfile(source, video_tmp)  # the folder of fixed files holds the video beside its caption
    caption_tmp = _caption(caption, job, folder, caption_out)
    checked = str(video_tmp) if video_tmp.exists() else source
    still = _still(checked, caption_tmp, run.packs)
    again = refit(job, run.limits, run.options) if still and _only_size(still, run.packs) else None
    if again is not None:  # one more encode, at the bitrate the size limit leaves
        text = _encode(source, again, video_tmp, video_out, run)
        base = _with(base, steps=again.steps)
        still = _still(checked, caption_tmp, run.packs)
    if still:
        failed = ", ".join(f"{m}: {f.code}" for m, f in still)
        return _with(base, status="unfixable", command=text, reason=f"the fixed file still fails ({failed})")
    if video_tmp.exists():
        os.replace(video_tmp, video_out)
    if caption_tmp is not None and caption_out is not None:
        os.replace(caption_tmp, caption_out)
    written = job.media or not run.options.in_place
    return _with(base, status="fixed", output=str(video_out) if written else None, caption=_name(caption_out),
                 command=text)  # fmt: skip


def _encode(source: str, job: Plan, video_tmp: Path, video_out: Path, run: _Run) -> str:
    """Run the job into ``video_tmp``; the command as shown (the output named by its final path)."""
    args = command(job, source, str(video_tmp), run.options.quality)
    advance, done = run.bars.track(Path(source).name, job.duration_s)
    try:
        run_ffmpeg(args, timeout_s=run.options.timeout_s, running=run.running, on_progress=advance)
    finally:
        done()
    return shown(args, str(video_tmp), str(video_out))


def _still(video: str, caption: str | None, packs: Mapping[str, Pack]) -> list[tuple[str, Finding]]:
    """The error findings the output still has, with their marketplace."""
    return [(r.marketplace, f) for r in _recheck(video, caption, packs) for f in r.findings
            if f.severity == "error"]  # fmt: skip


def _only_size(still: list[tuple[str, Finding]], packs: Mapping[str, Pack]) -> bool:
    rules = {rule.id: rule for pack in packs.values() for rule in pack.rules}
    return all(f.rule in rules and rules[f.rule].fields == ("size_bytes",) for _, f in still)


def _caption(caption: str | None, job: Plan, folder: Path, caption_out: Path | None) -> str | None:
    """The caption written into the temporary folder (repaired, converted or copied), or None."""
    if caption is None or caption_out is None:
        return None
    target = folder / caption_out.name
    if job.caption_extension is None:
        shutil.copyfile(caption, target)
    else:
        repaired = repair(Path(caption).read_bytes(), job.caption_extension)
        target.write_text(repaired.text, encoding="utf-8")
    return str(target)


def _destinations(
    source: Path, caption: str | None, job: Plan, options: FixOptions
) -> tuple[Path, Path | None]:
    folder = source.parent if options.in_place else options.output_dir()
    video = folder / (source.stem + (job.extension if job.media else source.suffix))
    if caption is None or (options.in_place and job.caption_extension is None):
        return video, None
    extension = job.caption_extension or Path(caption).suffix
    caption_folder = Path(caption).parent if options.in_place else folder
    return video, caption_folder / (Path(caption).stem + extension)


def _claim(video: Path, caption_out: Path | None, source: str, caption: str | None, run: _Run) -> str | None:
    """Reserve the output names (None), or say why they cannot be written."""
    mine = {Path(source).resolve(), *([Path(caption).resolve()] if caption else [])}
    with run.lock:
        for target in filter(None, (video, caption_out)):
            resolved = target.resolve()
            if resolved in mine and not run.options.in_place:
                return f"{target} is the input: choose another output folder, or --in-place"
            if resolved in run.claimed:
                return f"{target}: another file of this run is written there"
            if target.exists() and not (run.options.overwrite or (run.options.in_place and resolved in mine)):
                return f"{target} exists (--overwrite replaces it)"
            run.claimed.add(resolved)
    try:
        video.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create {video.parent}: {exc.strerror or exc}"
    return None


def _with(base: FileFix, **changes: object) -> FileFix:
    from dataclasses import replace

    return replace(base, **changes)  # type: ignore[arg-type]


def _name(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename or ''}: {exc.strerror}".lstrip(": ")
    return " ".join(str(exc).split())
