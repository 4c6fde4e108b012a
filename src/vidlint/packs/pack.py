"""A rule pack as vidlint runs it: plain frozen data, the one pack type at run time.

The pack files (``rules/<id>.toml``) are validated by pydantic in :mod:`vidlint.packs.loader`, which
turns them into a :class:`Pack`; nothing else imports pydantic to read a pack. A Pack round-trips
through JSON (``to_data`` / ``from_data``), so the built-in packs ship compiled beside their TOML
(``rules/compiled.json``, :mod:`vidlint.packs.builtin`) and a run's resolved packs can be stored
(:mod:`vidlint.run.setup`) without validating anything again.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from vidlint.checks import KINDS, CheckKind, Params, fmt_number, with_unit
from vidlint.errors import RulePackError
from vidlint.model.report import FixHint, Severity
from vidlint.packs.digest import digest

AppliesTo = Literal["file", "image", "caption", "url", "fetch", "metadata", "object"]
Role = Literal["file", "image", "caption"]
ROLES: tuple[Role, ...] = ("image", "caption")  # the roles a file takes by its extension; else "file"
Source = Literal["provider", "secondary"]  # whose figure a rule follows


@dataclass(frozen=True, slots=True)
class Document:
    """The provider's public document a pack follows."""

    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where the provider states a rule: its document's title, the section, and a public URL."""

    title: str  # the rule's own page, else the pack's document ("" when the pack names none)
    section: str  # where in that document the limit is stated
    url: str | None = None  # the section's own link, else the document's
    source: Source = "provider"  # "secondary": a figure the provider's own page does not give

    @property
    def text(self) -> str:
        """``<title>, <section> (<url>)``, leaving out what is not known; a secondary source says so."""
        words = ", ".join(part for part in (self.title, self.section) if part)
        words = f"{words} ({self.url})" if self.url else words
        return f"{words} [secondary source]" if self.source == "secondary" else words


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule with its parameters validated and its ``expected`` text rendered."""

    id: str
    code: str
    severity: Severity
    documented: bool
    applies_to: AppliesTo
    kind: str  # a registered check kind (vidlint.checks.KINDS)
    params: Params
    fields: tuple[str | None, ...]
    on_missing: Literal["pass", "fail"]
    unit: str
    message: str  # template: {param} and {actual} are filled in
    expected_template: str | None  # the pack's own template; None: the check kind's description
    on_unreadable: Literal["skip", "run"]
    final: bool
    before_download: bool
    enabled: bool
    provenance: Provenance | None  # None: a user's pack that does not say
    notes: str = ""
    fix: FixHint | None = None  # the remedy; its hint is a template like the message ({param})

    @property
    def check_kind(self) -> CheckKind:
        return KINDS[self.kind]

    @property
    def expected(self) -> str:
        if self.expected_template is None:
            return self.params.describe(self.unit)
        return render(self.expected_template, self.params, "")

    def render_message(self, actual: str) -> str:
        return render(self.message, self.params, actual)

    def render_actual(self, raw: object) -> str:
        return actual_text(raw, self.unit)

    def render_fix(self) -> FixHint | None:
        """The remedy with this rule's parameters filled in (overrides included)."""
        if self.fix is None:
            return None
        return FixHint(action=self.fix.action, hint=render(self.fix.hint, self.params, ""))


def render(template: str, params: Params, actual: str) -> str:
    """A message or expected template with the parameters (lists joined by ", ") and ``actual``."""
    values = dataclasses.asdict(params)
    shown = {k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in values.items()}
    return template.format_map({**shown, "actual": actual})


def actual_text(raw: object, unit: str) -> str:
    """What a check saw, with the check's unit: 7.5234 -> "7.523 s", "1280x720" -> "1280x720 px"."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return with_unit(fmt_number(raw), unit)
    return with_unit(_one_line(raw) if isinstance(raw, str) else repr(raw), unit)


def _one_line(text: str) -> str:
    """A request's value as a message shows it: control characters (a newline) as escapes."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


@dataclass(frozen=True, slots=True)
class Input:
    extensions: tuple[str, ...] = ()  # lower-case, with the dot
    field: str | None = None  # the request field this source fills (e.g. videoUrl)


@dataclass(frozen=True)
class Pack:
    """One marketplace's rules in order (disabled ones included), its inputs and its provenance."""

    id: str
    name: str
    document: Document | None  # the provider's public document (None: a user's pack that does not say)
    notes: str
    inputs: Mapping[str, Input]
    rules: tuple[Rule, ...]

    def input(self, role: Role) -> Input:
        return self.inputs.get(role, Input())

    def role_of(self, extension: str) -> Role:
        """Which source rules a file gets: an image or caption extension of this pack, else "file"."""
        for role in ROLES:
            if extension.lower() in self.input(role).extensions:
                return role
        return "file"

    def rules_for(self, *applies_to: AppliesTo) -> tuple[Rule, ...]:
        """The enabled rules for those sources, in pack order."""
        return tuple(rule for rule in self.rules if rule.enabled and rule.applies_to in applies_to)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise RulePackError(f"{self.id}: no rule {rule_id!r}")

    @property
    def checks_files(self) -> bool:
        """Some rule (enabled or not) judges files or images: a folder of videos is checked against it."""
        return any(rule.applies_to in ("file", "image") for rule in self.rules)

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "document": dataclasses.asdict(self.document) if self.document else None,
            "notes": self.notes,
            "inputs": {role: dataclasses.asdict(source) for role, source in self.inputs.items()},
            "rules": [_rule_data(rule) for rule in self.rules],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Pack:
        """The Pack ``to_data`` gave (raises KeyError, TypeError or ValueError for anything else)."""
        inputs = {str(role): _input(source) for role, source in data["inputs"].items()}
        rules = tuple(_rule(item) for item in data["rules"])
        document = Document(**data["document"]) if data["document"] is not None else None
        return cls(str(data["id"]), str(data["name"]), document, str(data["notes"]), inputs, rules)

    @cached_property
    def digest(self) -> str:
        """Identifies what the pack judges and says: a changed limit never reuses a cached verdict."""
        text = json.dumps(self.to_data(), sort_keys=True, ensure_ascii=False)
        return digest(text.encode())


def caption_extensions(packs: Iterable[Pack]) -> list[str]:
    """Extensions of the sidecars a video is judged with: the caption-judging packs', each once."""
    found = (ext for pack in packs if pack.rules_for("caption") for ext in pack.input("caption").extensions)
    return list(dict.fromkeys(found))


def _rule_data(rule: Rule) -> dict[str, Any]:
    data = {f.name: getattr(rule, f.name) for f in dataclasses.fields(rule)}
    data["provenance"] = dataclasses.asdict(rule.provenance) if rule.provenance else None
    data["fix"] = {"action": rule.fix.action, "hint": rule.fix.hint} if rule.fix else None
    return {**data, "params": dataclasses.asdict(rule.params), "fields": list(rule.fields)}


def _rule(item: Mapping[str, Any]) -> Rule:
    data = dict(item)
    data["params"] = KINDS[data["kind"]].params(**data["params"])
    data["fields"] = tuple(data["fields"])
    data["provenance"] = Provenance(**data["provenance"]) if data["provenance"] is not None else None
    data["fix"] = FixHint(**data["fix"]) if data.get("fix") is not None else None
    return Rule(**data)


def _input(item: Mapping[str, Any]) -> Input:
    return Input(tuple(map(str, item["extensions"])), item["field"])
