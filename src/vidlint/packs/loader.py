"""Rule packs: the pydantic model of a pack file, loading, overrides and the pack JSON Schema.

A pack is data (rules/<id>.toml): every limit, code and message lives there; the check kinds
are in vidlint.checks. Built-in packs ship inside the wheel as ``vidlint/rules`` and are read
with importlib.resources; an editable install falls back to the repository's ``rules/``.
Every load problem is a one-line RulePackError naming the file and the rule.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter, ValidationError, model_validator
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core.core_schema import WithDefaultSchema

from vidlint.checks import OPERATORS, Operator, Params
from vidlint.errors import RulePackError, UnknownMarketplaceError
from vidlint.model.facts import adapter
from vidlint.model.report import Severity
from vidlint.packs.builtin import pack_ids, packs_dir
from vidlint.packs.compiled import AppliesTo, Role, actual_text, render

RULE_OVERRIDE_KEYS = ("severity", "enabled")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Provenance(_Model):
    seed: str = Field(description="file name of the provider document in the seeds folder")
    section: str = Field(description="where in that document the limit is stated")


class Check(_Model):
    kind: str = Field(description="a registered check kind (see docs/rules.md)")
    field: str | list[str] | None = Field(
        default=None, description='dotted path(s) into the facts or the request ("*": every item); none: all'
    )
    params: dict[str, Any] = Field(default_factory=dict)
    on_missing: Literal["pass", "fail"] = Field(
        default="fail", description="verdict when the field is absent, null or blank"
    )
    unit: str = Field(default="", description='appended to expected and actual values, e.g. "s", "bytes"')
    _parsed: Params = PrivateAttr()

    @model_validator(mode="after")
    def _parse_params(self) -> Check:
        operator = OPERATORS.get(self.kind)
        if operator is None:
            raise ValueError(f"unknown check kind {self.kind!r} (known: {', '.join(sorted(OPERATORS))})")
        try:
            self._parsed = params_adapter(self.kind).validate_python(self.params)
        except ValidationError as exc:
            raise ValueError(f"params of {self.kind}: {first_error(exc)}") from None
        return self

    @property
    def operator(self) -> Operator:
        return OPERATORS[self.kind]

    @property
    def parsed(self) -> Params:
        return self._parsed

    @property
    def fields(self) -> list[str | None]:
        return list(self.field) if isinstance(self.field, list) else [self.field]


class Rule(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$", description="<pack id>.<name>")
    code: str = Field(min_length=1, description="the provider's own code (or the project's, see documented)")
    severity: Severity = "error"
    documented: bool = Field(description="true when the provider's document gives this code")
    applies_to: AppliesTo = Field(
        description="file / image / caption: a source in that role; url: the source URL and the request's "
        "URLs; fetch: what reading a URL source gave; metadata / object: the request or object"
    )
    message: str = Field(min_length=1, description="one line; {param} and {actual} are filled in")
    expected: str | None = Field(default=None, description="template; default: the check's own description")
    check: Check
    on_unreadable: Literal["skip", "run"] = Field(
        default="skip", description='file rules: "run" for the format rules a non-video file still gets'
    )
    final: bool = Field(default=False, description="when it fires, later rules for this source are skipped")
    before_download: bool = Field(
        default=False,
        description="file and image rules: a URL source is judged by it first, from the server's headers; "
        "when it fires, the source gets this finding alone (the marketplace would not download it)",
    )
    enabled: bool = True
    provenance: Provenance
    notes: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if "\n" in self.message:
            raise ValueError("message must be one line")
        if self.before_download and self.applies_to not in ("file", "image"):
            raise ValueError("before_download is for file and image rules")
        self.render_message("x")
        self.render_expected()
        return self

    def render_message(self, actual: str) -> str:
        return _render(self.message, self.check.parsed, actual, "message")

    def render_expected(self) -> str:
        if self.expected is None:
            return self.check.parsed.describe(self.check.unit)
        return _render(self.expected, self.check.parsed, "", "expected")

    def render_actual(self, raw: object) -> str:
        return actual_text(raw, self.check.unit)


def _render(template: str, params: Params, actual: str, what: str) -> str:
    try:
        return render(template, params, actual)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"{what} template {template!r}: unknown or bad placeholder {exc}") from None


class Input(_Model):
    extensions: list[str] = Field(default_factory=list, description="lower-case, with the dot")
    field: str | None = Field(default=None, description="request field this source fills (e.g. videoUrl)")


class Pack(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    seed: str = Field(description="file name of the provider document in the seeds folder")
    notes: str = ""
    inputs: dict[Role, Input] = Field(
        default_factory=dict, description="file: the video; image / caption: sources recognised by extension"
    )
    rules: tuple[Rule, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Pack:
        for seen, what in ((set[str](), "id"), (set[str](), "code")):
            for rule in self.rules:
                value = getattr(rule, what)
                if value in seen:
                    raise ValueError(f"rule {rule.id}: duplicate {what} {value!r}")
                seen.add(value)
        for rule in self.rules:
            if not rule.id.startswith(f"{self.id}."):
                raise ValueError(f"rule {rule.id}: ids start with the pack id ({self.id}.)")
            if rule.applies_to in ("image", "caption") and not self.input(rule.applies_to).extensions:
                raise ValueError(f"rule {rule.id}: applies to {rule.applies_to} but inputs.{rule.applies_to} "
                                 "lists no extensions")
        return self

    def input(self, role: Role) -> Input:
        return self.inputs.get(role, Input())

    def role_of(self, extension: str) -> Role:
        """Which source rules a file gets: an image or caption extension of this pack, else "file"."""
        for role in ("image", "caption"):
            if extension.lower() in self.input(role).extensions:
                return role
        return "file"

    def rules_for(self, *applies_to: AppliesTo) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled and r.applies_to in applies_to)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise RulePackError(f"{self.id}: no rule {rule_id!r}")

    @property
    def checks_files(self) -> bool:
        return any(r.applies_to in ("file", "image") for r in self.rules)


def params_adapter(kind: str) -> TypeAdapter[Params]:
    """Validates a check kind's params table into its dataclass (one adapter per kind and process)."""
    return adapter(OPERATORS[kind].params)


