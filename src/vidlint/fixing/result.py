"""What ``vidlint fix`` did with each file (frozen values, ``vidlint.as_data`` gives their JSON)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal

from vidlint.model.facts import Frozen

# fixed: written and re-checked passing; passing: nothing to do; planned: --dry-run, would be fixed;
# unfixable: processing cannot make it pass (reason: what to do instead); conflict: the marketplaces'
# limits cannot all be met; error: ffmpeg or the file system failed (nothing was written)
Status = Literal["fixed", "passing", "planned", "unfixable", "conflict", "error"]
GOOD: tuple[Status, ...] = ("fixed", "passing", "planned")


@dataclass(frozen=True, slots=True, kw_only=True)
class FileFix(Frozen):
    source: str
    status: Status
    output: str | None = None  # the fixed video (None: not written)
    caption: str | None = None  # the fixed caption written beside it
    command: str | None = None  # the ffmpeg command line run (the output named by its final path)
    steps: tuple[str, ...] = ()  # what the job did, in words
    stream_copy: bool | None = None  # True: no stream was re-encoded
    reason: str | None = None  # why it is not fixed
    codes: tuple[str, ...] = ()  # the codes the input failed with
    seconds: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class FixResult(Frozen):
    _computed = ("ok",)
    _nested: ClassVar[Mapping[str, type[Frozen]]] = {"files": FileFix}

    marketplaces: tuple[str, ...] = ()
    files: tuple[FileFix, ...] = ()

    @property
    def ok(self) -> bool:
        """Every file passes every marketplace now (or would, after --dry-run)."""
        return all(f.status in GOOD for f in self.files)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1
