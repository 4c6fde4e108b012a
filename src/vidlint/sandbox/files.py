"""A static file server on 127.0.0.1: the "user's own bucket" that URL-taking providers download from."""

from __future__ import annotations

import functools
import logging
import shutil
import tempfile
import uuid
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import quote

from vidlint.clients.redact import redact_text
from vidlint.sandbox.serving import ThreadedServer

log = logging.getLogger(__name__)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug("files: %s", redact_text(format % args))


class StaticFiles(ThreadedServer):
    """Serves ``root`` (a new temporary folder when omitted) until stopped."""

    def __init__(self, root: Path | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._own_root = root is None
        self.root = (root or Path(tempfile.mkdtemp(prefix="vidlint-files-"))).resolve()
        super().__init__(functools.partial(_QuietHandler, directory=str(self.root)), host, port)

    def url_for(self, path: Path | str) -> str:
        """The URL of a file under ``root`` (absolute or relative to it)."""
        relative = (self.root / path).resolve().relative_to(self.root)
        return f"{self.url}/{quote(relative.as_posix())}"

    def publish(self, path: Path) -> str:
        """Copy ``path`` under ``root`` (keeping its name) and return its URL: a ready-made publisher."""
        folder = self.root / uuid.uuid4().hex
        folder.mkdir()
        target = folder / path.name
        shutil.copyfile(path, target)
        return self.url_for(target)

    def stop(self) -> None:
        super().stop()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)