def first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    message = _message(error["msg"])
    return f"{where}: {message}" if where else message


def _message(msg: str) -> str:
    return msg.removeprefix("Value error, ")


# --- loading -----------------------------------------------------------------------------------


def parse_pack(text: str, origin: str) -> Pack:
    """A pack from TOML text; ``origin`` names it in errors."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"{origin}: not valid TOML: {exc}") from None
    try:
        return Pack.model_validate(raw)
    except ValidationError as exc:
        raise RulePackError(f"{origin}: {_located(exc, raw)}") from None


def _located(exc: ValidationError, raw: Mapping[str, Any]) -> str:
    """The first error, naming the rule by its id when the error is inside one."""
    error = exc.errors()[0]
    loc = list(error["loc"])
    message = _message(error["msg"])
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = raw.get("rules")
        entry = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
        name = entry.get("id") if isinstance(entry, dict) else None
        where = ".".join(str(p) for p in loc[2:])
        return f"rule {name or f'#{loc[1] + 1}'}: {where + ': ' if where else ''}{message}"
    where = ".".join(str(p) for p in loc)
    return f"{where + ': ' if where else ''}{message}"


def load_pack_file(path: str | Path) -> Pack:
    """A user's pack file (for another marketplace)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{path}: cannot read rule pack: {exc}") from None
    return parse_pack(text, str(path))


@cache
def _pack_ids() -> tuple[str, ...]:
    return tuple(pack_ids(packs_dir()))


def list_marketplaces() -> list[str]:
    """Ids of the built-in packs."""
    return list(_pack_ids())


@cache
def load_pack(pack_id: str) -> Pack:
    """A built-in pack by id, loaded once per process."""
    if pack_id not in _pack_ids():
        known = ", ".join(_pack_ids())
        raise UnknownMarketplaceError(f"unknown marketplace {pack_id!r} (known: {known})")
    entry = packs_dir().joinpath(f"{pack_id}.toml")
    pack = parse_pack(entry.read_text(encoding="utf-8"), f"rules/{pack_id}.toml")
    if pack.id != pack_id:
        raise RulePackError(f"rules/{pack_id}.toml: id {pack.id!r} does not match the file name")
    return pack


def builtin_packs() -> dict[str, Pack]:
    return {pack_id: load_pack(pack_id) for pack_id in list_marketplaces()}


