"""Pack files (vidlint.packs.loader, .builtin, .schema): the built-in packs validate, their codes are the
spec's, the generated files are current, and a malformed pack is one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from support.engine import LATER_MARKETPLACES, MARKETPLACES, NO_FILE_RULES, ROOT, RULES, read_toml

from vidlint.checks import KINDS
from vidlint.errors import RulePackError, UnknownMarketplaceError
from vidlint.packs.builtin import builtin_packs, file_marketplaces, list_marketplaces, load_pack
from vidlint.packs.docs import render_decisions, render_reference
from vidlint.packs.loader import load_pack_file, parse_pack
from vidlint.packs.pack import Document, Pack, Provenance
from vidlint.packs.schema import pack_schema

# The codes the decisions (docs/decisions.md) fix for each marketplace, with `documented`.
SPEC_CODES: dict[str, dict[str, bool]] = {
    "trendyol": {
        "seller.integration.video.format.invalid": True,
        "seller.integration.video.size.exceeded": True,
        "seller.integration.video.duration.invalid": True,
        "seller.integration.video.url.invalid": True,
        "seller.integration.title.required": True,
        "seller.integration.title.length": True,
        "seller.integration.description.length": True,
        "seller.integration.video.url.required": True,
        "seller.integration.product.content.ids.required": True,
        "seller.integration.product.content.ids.max": True,
        "seller.integration.body.required": True,
        "seller.integration.invalid.store.front.code": True,
        "seller.integration.invalid.status": True,
        "seller.integration.video.download.failed": True,
        "seller.integration.video.download.timeout": True,
    },
    "samsclub": {
        "E_FILE_FORMAT": False,
        "E_FILE_SIZE": False,
        "E_ASPECT_RATIO": True,
        "E_MIN_PIXEL": True,
        "E_MAX_PIXEL": False,
        "E_DURATION": False,
        "E_VIDEO_CODEC": False,
        "E_AUDIO_CODEC": False,
        "E_CAPTION_FORMAT": False,
        "E_MEDIA_NAME": False,
    },
    "akinon": {
        "video.required": False,
        "video.empty": False,
        "video.invalid_extension": False,
        "video.invalid_format": False,
        "image.invalid_image": True,
        "image.required": True,
        "product.incorrect_type": True,
        "order.min_value": True,
    },
    "ecwid": {
        "WRONG_URL": True,
        "NOT_VIDEO_URL": True,
        "VIDEO_NOT_SUPPORTED": True,
        "VIDEO_UNAVAILABLE": True,
        "DOWNLOAD_VIDEO_FAILED": True,
    },
    "shoplive": {},
}


ALL = MARKETPLACES + LATER_MARKETPLACES


def test_the_builtin_marketplaces_ship() -> None:
    assert list_marketplaces() == sorted(ALL)
    assert file_marketplaces() == sorted(set(ALL) - set(NO_FILE_RULES))


@pytest.mark.parametrize("pack_id", MARKETPLACES)
def test_pack_carries_the_spec_codes(pack_id: str) -> None:
    documented = {rule.code: rule.documented for rule in load_pack(pack_id).rules}
    for code, is_documented in SPEC_CODES[pack_id].items():
        assert code in documented, f"{pack_id} lacks {code}"
        assert documented[code] is is_documented, code


@pytest.mark.parametrize("pack_id", ALL)
def test_pack_file_matches_the_json_schema(pack_id: str) -> None:
    schema = json.loads((RULES / "pack.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = list(validator.iter_errors(read_toml(RULES / f"{pack_id}.toml")))
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize("pack_id", ALL)
def test_pack_file_points_editors_at_the_schema(pack_id: str) -> None:
    first_line = (RULES / f"{pack_id}.toml").read_text().splitlines()[0]
    assert first_line == "#:schema ./pack.schema.json"


@pytest.mark.parametrize("pack_id", ALL)
def test_codes_and_ids_unique_and_kinds_registered(pack_id: str) -> None:
    pack = load_pack(pack_id)
    codes = [rule.code for rule in pack.rules]
    ids = [rule.id for rule in pack.rules]
    assert len(codes) == len(set(codes))
    assert len(ids) == len(set(ids))
    assert all(rule.id.startswith(f"{pack_id}.") for rule in pack.rules)
    assert {rule.kind for rule in pack.rules} <= set(KINDS)


@pytest.mark.parametrize("pack_id", ALL)
def test_every_builtin_rule_names_the_providers_public_document(pack_id: str) -> None:
    pack = load_pack(pack_id)
    assert pack.document is not None and pack.document.title.strip()
    assert (pack.document.url or "").startswith("https://"), pack_id
    for rule in pack.rules:
        prov = rule.provenance
        assert prov is not None, rule.id
        assert prov.title.strip() and prov.section.strip(), rule.id
        assert (prov.url or "").startswith("https://"), rule.id
        if prov.title != pack.document.title:  # a rule's own page links to that page, not the pack's
            assert prov.url != pack.document.url, rule.id
        secondary = " [secondary source]" if prov.source == "secondary" else ""
        assert prov.text == f"{prov.title}, {prov.section} ({prov.url}){secondary}"
        # a rule built only on a secondary figure is a warning (the user raises it with overrides)
        assert prov.source == "provider" or rule.severity == "warning", rule.id


@pytest.mark.parametrize("pack_id", ALL)
def test_no_user_facing_text_speaks_of_seeds(pack_id: str) -> None:
    pack = load_pack(pack_id)
    texts = [pack.name, pack.notes] + [t for r in pack.rules for t in (r.message, r.notes, r.expected)]
    assert not [t for t in texts if "seed" in t.lower()]
    assert "seed" not in (ROOT / "docs" / "rules.md").read_text().lower()


def test_schema_file_is_current() -> None:
    on_disk = json.loads((RULES / "pack.schema.json").read_text())
    assert on_disk == pack_schema(), "stale: run scripts/gen_rules_doc.py"


def test_reference_doc_is_current() -> None:
    on_disk = (ROOT / "docs" / "rules.md").read_text()
    assert on_disk == render_reference(), "stale: run scripts/gen_rules_doc.py"


def test_decisions_doc_is_current_and_covers_every_note() -> None:
    on_disk = (ROOT / "docs" / "decisions.md").read_text()
    assert on_disk == render_decisions(), "stale: run scripts/gen_rules_doc.py"
    for pack in builtin_packs().values():
        assert f"## {pack.id}: " in on_disk
        for rule in pack.rules:
            assert (f"### `{rule.id}` " in on_disk) == bool(rule.notes.strip()), rule.id


def test_every_check_kind_is_documented() -> None:
    reference = render_reference()
    for name, kind in KINDS.items():
        assert kind.doc, name
        assert f"### `{name}`" in reference


def test_unknown_marketplace_is_a_clear_error() -> None:
    with pytest.raises(UnknownMarketplaceError, match=r"amazon.*known: akinon"):
        load_pack("amazon")


def test_packs_load_once_per_process() -> None:
    assert load_pack("trendyol") is load_pack("trendyol")
    assert builtin_packs()["samsclub"] is load_pack("samsclub")


GOOD_RULE = """
[[rules]]
id = "mine.duration"
code = "E_DUR"
documented = false
applies_to = "file"
message = "Between {min:g} and {max:g} s."
provenance = { section = "y" }
[rules.check]
kind = "between"
field = "duration_s"
params = { min = 1, max = 2 }
"""
HEAD = 'id = "mine"\nname = "Mine"\ndocument = { title = "Mine guide", url = "https://mine.example/video" }\n'

# name -> (replace this in HEAD + GOOD_RULE, with this, the error must match)
BAD_PACKS: dict[str, tuple[str, str, str]] = {
    "not toml": ('name = "Mine"', "name = [", "not valid TOML"),
    "unknown kind": ('"between"', '"betwixt"', r"rule mine\.duration: check: unknown check kind 'betwixt'"),
    "param type": ("min = 1", 'min = "one"', r"rule mine\.duration: check: params of between: min"),
    "unknown param": ("min = 1", "min = 1, low = 1", r"check: params of between: low: Unexpected keyword"),
    "bad template": ("{min:g}", "{low}", r"rule mine\.duration: message template .* placeholder 'low'"),
    "bad severity": ("documented", 'severity = "fatal"\ndocumented', r"mine\.duration: severity"),
    "missing field": ('code = "E_DUR"\n', "", "rule mine.duration: code: Field required"),
    "foreign id": ('id = "mine.duration"', 'id = "theirs.duration"', r"start with the pack id \(mine\.\)"),
    "image rule": ('applies_to = "file"', 'applies_to = "image"', "inputs.image lists no extensions"),
    "unknown key": ('name = "Mine"', 'name = "Mine"\ncolour = 1', "colour: Extra inputs are not permitted"),
    "document url": ('url = "https://mine', 'url = "mine', "document.url: String should match pattern"),
    "untitled document": ('title = "Mine guide"', 'title = ""', "document.title: String should have"),
    "unnamed rule": ('id = "mine.duration"\n', "", "rule #1: id: Field required"),
    "two lines": ('"Between', '"Between\\n', "message must be one line"),
    "before_download on a request rule": (
        'applies_to = "file"',
        'applies_to = "metadata"\nbefore_download = true',
        "before_download is for",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_PACKS))
def test_malformed_pack_is_one_line_naming_file_and_rule(name: str) -> None:
    old, new, pattern = BAD_PACKS[name]
    text = (HEAD + GOOD_RULE).replace(old, new, 1)
    with pytest.raises(RulePackError, match=pattern) as caught:
        parse_pack(text, "mine.toml")
    message = str(caught.value)
    assert message.startswith("mine.toml: ")
    assert "\n" not in message


def test_a_misnamed_param_is_missing_and_unknown() -> None:
    with pytest.raises(RulePackError) as caught:
        parse_pack((HEAD + GOOD_RULE).replace("min = 1", "minimum = 1"), "mine.toml")
    assert str(caught.value) == (
        "mine.toml: 2 problems:\n"
        "  rule mine.duration: check: params of between: min: Field required\n"
        "  rule mine.duration: check: params of between: minimum: Unexpected keyword argument "
        "(did you mean 'min'?)"
    )


def test_duplicate_code_is_named() -> None:
    with pytest.raises(RulePackError, match=r"rule mine\.other: duplicate code 'E_DUR'"):
        parse_pack(HEAD + GOOD_RULE + GOOD_RULE.replace("mine.duration", "mine.other"), "mine.toml")


def test_good_user_pack_parses() -> None:
    pack = parse_pack(HEAD + GOOD_RULE, "mine.toml")
    assert isinstance(pack, Pack) and (pack.id, pack.name) == ("mine", "Mine")
    assert pack.document == Document("Mine guide", "https://mine.example/video")
    rule = pack.rule("mine.duration")
    assert rule.render_message("x") == "Between 1 and 2 s."
    assert (rule.kind, rule.fields, rule.on_missing, rule.unit) == ("between", ("duration_s",), "fail", "")
    assert (rule.expected_template, rule.expected, rule.enabled) == (None, "1-2", True)
    assert rule.provenance == Provenance("Mine guide", "y", "https://mine.example/video")


def test_a_rule_may_link_deeper_than_its_document() -> None:
    text = HEAD + GOOD_RULE.replace('section = "y"', 'section = "y", url = "https://mine.example/video#y"')
    rule = parse_pack(text, "mine.toml").rule("mine.duration")
    assert rule.provenance is not None and rule.provenance.text == "Mine guide, y (https://mine.example/video#y)"


def test_a_user_pack_needs_no_document_nor_provenance() -> None:
    text = HEAD.replace('document = { title = "Mine guide", url = "https://mine.example/video" }\n', "")
    pack = parse_pack(text + GOOD_RULE.replace('provenance = { section = "y" }\n', ""), "mine.toml")
    assert pack.document is None and pack.rule("mine.duration").provenance is None
    assert Pack.from_data(pack.to_data()) == pack
    with_section = parse_pack(text + GOOD_RULE, "mine.toml").rule("mine.duration")
    assert with_section.provenance == Provenance("", "y", None) and with_section.provenance.text == "y"


def test_a_user_pack_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HEAD + GOOD_RULE, encoding="utf-8")
    assert load_pack_file(path) == parse_pack(HEAD + GOOD_RULE, "mine.toml")


def test_user_pack_file_read_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(RulePackError, match="cannot read rule pack"):
        load_pack_file(tmp_path / "absent.toml")


# --- a pack with several mistakes: every one is reported at once -------------------------------------

THREE_MISTAKES = (
    HEAD
    + GOOD_RULE.replace('"between"', '"betwen"')
    + GOOD_RULE.replace("mine.duration", "mine.length").replace('code = "E_DUR"\n', "")
    + GOOD_RULE.replace("mine.duration", "mine.short")
    .replace('"E_DUR"', '"E_SHORT"')
    .replace("max = 2", "max = 2, mx = 2")
)
THREE_PROBLEMS = [
    "rule mine.duration: check: unknown check kind 'betwen' (did you mean 'between'?)",
    "rule mine.length: code: Field required",
    "rule mine.short: check: params of between: mx: Unexpected keyword argument (did you mean 'max'?)",
]


def _summary(origin: str, problems: list[str]) -> str:
    return f"{origin}: {len(problems)} problems:" + "".join(f"\n  {problem}" for problem in problems)


def test_every_mistake_of_a_pack_is_reported_at_once() -> None:
    with pytest.raises(RulePackError) as caught:
        parse_pack(THREE_MISTAKES, "mine.toml")
    assert str(caught.value) == _summary("mine.toml", THREE_PROBLEMS)


def test_the_python_api_reports_every_mistake(tmp_path: Path) -> None:
    import vidlint

    path = tmp_path / "mine.toml"
    path.write_text(THREE_MISTAKES, encoding="utf-8")
    with pytest.raises(vidlint.RulePackError) as caught:
        vidlint.load_pack_file(path)
    assert str(caught.value) == _summary(str(path), THREE_PROBLEMS)


def test_the_cli_reports_every_mistake_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from vidlint.cli.app import main

    work = tmp_path / "work"
    work.mkdir()
    (work / "mine.toml").write_text(THREE_MISTAKES, encoding="utf-8")
    (work / "vidlint.toml").write_text('packs = ["mine.toml"]\n', encoding="utf-8")
    monkeypatch.setenv("VIDLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(work)
    clip = ROOT / "sample_media" / "ok_h264_aac_1080p_10s.mp4"
    assert main(["check", str(clip)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"vidlint: error: {_summary(str(work / 'mine.toml'), THREE_PROBLEMS)}\n"


def test_the_console_script_reports_every_mistake(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "mine.toml").write_text(THREE_MISTAKES, encoding="utf-8")
    (tmp_path / "vidlint.toml").write_text('packs = ["mine.toml"]\n', encoding="utf-8")
    script = str(Path(sys.executable).with_name("vidlint"))
    clip = str(ROOT / "sample_media" / "ok_h264_aac_1080p_10s.mp4")
    env = {**os.environ, "VIDLINT_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [script, "check", clip], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    lines = done.stderr.splitlines()
    assert (done.returncode, done.stdout) == (2, "")
    assert lines[0] == f"vidlint: error: {tmp_path / 'mine.toml'}: 3 problems:"
    assert lines[1:] == [f"  {problem}" for problem in THREE_PROBLEMS]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('field = "duration_s"', 'feild = "duration_s"', "rule mine.duration: check.feild: Extra inputs are "
         "not permitted (did you mean 'field'?)"),
        ("documented = false", "documented = false\nseverty = 'error'", "rule mine.duration: severty: Extra "
         "inputs are not permitted (did you mean 'severity'?)"),
        ('name = "Mine"', 'name = "Mine"\nnote = ""', "note: Extra inputs are not permitted (did you mean "
         "'notes'?)"),
        ('provenance = { section = "y" }', 'provenance = { sectoin = "y" }', "rule mine.duration: provenance."
         "sectoin: Extra inputs are not permitted (did you mean 'section'?)"),
        ('"between"', '"zzz"', "unknown check kind 'zzz' (known: between,"),
    ],
    ids=["check key", "rule key", "top-level key", "nested key", "no close kind"],
)
def test_unknown_names_get_a_hint(old: str, new: str, problem: str) -> None:
    with pytest.raises(RulePackError) as caught:
        parse_pack((HEAD + GOOD_RULE).replace(old, new, 1), "mine.toml")
    assert problem in str(caught.value)


def test_a_far_unknown_key_gets_no_hint() -> None:
    with pytest.raises(RulePackError) as caught:
        parse_pack(HEAD + GOOD_RULE.replace("documented = false", "documented = false\nxyzzy = 1"), "m.toml")
    assert str(caught.value) == "m.toml: rule mine.duration: xyzzy: Extra inputs are not permitted"


def test_the_pack_wide_checks_report_every_rule() -> None:
    other = GOOD_RULE.replace('applies_to = "file"', 'applies_to = "image"')
    text = HEAD + GOOD_RULE + other.replace("mine.duration", "theirs.duration").replace("E_DUR", "E_X")
    text += GOOD_RULE.replace("mine.duration", "mine.again")
    with pytest.raises(RulePackError) as caught:
        parse_pack(text, "mine.toml")
    assert str(caught.value) == _summary(
        "mine.toml",
        [
            "rule mine.again: duplicate code 'E_DUR'",
            "rule theirs.duration: ids start with the pack id (mine.)",
            "rule theirs.duration: applies to image but inputs.image lists no extensions",
        ],
    )


def test_one_rule_with_several_problems_lists_each() -> None:
    text = (HEAD + GOOD_RULE).replace('"Between', '"Between\\n').replace(
        'applies_to = "file"', 'applies_to = "metadata"\nbefore_download = true'
    )
    with pytest.raises(RulePackError) as caught:
        parse_pack(text, "mine.toml")
    assert str(caught.value) == _summary(
        "mine.toml",
        [
            "rule mine.duration: message must be one line",
            "rule mine.duration: before_download is for file and image rules",
        ],
    )


def test_a_pack_in_the_old_seed_format_gets_a_migration_hint() -> None:
    old = (
        'id = "old"\nname = "Old"\nseed = "guide.txt"\n'
        '[[rules]]\nid = "old.duration"\ncode = "X"\ndocumented = false\napplies_to = "file"\n'
        'message = "m"\nprovenance = { seed = "guide.txt", section = "s" }\n'
        '[rules.check]\nkind = "max"\nfield = "duration_s"\nparams = { max = 1 }\n'
    )
    for text in (old, old.replace('seed = "guide.txt"\n[[rules]]', "[[rules]]", 1)):
        with pytest.raises(RulePackError, match=r"^old\.toml: 'seed' is no longer a pack key: .*document = "):
            parse_pack(text, "old.toml")
