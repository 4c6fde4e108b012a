"""Words about the rules: ``vidlint rules list`` / ``rules show ID`` text and docs/rules.md.

Everything is rendered from the packs and the check kinds' own docstrings, so the reference can
never drift from what runs (a test regenerates it and compares).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable, Mapping

from vidlint.checks import KINDS, CheckKind
from vidlint.errors import UnknownMarketplaceError
from vidlint.model.report import PROVIDER_RULE, doc_url
from vidlint.packs.builtin import builtin_packs, load_pack
from vidlint.packs.pack import Pack, Rule

PackSelection = str | Pack | Iterable[Pack] | Mapping[str, Pack] | None


def _select(packs: PackSelection) -> list[Pack]:
    if packs is None:
        return list(builtin_packs().values())
    if isinstance(packs, str):
        return [load_pack(packs)]
    if isinstance(packs, Pack):
        return [packs]
    if isinstance(packs, Mapping):
        return list(packs.values())
    return list(packs)


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.strip().splitlines())


# --- terminal text -----------------------------------------------------------------------------


def render_list(packs: PackSelection = None) -> str:
    """Every rule of the packs (all built-in ones by default), one line each, grouped by pack."""
    blocks = [_list_pack(pack) for pack in _select(packs)]
    return "\n\n".join(blocks) + "\n\n* the provider does not document this code (vidlint's own)\n"


def _list_pack(pack: Pack) -> str:
    header = ("RULE", "CODE", "SEVERITY", "APPLIES TO", "EXPECTED")
    rows = [header] + [
        (
            rule.id + ("" if rule.enabled else " (disabled)"),
            rule.code + ("" if rule.documented else " *"),
            rule.severity,
            rule.applies_to,
            rule.expected,
        )
        for rule in pack.rules
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1]
             for row in rows]
    return f"{pack.id}: {pack.name} ({len(pack.rules)} rules)\n" + "\n".join("  " + line for line in lines)


# Codes vidlint itself gives, whatever the marketplace: what they mean and what to do.
BUILTIN_CODES: dict[str, str] = {
    "vidlint.unreadable": "vidlint could not read the file at all (missing, permission denied, a folder "
    "or a special file, or a probe that timed out or crashed on it). Nothing else was checked: make the "
    "file readable, or replace it.",
    "internal-error": "a rule could not be evaluated on this source (a bug in vidlint or in a custom "
    "pack's check). The other rules still ran; please report it with the file's `vidlint probe` output.",
    PROVIDER_RULE: "the marketplace answered an upload with a code that no rule of its pack knows; the "
    "finding carries the provider's own words. Nothing vidlint checks before an upload predicted it.",
}


def render_show(query: str, packs: PackSelection = None) -> str:
    """One rule explained: by rule id, by a provider's code (every marketplace's rule with that code), by a
    built-in ``vidlint.*`` code; or, given a marketplace id, its pack with every rule."""
    selected = _select(packs)
    for pack in selected:
        if pack.id == query:
            return _show_pack(pack)
    rules = [rule for pack in selected for rule in pack.rules if query in (rule.id, rule.code)]
    if rules:
        return "\n".join(_show_rule(rule) for rule in rules)
    if query in BUILTIN_CODES or query.endswith(".provider"):
        name = query if query in BUILTIN_CODES else PROVIDER_RULE
        return f"{query}\n  {'built-in:':<12}{BUILTIN_CODES[name]}\n  {'docs:':<12}{doc_url(name)}\n"
    known = ", ".join(pack.id for pack in selected)
    raise UnknownMarketplaceError(
        f"no rule, code or marketplace {query!r} (marketplaces: {known}; see vidlint rules list)"
    )


def _show_pack(pack: Pack) -> str:
    width = max(len(rule.id) for rule in pack.rules)
    lines = [f"{pack.id}: {pack.name}", f"  source document: {_document(pack)}"]
    lines += [f"  notes: {_one_line(pack.notes)}", *(f"  {r.id.ljust(width)}  {r.code}" for r in pack.rules)]
    return "\n".join(lines) + "\n"


def _show_rule(rule: Rule) -> str:
    fields = [
        ("code", f"{rule.code} ({'documented by the provider' if rule.documented else 'vidlint code'})"),
        ("severity", rule.severity + ("" if rule.enabled else " (disabled)")),
        ("applies to", rule.applies_to),
        ("check", describe_check(rule)),
        ("expected", rule.expected),
        ("message", rule.render_message("<actual>")),
        ("fix", _fix_text(rule)),
        ("source", rule.provenance.text if rule.provenance else "-"),
        ("notes", _one_line(rule.notes) or "-"),
        ("override", _override_hint(rule)),
        ("docs", doc_url(rule.id)),
    ]
    return rule.id + "\n" + "\n".join(f"  {name + ':':<12}{value}" for name, value in fields) + "\n"


def _document(pack: Pack) -> str:
    doc = pack.document
    if doc is None:
        return "-"
    return f"{doc.title} ({doc.url})" if doc.url else doc.title


def describe_check(rule: Rule) -> str:
    params = ", ".join(f"{k} = {_value(v)}" for k, v in dataclasses.asdict(rule.params).items())
    where = ", ".join(f or "the whole source" for f in rule.fields)
    extra = f"; when missing: {rule.on_missing}" + (f"; unit: {rule.unit}" if rule.unit else "")
    return f"{rule.kind} on {where}" + (f" ({params})" if params else "") + extra


def _value(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def _override_hint(rule: Rule) -> str:
    names = [f.name for f in dataclasses.fields(rule.params)]
    example = names[0] if names else "severity"
    return f'[tool.vidlint.overrides."{rule.id}"] {example} = ...  (or disable = ["{rule.id}"])'


# --- docs/rules.md -----------------------------------------------------------------------------

_INTRO = """# Rule reference

