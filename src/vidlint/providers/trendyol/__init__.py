"""Trendyol's seller video API (videos by URL).

``client`` holds its client and credentials, ``models`` its bodies, ``sandbox`` a local fake of it.
"""

from __future__ import annotations

from vidlint.providers.registry import Provider

PROVIDER = Provider(
    id="trendyol",
    client=f"{__name__}.client:TrendyolClient",
    credentials=f"{__name__}.client:TrendyolCredentials",
    sandbox_app=f"{__name__}.sandbox:TrendyolApp",
    sandbox_settings=f"{__name__}.sandbox:TrendyolSettings",
    # Download and check take minutes, approval longer: look after 10 s, then every 30 s, for an hour.
    wait=(10.0, 30.0, 3600.0),
)
