"""fetch_facts: the facts of a video behind a URL, read with as few bytes as the index needs.

Order of work: URL syntax and scheme; the link's kind from the URL (a platform page goes to the
platform's oEmbed endpoint and is never downloaded); HEAD; a first ranged GET (size, Range
support, magic bytes); the MP4 index prefetched in one or two ranged GETs; a one-byte suffix
range proving the declared end exists; then the header-only probe reads through the same cache.
The download and probe run in vidlint's killable probe worker (libmediainfo can spin for a minute
on hostile bytes). Network trouble never raises: it becomes ``fetch.outcome`` and ``fetch.error``.

Time: one Deadline (``RemoteOptions.timeout_s``) for the whole call, started when it starts and
shared by every step (waiting for the shared worker included); it travels into the worker, which is
killed ``ISOLATION_MARGIN_S`` after it, should a native parser or a name lookup ignore it. When it
passes, the outcome is "timeout".
"""

from __future__ import annotations

from dataclasses import replace
from typing import BinaryIO, cast

from vidlint.errors import ProbeError, VidlintError
from vidlint.model.facts import FetchFacts, MediaFacts
from vidlint.remote.bmff import plan_index_reads
from vidlint.remote.deadline import Deadline
from vidlint.remote.links import LinkKind, classify_link, url_extension
from vidlint.remote.oembed import Availability, check_availability
from vidlint.remote.options import RemoteOptions
from vidlint.remote.problems import FetchProblem, from_exception
from vidlint.remote.reader import RangeReader
from vidlint.remote.session import HttpSession
from vidlint.remote.urls import url_problem

# The worker ends its check at the deadline itself; it is killed this long after, should a native
# parser or a name lookup not return. The outcome is "timeout" either way.
ISOLATION_MARGIN_S = 0.5
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def fetch_facts(url: str, *, options: RemoteOptions | None = None) -> MediaFacts:
    """MediaFacts for the file at ``url`` (http or https), with ``fetch`` telling what happened.

    Never raises for a bad URL or a network problem. When the file could not be read,
    ``fetch.outcome`` is "invalid_url", "failed", "timeout" or "blocked", ``kind`` is "unknown",
    ``readable`` False and ``size_bytes`` whatever Content-Length said. When it could, the facts are
    those of the header-only probe (as for a local file), ``size_bytes`` is the server's size,
    and ``partial`` is True if the byte cap or a server without Range support stopped the read.
    A link to a video platform (YouTube, Vimeo, ...) is not downloaded: its availability is asked
    of the platform's oEmbed endpoint (``fetch.platform_available``; None when it could not be verified).
    """
    options = options or RemoteOptions()
    deadline = Deadline.start(options.timeout_s)
    problem = url_problem(url)
    if problem is not None:
        return _unread(url, FetchFacts(url=url, outcome="invalid_url", error=problem), None)
    link_kind, platform = classify_link(url, options.platform_hosts)
    if platform is not None:
        return _platform_facts(url, link_kind, platform, options, deadline)
    if options.isolate and options.transport is None:
        return _isolated(url, options, deadline)
    return file_facts(url, options, deadline)


def file_facts(url: str, options: RemoteOptions, deadline: Deadline | None = None) -> MediaFacts:
    """The file part of ``fetch_facts``, in this process (the worker's task), by ``deadline``
    (default: ``options.timeout_s`` from now). Never raises."""
    try:
        with HttpSession(options, deadline) as session:
            return _file_facts(url, session)
    except Exception as exc:  # a bug in vidlint or a backend: report it for this URL, never a traceback
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        problem = FetchProblem("failed", f"internal error reading the URL: {detail}")
        return _unread(url, _problem_facts(url, problem, None, 0, None), None)


def _isolated(url: str, options: RemoteOptions, deadline: Deadline) -> MediaFacts:
    from vidlint.probing.worker import call_isolated

    try:
        timeout_s = deadline.remaining() + ISOLATION_MARGIN_S
        return call_isolated(file_facts, url, options, deadline, timeout_s=timeout_s, label=url)
    except ProbeError as exc:  # the worker overran the deadline (a stuck parser or lookup) or died
        if "timed out" in str(exc):
            problem = FetchProblem("timeout", f"{deadline.problem().message}; the check was stopped")
        else:
            problem = FetchProblem("failed", f"the check was stopped: {exc}")
        return _unread(url, _problem_facts(url, problem, None, 0, None), None)


