"""The facts of one catalog source, in a killable probe worker: a local file, a URL or a bucket object.

Runs in the worker (vidlint.probing.worker): the parent kills it when it overruns the source's time
budget, should a native parser ignore the deadline. Never raises: a source that cannot be read at all
comes back as a ProbeError value (a local file) or as facts whose ``fetch`` says why (a URL, an object).
"""

from __future__ import annotations

import os
import time

from vidlint.errors import ProbeError
from vidlint.model.facts import MediaFacts
from vidlint.model.source import is_url
from vidlint.probing.worker import TIMEOUT_S
from vidlint.remote.options import RemoteOptions


def time_limit_s(source: str, options: RemoteOptions) -> float:
    """How long the worker may take for ``source`` before it is killed."""
    from vidlint.remote.fetch import ISOLATION_MARGIN_S

    return options.timeout_s + ISOLATION_MARGIN_S if is_url(source) else TIMEOUT_S


def read_facts(
    source: str, options: RemoteOptions, cwd: str, env: dict[str, str] | None = None
) -> MediaFacts | ProbeError:
    """The worker's task: header-only facts of ``source`` (a relative path against ``cwd``; ``env``:
    the caller's cloud variables, for a bucket object)."""
    from vidlint.catalog.buckets import is_bucket_url

    try:
        if is_bucket_url(source):
            from vidlint.catalog.objects import judged, object_facts

            return judged(object_facts(source, options, env))
        if is_url(source):
            from vidlint.remote.fetch import fetch_facts

            return fetch_facts(source, options=options.model_copy(update={"isolate": False}))
        from vidlint.probing.local import probe_path

        deadline_s = time.monotonic() + TIMEOUT_S * 0.8  # ffprobe's own timeout inside the worker's
        return probe_path(os.path.join(cwd, source), name=source, deadline_s=deadline_s)
    except ProbeError as exc:
        return exc
    except Exception as exc:  # a bug in vidlint or a backend: this source's failure, never a traceback
        return ProbeError(" ".join(f"internal error reading {source}: {type(exc).__name__}: {exc}".split()))
