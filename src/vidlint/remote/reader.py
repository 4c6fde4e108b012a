"""RangeReader: a seekable, read-only binary file over HTTP Range requests.

Reads are served from a cache of fixed-size, block-aligned pieces, so many small reads near each
other cost one request. Missing blocks next to each other are fetched with one ranged GET. Body
bytes are capped by ``RemoteOptions.max_bytes``: past the cap a read returns what it has (EOF)
and ``capped`` is set. When the server ignores Range, the reader falls back to one streamed GET
and keeps the prefix it has read (``range_supported`` False, ``partial`` True unless the whole
file fitted under the cap).

Reads never raise for network trouble: the first FetchProblem is kept in ``problem`` and reads
return EOF, so a parser reading through this object (libmediainfo via pymediainfo) just stops;
the caller looks at ``problem`` afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import httpx

from vidlint.probing.reading import BlockCache, ReadAtFile
from vidlint.remote.problems import FetchProblem, http_error
from vidlint.remote.session import HttpSession

if TYPE_CHECKING:
    pass

_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)


def parse_content_range(value: str | None) -> tuple[int, int, int | None] | None:
    """``(first, last, total)`` from a Content-Range header (total None for ``*``), or None."""
    match = _CONTENT_RANGE.match(value or "")
    if match is None:
        return None
    first, last, total = match.groups()
    return int(first), int(last), None if total == "*" else int(total)


class RangeReader(ReadAtFile):
    def __init__(self, session: HttpSession, url: str) -> None:
        super().__init__()
        self._session = session
        self._url = url
        self._block = session.options.block_size
        self.size: int | None = None
        self.range_supported: bool | None = None
        self.status: int | None = None  # of the first GET
        self.content_type: str | None = None  # the server's Content-Type header
        self.capped = False
        self.problem: FetchProblem | None = None
        self._cache = BlockCache(self._block)
        self._prefix = bytearray()  # what a server without Range support has sent so far
        self._response: httpx.Response | None = None
        self._stream: Iterator[bytes] | None = None
        self._stream_limit = 0

    def close(self) -> None:
        self._end_stream()
        super().close()

    # reading ------------------------------------------------------------------------------------
    @property
    def end(self) -> int:
        return self.known_size

    @property
    def known_size(self) -> int:
        """The size when the server said it, else what a server without Range support has sent so far."""
        return self.size if self.size is not None else len(self._prefix)

    @property
    def prefix_length(self) -> int:
        """How many bytes a server without Range support has sent so far."""
        return len(self._prefix)

    @property
    def partial(self) -> bool:
        """True when some of the file could not be read: the byte cap was hit, or no Range support."""
        if self.range_supported is False:
            return self.size is None or len(self._prefix) < self.size
        return self.capped

    def start(self) -> None:
        """Fetch the first block: learns the size and whether Range works. Raises FetchProblem."""
        response = self._session.open("GET", self._url, {"Range": f"bytes=0-{self._block - 1}"})
        self.status, self.content_type = response.status_code, response.headers.get("content-type")
        if response.status_code == 206:
            self._start_ranged(response)
        elif response.status_code == 416:
            response.close()
            self._start_empty(response)
        elif response.is_success:
            self._start_sequential(response)
        else:
            response.close()
            raise http_error(response)

    def read_at(self, pos: int, count: int) -> bytes:
        """Up to ``count`` bytes at ``pos`` (fewer at EOF, past the cap, or after a problem)."""
        if self.size is not None:
            count = min(count, self.size - pos)
        if count <= 0:
            return b""
        self._guarded(self._ensure, pos, pos + count)
        return self._available(pos, count)

    def prefetch(self, start: int, end: int) -> None:
        """Bring ``[start, end)`` into the cache with as few requests as possible (within the cap)."""
        if self.range_supported and self.size is not None:
            self._guarded(self._ensure, max(start, 0), min(end, self.size))

    def prefetch_tail(self, start: int) -> None:
        """Bring ``[start, EOF)`` into the cache with one suffix-range request (``bytes=-N``)."""
        if not (self.range_supported and self.size is not None) or start >= self.size:
            return
        aligned = start - start % self._block
        if any(i in self._cache for i in range(aligned // self._block, self._last_block() + 1)):
            self.prefetch(aligned, self.size)
        elif self.size - aligned <= self._budget():
            self._guarded(self._get, aligned, self.size - 1, True)
        else:
            self.prefetch(aligned, self.size)

    def verify_end(self) -> None:
        """Check that the server can serve the last byte it declares (a one-byte suffix range).

        Catches a Content-Length larger than the data behind it. Raises FetchProblem.
        """
        if not (self.range_supported and self.size) or self._last_block() in self._cache:
            return
        if self._budget() < 1:
            self.capped = True
            return
        response = self._session.open("GET", self._url, {"Range": "bytes=-1"})
        try:
            self._expect_range(response, self.size - 1, self.size - 1)
            self._read_exact(response, 1)
        finally:
            response.close()

    # internals ----------------------------------------------------------------------------------
    def _start_ranged(self, response: httpx.Response) -> None:
        span = parse_content_range(response.headers.get("content-range"))
        if span is None or span[0] != 0 or span[2] is None:
            response.close()
            raise FetchProblem("failed", "the server answered a range request without a usable Content-Range")
        self.range_supported, self.size = True, span[2]
        try:  # a server may send more than the block asked for: take the block, drop the rest
            data = self._read_exact(response, min(span[1] + 1, self._block))
        finally:
            response.close()
        self._cache.store(0, data)

    def _start_empty(self, response: httpx.Response) -> None:
        span = response.headers.get("content-range", "")
        if not span.replace(" ", "").endswith("*/0"):
            raise http_error(response)
        self.range_supported, self.size = True, 0

    def _start_sequential(self, response: httpx.Response) -> None:
        self.range_supported = False
        length = response.headers.get("content-length", "")
        self.size = int(length) if length.isdigit() else None
        self._response = response
        self._stream_limit = self._budget()
        self._stream = self._session.iter_body(response, self._stream_limit)
        self._pull(self._block)

    def _guarded(self, action: Callable[..., None], *args: int | bool) -> None:
        if self.problem is not None:
            return
        try:
            action(*args)
        except FetchProblem as problem:
            self.problem = problem
            self._end_stream()

    def _ensure(self, start: int, end: int) -> None:
        if self.range_supported is False:
            self._pull(end)
            return
        for first, last in self._cache.missing_runs(start, end):
            self._fetch_blocks(first, last)

    def _fetch_blocks(self, first: int, last: int) -> None:
        allowed = self._budget() // self._block
        if last - first + 1 > allowed:
            self.capped = True
            last = first + allowed - 1
        if last >= first:
            self._get(first * self._block, min((last + 1) * self._block, self._size()) - 1, False)

    def _get(self, start: int, end: int, suffix: bool) -> None:
        spec = f"bytes=-{self._size() - start}" if suffix else f"bytes={start}-{end}"
        response = self._session.open("GET", self._url, {"Range": spec})
        try:
            self._expect_range(response, start, end)
            data = self._read_exact(response, end - start + 1)
        finally:
            response.close()
        self._cache.store(start, data)

    def _expect_range(self, response: httpx.Response, start: int, end: int) -> None:
        if response.status_code != 206:
            if response.status_code >= 400:
                raise http_error(response)
            raise FetchProblem("failed", f"the server stopped honouring Range (HTTP {response.status_code})")
        if parse_content_range(response.headers.get("content-range")) != (start, end, self.size):
            raise FetchProblem(
                "failed", f"the server did not send bytes {start}-{end} of the {self.size} it declared"
            )

    def _read_exact(self, response: httpx.Response, count: int) -> bytes:
        data = self._session.read_body(response, count)
        if len(data) < count:
            raise FetchProblem("failed", f"the server sent {len(data)} of {count} bytes and stopped")
        return data

    def _pull(self, end: int) -> None:
        while self._stream is not None and len(self._prefix) < end:
            chunk = next(self._stream, None)
            if chunk is None:
                self._stream_ended()
            else:
                self._prefix += chunk

    def _stream_ended(self) -> None:
        if len(self._prefix) < self._stream_limit:  # the body ended on its own: we have all of it
            self.size = len(self._prefix) if self.size is None else self.size
        else:
            self.capped = True
        self._end_stream()

    def _end_stream(self) -> None:
        if self._response is not None:
            self._response.close()
        self._response, self._stream = None, None

    def _available(self, pos: int, count: int) -> bytes:
        if self.range_supported is False:
            return bytes(self._prefix[pos : pos + count])
        return self._cache.read(pos, count)

    def _budget(self) -> int:
        return max(self._session.options.max_bytes - self._session.bytes_transferred, 0)

    def _size(self) -> int:
        return self.size or 0

    def _last_block(self) -> int:
        return max(self._size() - 1, 0) // self._block
