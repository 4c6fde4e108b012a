"""`vidlint rules list` / `rules show` text (vidlint.packs.docs), and the wheel that ships the packs."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.engine import ROOT

from vidlint.errors import UnknownMarketplaceError
from vidlint.model.report import anchor
from vidlint.packs.builtin import builtin_packs, load_pack
from vidlint.packs.docs import render_list, render_reference, render_show
from vidlint.packs.overrides import apply_overrides


def test_list_names_every_rule_and_code() -> None:
    text = render_list()
    for pack in builtin_packs().values():
        assert f"{pack.id}: {pack.name}" in text
        for rule in pack.rules:
            assert rule.id in text and rule.code in text
    assert "E_FILE_FORMAT *" in text and "E_ASPECT_RATIO *" not in text  # * marks vidlint's own codes


def test_list_of_one_marketplace_and_of_effective_packs() -> None:
    assert "trendyol." not in render_list("samsclub")
    changed = apply_overrides(load_pack("trendyol"), {"trendyol.duration": {"max": 180}}, ["trendyol.size"])
    text = render_list([changed])
    assert "8-180 s" in text and "trendyol.size (disabled)" in text


def test_show_a_rule() -> None:
    text = render_show("samsclub.min-pixel")
    assert text.startswith("samsclub.min-pixel\n")
    for part in (
        "E_MIN_PIXEL (documented by the provider)",
        ">= 1920x1080 px (oriented)",
        "source:     Walmart Sponsored Search partner API (Sam's Club media), "
        "Upload Media: Note (mediaType): dimensions 1920 x 1080px - 3840 x 2160px; "
        "Complete Media Upload: sample errors "
        "(https://developer.walmart.com/advertising-partners-search/docs/upload-media)",
        '[tool.vidlint.overrides."samsclub.min-pixel"]',
    ):
        assert part in text
    assert "seed" not in text and ".txt" not in text


def test_show_a_rule_with_its_own_link() -> None:
    text = render_show("samsclub.media-name")
    page = "https://developer.walmart.com/advertising-partners-search/docs/complete-media-upload"
    assert f"({page})" in text


def test_show_a_marketplace() -> None:
    text = render_show("ecwid")
    assert "ecwid.gallery-erase" in text and "GALLERY_ERASED" in text


def test_show_unknown() -> None:
    with pytest.raises(UnknownMarketplaceError, match=r"no rule, code or marketplace 'samsclub\.lenght'"):
        render_show("samsclub.lenght")


def test_show_by_provider_code_lists_every_marketplace_that_uses_it() -> None:
    packs = builtin_packs()
    for code in {rule.code for pack in packs.values() for rule in pack.rules}:
        shown = render_show(code)
        owners = [rule.id for pack in packs.values() for rule in pack.rules if rule.code == code]
        assert all(f"{rule_id}\n" in shown for rule_id in owners), code
        assert shown.count("  code:") == len(owners)


def test_show_explains_the_built_in_codes_and_links_their_section() -> None:
    reference = render_reference()
    for code in ("vidlint.unreadable", "internal-error", "trendyol.provider"):
        shown = render_show(code)
        assert shown.startswith(code) and "built-in:" in shown
        linked = shown.rsplit("#", 1)[1].strip()
        titles = re.findall(r"^### `([^`]+)`", reference, flags=re.M)
        assert linked in {anchor(title) for title in titles}


def test_wheel_ships_the_packs_and_loads_them_installed(tmp_path: Path) -> None:
    dist, site = tmp_path / "dist", tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = dist.glob("vidlint-*.whl")
    shipped = {f"vidlint/rules/{p}.toml" for p in builtin_packs()}
    shipped |= {"vidlint/rules/pack.schema.json", "vidlint/rules/compiled.json"}
    with zipfile.ZipFile(wheel) as archive:
        assert shipped <= set(archive.namelist())
        archive.extractall(site)
    code = (
        f"import sys; sys.path.insert(0, {str(site)!r});"
        "import vidlint.api, vidlint.packs.builtin as b;"
        "print(b.packs_dir()); print(len(b.load_pack('trendyol').rules));"
        "print(vidlint.api.check(None, 'ecwid', metadata={}).codes());"
        "print(sorted(b.compiled_packs() or ()))"
    )
    run = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    where, count, codes, compiled = run.stdout.splitlines()
    assert where == str(site / "vidlint" / "rules")
    assert int(count) == len(load_pack("trendyol").rules)
    assert codes == "{'MEDIA_FIELDS_MISSING'}"
    assert compiled == str(sorted(builtin_packs()))  # the compiled packs are current in the wheel too
