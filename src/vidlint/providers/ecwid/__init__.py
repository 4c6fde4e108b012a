"""Ecwid's product media (by URL).

``client`` holds its client and credentials, ``models`` its bodies, ``sandbox`` a local fake of it.
"""

from __future__ import annotations

from vidlint.providers.registry import Provider

PROVIDER = Provider(
    id="ecwid",
    client=f"{__name__}.client:EcwidClient",
    credentials=f"{__name__}.client:EcwidCredentials",
    sandbox_app=f"{__name__}.sandbox:EcwidApp",
    sandbox_settings=f"{__name__}.sandbox:EcwidSettings",
)