<!-- Generated by scripts/gen_rules_doc.py from rules/*.toml and vidlint/checks/: do not edit. -->

Every rule vidlint applies, per marketplace, with the provider's own code. `documented` says
whether the provider's document gives that code; where it does not, vidlint defines one in the
provider's style. Severity `error`: the provider would reject it; `warning`: accepted, but likely
not what you want. A file that is not a readable, complete video gets only the format rules.

Every parameter can be overridden, and any rule disabled, in `[tool.vidlint]` (pyproject.toml) or
a `vidlint.toml`, or from Python (`vidlint.check(..., overrides={"trendyol.duration": {"max": 180}})`):

```toml
[tool.vidlint]
disable = ["samsclub.caption"]
packs = ["rules/mymarket.toml"]  # your own marketplace, same format (rules/pack.schema.json)

[tool.vidlint.overrides."trendyol.duration"]
max = 180
```
"""


def render_reference(packs: PackSelection = None) -> str:
    """docs/rules.md: every pack and every check kind."""
    parts = [_INTRO, *(_pack_section(pack) for pack in _select(packs)), _builtin_section(), _kinds_section()]
    return "\n".join(parts).rstrip("\n") + "\n"


def _builtin_section() -> str:
    lines = ["## Built-in codes", "", "Codes vidlint gives whatever the marketplace.", ""]
    for code, text in BUILTIN_CODES.items():
        lines += [f"### `{code}`", "", text, ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


def _pack_section(pack: Pack) -> str:
    lines = [f"## {pack.id}: {pack.name}", ""]
    if pack.document is not None:
        lines += [f"Source document: {_link(pack.document.title, pack.document.url)}.", ""]
    lines += [_one_line(pack.notes), ""]
    lines += ["| rule | code | severity | documented | applies to | expected |", "|---|---|---|---|---|---|"]
    lines += [
        f"| `{r.id}` | `{r.code}` | {r.severity} | {'yes' if r.documented else 'no'} | {r.applies_to} "
        f"| {_cell(r.expected)} |"
        for r in pack.rules
    ]
    lines.append("")
    for rule in pack.rules:
        lines += [
            f"### `{rule.id}`",
            "",
            f"- message: {_cell(rule.render_message('<actual>'))}",
            f"- check: {_cell(describe_check(rule))}",
        ]
        lines += [f"- fix: {_cell(_fix_text(rule))}"] if rule.fix else []
        lines += [f"- source: {_source(rule)}"] if rule.provenance else []
        lines += [f"- notes: {_cell(rule.notes)}"] if rule.notes.strip() else []
        lines.append("")
    return "\n".join(lines)


def _fix_text(rule: Rule) -> str:
    """The rule's remedy: its hint and, in brackets, what ``vidlint fix`` does ("none": the user acts)."""
    fix = rule.render_fix()
    if fix is None:
        return "-"
    return f"{fix.hint} ({'the user must do it' if fix.action == 'none' else 'vidlint fix: ' + fix.action})"


def _link(text: str, url: str | None) -> str:
    return f"[{_cell(text)}]({url})" if url else _cell(text)


def _source(rule: Rule) -> str:
    """A rule's provenance in Markdown: the document, the section, linked to the deepest known URL."""
    prov = rule.provenance
    assert prov is not None
    words = ", ".join(_cell(part) for part in (prov.title, prov.section) if part)
    words = f"{words} ([link]({prov.url}))" if prov.url else words
    secondary = prov.source == "secondary"
    return f"{words}; **secondary source** (not the provider's own page)" if secondary else words


def _kinds_section() -> str:
    lines = ["## Check kinds", "", "What a rule's `[rules.check]` may name as `kind`, with its `params`.", ""]
    for name, kind in sorted(KINDS.items()):
        lines += [f"### `{name}`", "", kind.doc, ""]
        lines += _params_lines(kind)
    return "\n".join(lines)


def _params_lines(kind: CheckKind) -> list[str]:
    fields = dataclasses.fields(kind.params)
    if not fields:
        return ["No parameters.", ""]
    types = typing.get_type_hints(kind.params)  # resolved, without the Annotated constraints
    rows = ["| param | type | default |", "|---|---|---|"]
    rows += [f"| `{f.name}` | {_cell(_type_name(types[f.name]))} | {_default(f)} |" for f in fields]
    return [*rows, ""]


def _type_name(annotation: object) -> str:
    if typing.get_origin(annotation) is typing.Union:  # get_type_hints makes ``X | None`` Optional[X]
        return " | ".join(_type_name(arg) for arg in typing.get_args(annotation))
    if annotation is type(None):
        return "None"
    name = getattr(annotation, "__name__", None)
    if isinstance(name, str) and "[" not in str(annotation):
        return name
    return str(annotation).replace("typing.", "")


def _default(field: dataclasses.Field[object]) -> str:
    if field.default is not dataclasses.MISSING:
        return f"`{field.default!r}`"
    if field.default_factory is not dataclasses.MISSING:
        return f"`{field.default_factory()!r}`"
    return "required"


# --- docs/decisions.md -------------------------------------------------------------------------

_DECISIONS_INTRO = """# Decisions

<!-- Generated by scripts/gen_rules_doc.py from the notes in rules/*.toml: do not edit. -->

The providers' documents leave points open: units (decimal or binary megabytes, milliseconds or
seconds), whether a limit is inclusive, whether rotation and sample aspect ratio count, how close
to 16:9 is 16:9, what "MP4" means for the content of a file, and which code a failure gets when
the provider names none. This page records, for each marketplace, how vidlint decides them: the
pack's own notes, then each rule's. A rule marked *vidlint's code* has a code the provider does not
document (vidlint's, in the provider's style). Every limit is a parameter of its rule, and any rule
can be overridden or disabled; [rules.md](rules.md) is the full reference of every rule.
"""


def render_decisions(packs: PackSelection = None) -> str:
    """docs/decisions.md: per pack, its document and every ambiguous point the notes decide."""
    parts = [_DECISIONS_INTRO, *(_decisions_section(pack) for pack in _select(packs))]
    return "\n".join(parts).rstrip("\n") + "\n"


def _decisions_section(pack: Pack) -> str:
    lines = [f"## {pack.id}: {pack.name}", ""]
    if pack.document is not None:
        lines += [f"Provider's document: {_link(pack.document.title, pack.document.url)}.", ""]
    lines += [_prose(pack.notes), ""] if pack.notes.strip() else []
    invented = [rule.code for rule in pack.rules if not rule.documented]
    if invented:
        lines += ["Codes vidlint gives (not in the provider's document): "
                  + ", ".join(f"`{code}`" for code in invented) + ".", ""]
    for rule in pack.rules:
        if not rule.notes.strip():
            continue
        own = "" if rule.documented else ", *vidlint's code*"
        lines += [f"### `{rule.id}` (`{rule.code}`{own})", "", _prose(rule.notes), ""]
        lines += [f"Source: {_source(rule)}.", ""] if rule.provenance else []
    return "\n".join(lines)


def _prose(text: str) -> str:
    """Notes as a Markdown paragraph: "<field>" stays text, not an HTML tag."""
    return _one_line(text).replace("<", "\\<")
