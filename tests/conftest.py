"""Session-wide: the catalog tests run last.

They read buckets in this process through s3fs, whose IO thread (an asyncio loop) lives until the
process ends. Every probe worker is forked from this process, and a fork beside a busy thread can
leave the child holding a lock it never gets back (docs/catalog.md): in a full run, tests after the
catalog ones then saw a probe time out now and then. Run last, they share the process with nothing
that forks after them.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def late(item: pytest.Item) -> tuple[bool, bool]:
        return item.nodeid.startswith("tests/catalog/"), "s3" in item.nodeid or "bucket" in item.nodeid

    items.sort(key=late)
