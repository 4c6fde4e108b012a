"""Helpers of the rule tests (tests/engine, api, checks, packs, run): facts built directly (no probe;
the builders live in vidlint.packs.cases, which `vidlint pack test` runs too), the shared data files,
TOML tables.

The data stays beside the engine tests (tests/engine/data, spec_cases.toml, sample_codes.toml);
every folder reaches it through the paths below (``from support.engine import ...``: pytest puts
``tests/`` on ``sys.path``, see support/__init__.py).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from support.media import LATER_MARKETPLACES as LATER_MARKETPLACES
from support.media import MARKETPLACES as MARKETPLACES
from support.media import NO_FILE_RULES as NO_FILE_RULES
from support.media import ROOT as ROOT
from support.media import SAMPLES as SAMPLES
from vidlint.packs.cases import GOOD_FETCH as GOOD_FETCH
from vidlint.packs.cases import GOOD_TRACK as GOOD_TRACK
from vidlint.packs.cases import GOOD_VIDEO as GOOD_VIDEO
from vidlint.packs.cases import URL as URL
from vidlint.packs.cases import caption_facts as caption_facts
from vidlint.packs.cases import facts_of as facts_of
from vidlint.packs.cases import image_facts as image_facts
from vidlint.packs.cases import platform_link as platform_link
from vidlint.packs.cases import unread_url as unread_url
from vidlint.packs.cases import url_facts as url_facts
from vidlint.packs.cases import video_facts as video_facts

ENGINE_TESTS = ROOT / "tests" / "engine"
DATA = ENGINE_TESTS / "data"
CUSTOM_PACK = DATA / "custom_pack.toml"  # a user's own pack ("shopfast")
SPEC_CASES = ENGINE_TESTS / "spec_cases.toml"
SAMPLE_CODES = ENGINE_TESTS / "sample_codes.toml"
RULES = ROOT / "rules"


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)
