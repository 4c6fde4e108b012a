"""A rule pack compiled for evaluation: plain frozen data, built without pydantic.

Pack files are parsed and validated by pydantic at the edge (vidlint.packs.loader); the engine runs their
compiled form, a Program. A Program round-trips through JSON, so a run can take it from the
compiled file shipped beside the built-in packs (vidlint.packs.builtin) or from a stored plan
(vidlint.run.stored) instead of importing pydantic and validating the TOML again: on a single file that
is most of a cold check's time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from vidlint.checks import OPERATORS, Operator, Params, fmt_number, with_unit
from vidlint.model.report import Severity

if TYPE_CHECKING:
    from vidlint.packs.loader import Pack, Rule

AppliesTo = Literal["file", "image", "caption", "url", "fetch", "metadata", "object"]
Role = Literal["file", "image", "caption"]
ROLES: tuple[Role, ...] = ("image", "caption")  # the roles a file takes by its extension; else "file"


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """One enabled rule with its parameters validated and its ``expected`` text rendered."""

    id: str
    code: str
    severity: Severity
    documented: bool
    applies_to: AppliesTo
    kind: str
    params: Params
    fields: tuple[str | None, ...]
    on_missing: Literal["pass", "fail"]
    unit: str
    message: str  # template: {param} and {actual} are filled in
    expected: str
    on_unreadable: Literal["skip", "run"]
    final: bool
    before_download: bool

    @property
    def operator(self) -> Operator:
        return OPERATORS[self.kind]

    def render_message(self, actual: str) -> str:
        return render(self.message, self.params, actual)

    def render_actual(self, raw: object) -> str:
        return actual_text(raw, self.unit)


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
class Program:
    """What the engine needs of a pack: its enabled rules in order and its inputs."""

    id: str
    inputs: Mapping[str, Input]
    rules: tuple[CompiledRule, ...]
    checks_files: bool  # some rule (enabled or not) judges files or images

    def input(self, role: Role) -> Input:
        return self.inputs.get(role, Input())

    def role_of(self, extension: str) -> Role:
        """Which source rules a file gets: an image or caption extension of this pack, else "file"."""
        for role in ROLES:
            if extension.lower() in self.input(role).extensions:
                return role
        return "file"

    def rules_for(self, *applies_to: AppliesTo) -> tuple[CompiledRule, ...]:
        return tuple(rule for rule in self.rules if rule.applies_to in applies_to)

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "checks_files": self.checks_files,
            "inputs": {role: dataclasses.asdict(source) for role, source in self.inputs.items()},
            "rules": [_rule_data(rule) for rule in self.rules],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Program:
        """The Program ``to_data`` gave (raises KeyError, TypeError or ValueError for anything else)."""
        inputs = {str(role): _input(source) for role, source in data["inputs"].items()}
        rules = tuple(_rule(item) for item in data["rules"])
        return cls(str(data["id"]), inputs, rules, bool(data["checks_files"]))

    @cached_property
    def digest(self) -> str:
        """Identifies what the pack judges and says: a changed limit never reuses a cached verdict."""
        text = json.dumps(self.to_data(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


def _rule_data(rule: CompiledRule) -> dict[str, Any]:
    data = {f.name: getattr(rule, f.name) for f in dataclasses.fields(rule)}
    return {**data, "params": dataclasses.asdict(rule.params), "fields": list(rule.fields)}


def _rule(item: Mapping[str, Any]) -> CompiledRule:
    data = dict(item)
    operator = OPERATORS[data["kind"]]
    data["params"] = operator.params(**data["params"])
    data["fields"] = tuple(data["fields"])
    return CompiledRule(**data)


def _input(item: Mapping[str, Any]) -> Input:
    return Input(tuple(map(str, item["extensions"])), item["field"])


# --- from a validated pack -------------------------------------------------------------------------


def compile_pack(pack: Pack) -> Program:
    inputs: dict[str, Input] = {
        role: Input(tuple(source.extensions), source.field) for role, source in pack.inputs.items()
    }
    rules = tuple(compile_rule(rule) for rule in pack.rules if rule.enabled)
    return Program(pack.id, inputs, rules, pack.checks_files)


def compile_rule(rule: Rule) -> CompiledRule:
    check = rule.check
    return CompiledRule(
        id=rule.id,
        code=rule.code,
        severity=rule.severity,
        documented=rule.documented,
        applies_to=rule.applies_to,
        kind=check.kind,
        params=check.parsed,
        fields=tuple(check.fields),
        on_missing=check.on_missing,
        unit=check.unit,
        message=rule.message,
        expected=rule.render_expected(),
        on_unreadable=rule.on_unreadable,
        final=rule.final,
        before_download=rule.before_download,
    )


def as_program(pack: Pack | Program) -> Program:
    return pack if isinstance(pack, Program) else compile_pack(pack)
