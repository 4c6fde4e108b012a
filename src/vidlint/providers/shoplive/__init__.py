"""Shoplive shortforms (search and retrieval; no upload).

``client`` holds its client and credentials, ``models`` its bodies, ``sandbox`` a local fake of it.
"""

from __future__ import annotations

from vidlint.providers.registry import Provider

PROVIDER = Provider(
    id="shoplive",
    client=f"{__name__}.client:ShopliveClient",
    credentials=f"{__name__}.client:ShopliveCredentials",
    sandbox_app=f"{__name__}.sandbox:ShopliveApp",
    sandbox_settings=f"{__name__}.sandbox:ShopliveSettings",
)
