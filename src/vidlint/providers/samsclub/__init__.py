"""Sam's Club's Media API on Walmart's gateway (signed requests, files by PUT).

``client`` holds its client and credentials, ``models`` its bodies, ``sandbox`` a local fake of it.
"""

from __future__ import annotations

from vidlint.providers.registry import Provider

PROVIDER = Provider(
    id="samsclub",
    client=f"{__name__}.client:SamsClubClient",
    credentials=f"{__name__}.client:SamsClubCredentials",
    sandbox_app=f"{__name__}.sandbox:SamsClubApp",
    sandbox_settings=f"{__name__}.sandbox:SamsClubSettings",
    # The document: processing takes ~30 minutes; look 30 minutes after uploading, then every 15, for 4 hours.
    wait=(1800.0, 900.0, 4 * 3600.0),
)
