"""The marketplaces vidlint uploads to: one package each, collected in ``PROVIDERS``.

Each ``vidlint.providers.<id>`` holds its client and credentials (``client``), its request and answer
bodies (``models``) and a local fake of its API (``sandbox``), and exports one ``PROVIDER``. What they
share lives in vidlint.clients (HTTP, retries, rate limits, credentials loading, the upload facade) and
vidlint.sandbox (the server, faults, the file server). ``PROVIDERS`` is the one list of marketplaces
on the upload side: ``make_client``, ``vidlint.sandbox.start`` and the CLI's choices all read it.
Importing this package is cheap: each entry names its classes and imports them on first use.
"""

from __future__ import annotations

from vidlint.providers import akinon, ecwid, samsclub, shoplive, trendyol
from vidlint.providers.registry import Provider

PROVIDERS: dict[str, Provider] = {
    entry.id: entry
    for entry in (trendyol.PROVIDER, samsclub.PROVIDER, akinon.PROVIDER, ecwid.PROVIDER, shoplive.PROVIDER)
}

__all__ = ["PROVIDERS", "Provider"]