def _platform_facts(
    url: str, link_kind: LinkKind, platform: str, options: RemoteOptions, deadline: Deadline
) -> MediaFacts:
    if link_kind != "platform":
        availability = Availability(None, None)  # not a video page: nothing to look up
    elif options.check_platform:
        availability = check_availability(platform, url, options, deadline)
    else:
        availability = Availability(None, "could not verify: platform checks are turned off")
    fetch = FetchFacts(
        url=url,
        outcome="ok",
        link_kind=link_kind,
        platform=platform,
        platform_available=availability.available,
        error=availability.note,
    )
    return MediaFacts(
        path=url, size_bytes=None, extension=url_extension(url), kind="unknown", fetch=fetch, backend="oembed"
    )


def _file_facts(url: str, session: HttpSession) -> MediaFacts:
    declared: int | None = None
    try:
        declared = _head(session, url)
        with RangeReader(session, session.final_url or url) as reader:
            facts = _read(reader, url)
    except (FetchProblem, OSError) as exc:
        problem = from_exception(exc)
        fetch = _problem_facts(url, problem, declared, session.bytes_transferred, session.final_url)
        return _unread(url, fetch, declared)
    fetch = FetchFacts(
        url=url,
        outcome="ok",
        http_status=reader.status,
        content_length=declared if declared is not None else reader.size,
        bytes_transferred=session.bytes_transferred,
        range_supported=reader.range_supported,
        final_url=session.final_url,
        link_kind=_content_kind(facts, reader.content_type),
    )
    if reader.partial:
        facts = _partial(facts, reader)
    return replace(facts, path=url, extension=url_extension(url), size_bytes=reader.size, fetch=fetch)


def _head(session: HttpSession, url: str) -> int | None:
    """Content-Length from a HEAD. A HEAD the server refuses is not final: the GET decides."""
    response = session.open("HEAD", url)
    response.close()
    length = response.headers.get("content-length", "")
    return int(length) if response.is_success and length.isdigit() else None


def _read(reader: RangeReader, url: str) -> MediaFacts:
    reader.start()
    plan_index_reads(reader)
    reader.verify_end()
    facts = _probe(reader, url)
    if reader.problem is not None:
        raise reader.problem
    return facts


def _probe(reader: RangeReader, url: str) -> MediaFacts:
    from vidlint.probing import probe_stream  # heavy (pymediainfo): imported on first use

    try:
        # RangeReader is a raw binary file (read, readinto, seek, tell): all probe_stream uses of BinaryIO
        return probe_stream(cast(BinaryIO, reader), name=url, size=reader.known_size)
    except VidlintError as exc:
        return MediaFacts(
            path=url, size_bytes=reader.size, extension=url_extension(url), kind="unknown", error=str(exc)
        )


def _partial(facts: MediaFacts, reader: RangeReader) -> MediaFacts:
    """What a probe that ran out of bytes may not claim: the end it did not see is not "truncated"."""
    if reader.range_supported is False:
        why = f"the server ignores Range requests; reading stopped after {reader.prefix_length} bytes"
    else:
        why = "reading stopped at the byte cap (RemoteOptions.max_bytes)"
    error = facts.error if facts.readable else f"partial read: {why}; the index was not reached"
    return replace(facts, partial=True, truncated=False, error=error)


def _content_kind(facts: MediaFacts, header_type: str | None) -> LinkKind:
    """Whether the server sent a web page ("page") rather than a file ("file")."""
    sniffed = (facts.content_type or "").split(";")[0].strip().lower()
    declared = (header_type or "").split(";")[0].strip().lower()
    if facts.kind in ("text", "unknown") and (sniffed in _HTML_TYPES or declared in _HTML_TYPES):
        return "page"
    return "file"


def _problem_facts(
    url: str, problem: FetchProblem, declared: int | None, transferred: int, final_url: str | None
) -> FetchFacts:
    return FetchFacts(
        url=url,
        outcome=problem.outcome,
        http_status=problem.http_status,
        content_length=declared,
        bytes_transferred=transferred,
        final_url=final_url,
        error=problem.message,
        link_kind=classify_link(url)[0],
    )


def _unread(url: str, fetch: FetchFacts, size: int | None) -> MediaFacts:
    return MediaFacts(
        path=url,
        size_bytes=size,
        extension=url_extension(url),
        kind="unknown",
        fetch=fetch,
        backend="http",
        error=fetch.error,
    )
