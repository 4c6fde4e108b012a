"""Akinon Omnitron's product videos and images (multipart uploads).

``client`` holds its client and credentials, ``models`` its bodies, ``sandbox`` a local fake of it.
"""

from __future__ import annotations

from vidlint.providers.registry import Provider

PROVIDER = Provider(
    id="akinon",
    client=f"{__name__}.client:AkinonClient",
    credentials=f"{__name__}.client:AkinonCredentials",
    sandbox_app=f"{__name__}.sandbox:AkinonApp",
    sandbox_settings=f"{__name__}.sandbox:AkinonSettings",
)