def file_marketplaces() -> list[str]:
    """Marketplaces whose packs judge files (the CLI's default for a folder of videos)."""
    return [pack_id for pack_id, pack in builtin_packs().items() if pack.checks_files]


# --- overrides ---------------------------------------------------------------------------------

Overrides = Mapping[str, Mapping[str, Any]]


def apply_overrides(pack: Pack, overrides: Overrides | None = None, disable: Iterable[str] = ()) -> Pack:
    """A copy of ``pack`` with parameters changed ({rule id: {param: value}}) and rules disabled.

    Besides the check's parameters, a rule's ``severity`` and ``enabled`` may be overridden.
    Entries for other packs' rules (another id prefix) are ignored; unknown rules or parameters of
    this pack are a RulePackError.
    """
    changes = {k: dict(v) for k, v in (overrides or {}).items() if k.startswith(f"{pack.id}.")}
    for rule_id in disable:
        if rule_id.startswith(f"{pack.id}."):
            changes.setdefault(rule_id, {})["enabled"] = False
    if not changes:
        return pack
    for rule_id in changes:
        pack.rule(rule_id)  # raises for a rule the pack does not have
    rules = tuple(_override(rule, changes[rule.id]) if rule.id in changes else rule for rule in pack.rules)
    return pack.model_copy(update={"rules": rules})


def _override(rule: Rule, change: Mapping[str, Any]) -> Rule:
    known = {f.name for f in dataclasses.fields(rule.check.operator.params)}
    unknown = sorted(set(change) - known - set(RULE_OVERRIDE_KEYS))
    if unknown:
        raise RulePackError(
            f"override {rule.id}: unknown parameter {', '.join(unknown)} "
            f"(known: {', '.join(sorted(known) + list(RULE_OVERRIDE_KEYS))})"
        )
    params = {**rule.check.params, **{k: v for k, v in change.items() if k in known}}
    top = {k: v for k, v in change.items() if k in RULE_OVERRIDE_KEYS}
    data = {**rule.model_dump(), **top, "check": {**rule.check.model_dump(), "params": params}}
    try:
        return Rule.model_validate(data)
    except ValidationError as exc:
        raise RulePackError(f"override {rule.id}: {first_error(exc)}") from None


def validate_override_ids(
    overrides: Overrides | None, pack_ids: Iterable[str], what: str = "override"
) -> None:
    """Every overridden rule must belong to one of ``pack_ids`` (catches typos in the pack prefix)."""
    prefixes = tuple(f"{pack_id}." for pack_id in pack_ids)
    for rule_id in overrides or {}:
        if not rule_id.startswith(prefixes):
            raise RulePackError(f"{what} {rule_id}: no marketplace with that rule")
        if not isinstance((overrides or {})[rule_id], Mapping):
            raise RulePackError(f"{what} {rule_id}: expected a table of parameters")


# --- JSON Schema -------------------------------------------------------------------------------


def pack_schema() -> dict[str, Any]:
    """The JSON Schema of a pack file, with each check kind's parameters (for editors, via Taplo)."""
    schema = Pack.model_json_schema()
    check = schema["$defs"]["Check"]
    check["properties"]["kind"] = {**check["properties"]["kind"], "enum": sorted(OPERATORS)}
    check["allOf"] = [
        {
            "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
            "then": {"properties": {"params": _params_schema(kind, operator)}},
        }
        for kind, operator in sorted(OPERATORS.items())
    ]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _params_schema(kind: str, operator: Operator) -> dict[str, Any]:
    schema = params_adapter(kind).json_schema(schema_generator=_FactoryDefaults)
    if "$defs" in schema:  # keep each kind's schema self-contained
        raise RulePackError(f"params of {operator.check.__name__} need a flat model")
    schema.pop("title", None)
    schema["description"] = operator.doc.splitlines()[0]
    return schema


class _FactoryDefaults(GenerateJsonSchema):
    """Shows a default made by a factory (a list, a dict) in the schema, as for a plain default."""

    def get_default_value(self, schema: WithDefaultSchema) -> Any:
        factory = schema.get("default_factory")
        if factory is None or schema.get("default_factory_takes_data"):
            return super().get_default_value(schema)
        return cast(Callable[[], Any], factory)()
