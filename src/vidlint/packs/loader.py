"""Reading a pack file: its pydantic model (validation only), then the runtime :class:`Pack`.

A pack is data (rules/<id>.toml): every limit, code and message lives there; the check kinds are in
vidlint.checks. The models below exist only to validate a file and to give its JSON Schema
(:mod:`vidlint.packs.schema`); :func:`parse_pack` returns the plain, frozen runtime Pack. A load
problem is a RulePackError naming the file and the rule: one line for one problem; for several, a
summary line (``<file>: 3 problems:``) then one indented line for each, so a pack is fixed in one run.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter, ValidationError, model_validator

from vidlint.checks import KINDS, Params
from vidlint.errors import RulePackError, read_small_file
from vidlint.model.facts import adapter
from vidlint.model.report import FixAction, FixHint, Severity
from vidlint.packs import pack as runtime
from vidlint.packs.pack import AppliesTo, Role, Source, render


class _Problems(ValueError):
    """Several problems a validator found at once (pydantic keeps the exception in the error's ctx,
    so each is reported on its own line)."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def _raise_all(problems: list[str]) -> None:
    if len(problems) == 1:
        raise ValueError(problems[0])
    if problems:
        raise _Problems(problems)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_URL = r"^https?://\S+$"


class DocumentEntry(_Model):
    title: str = Field(min_length=1, description="the provider's public document the pack follows")
    url: str | None = Field(default=None, pattern=_URL, description="its public address")


class ProvenanceEntry(_Model):
    section: str = Field(min_length=1, description="where in the pack's document the rule is stated")
    url: str | None = Field(
        default=None, pattern=_URL, description="a deeper link to that section (default: the document's)"
    )
    title: str | None = Field(
        default=None, min_length=1, description="the page's title when it is not the pack's document"
    )
    source: Source = Field(
        default="provider",
        description='"provider": the provider\'s own page states the figure; "secondary": only a blog '
        "or a vendor summary does (a built-in rule on a secondary figure is a warning)",
    )


class FixEntry(_Model):
    action: FixAction = Field(
        description="what `vidlint fix` does about a failure: remux, transcode_video, transcode_audio, "
        "scale, pad_or_crop, trim, bitrate, rotate, caption_convert, caption_repair; none: processing "
        "cannot fix it (the hint says what the user must do)"
    )
    hint: str = Field(min_length=1, description="one line for people; {param} is filled in")


class KindFixEntry(FixEntry):
    kind: str = Field(description="the check kind whose rules get this hint (a rule's own fix wins)")
    field: str | None = Field(
        default=None, description="only the rules of that kind that check this field (default: any field)"
    )


class CheckEntry(_Model):
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
    def _parse_params(self) -> CheckEntry:
        if self.kind not in KINDS:
            hint = _did_you_mean(self.kind, KINDS) or f" (known: {', '.join(sorted(KINDS))})"
            raise ValueError(f"unknown check kind {self.kind!r}{hint}")
        try:
            self._parsed = params_adapter(self.kind).validate_python(self.params)
        except ValidationError as exc:
            names = [field.name for field in dataclasses.fields(KINDS[self.kind].params)]
            _raise_all([f"params of {self.kind}: {_error_text(error, names)}" for error in exc.errors()])
        return self

    @property
    def parsed(self) -> Params:
        return self._parsed

    @property
    def fields(self) -> list[str | None]:
        return list(self.field) if isinstance(self.field, list) else [self.field]


class RuleEntry(_Model):
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
    check: CheckEntry
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
    provenance: ProvenanceEntry | None = Field(
        default=None, description="where the provider states this rule (optional in a pack of your own)"
    )
    notes: str = ""
    fix: FixEntry | None = Field(
        default=None, description="how to remedy a failure (default: the pack's fixes entry for its kind)"
    )

    @model_validator(mode="after")
    def _consistent(self) -> RuleEntry:
        problems: list[str] = []
        if "\n" in self.message:
            problems.append("message must be one line")
        if self.before_download and self.applies_to not in ("file", "image"):
            problems.append("before_download is for file and image rules")
        texts: list[str] = []
        for what in ("message", "expected"):
            try:
                texts.append(self.render_message("x") if what == "message" else self.render_expected())
            except ValueError as exc:
                problems.append(str(exc))
        problems += fix_problems(self.fix, self.check.parsed)
        if "\n" not in self.message and any("\n" in text or "\r" in text for text in texts):
            # a finding is one line in every format
            problems.append("a parameter breaks the rule's message or expected text across lines")
        _raise_all(problems)
        return self

    def render_message(self, actual: str) -> str:
        return _render(self.message, self.check.parsed, actual, "message")

    def render_expected(self) -> str:
        if self.expected is None:
            return self.check.parsed.describe(self.check.unit)
        return _render(self.expected, self.check.parsed, "", "expected")


def _render(template: str, params: Params, actual: str, what: str) -> str:
    try:
        return render(template, params, actual)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"{what} template {template!r}: unknown or bad placeholder {exc}") from None


class InputEntry(_Model):
    extensions: list[str] = Field(default_factory=list, description="lower-case, with the dot")
    field: str | None = Field(default=None, description="request field this source fills (e.g. videoUrl)")


class PackFile(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    document: DocumentEntry | None = Field(
        default=None, description="the provider's public document (optional in a pack of your own)"
    )
    notes: str = ""
    inputs: dict[Role, InputEntry] = Field(
        default_factory=dict, description="file: the video; image / caption: sources recognised by extension"
    )
    rules: tuple[RuleEntry, ...]
    fixes: tuple[KindFixEntry, ...] = Field(
        default=(), description="a hint per check kind (and field) for the rules without their own fix"
    )

    @model_validator(mode="after")
    def _consistent(self) -> PackFile:
        problems = [f"fixes: unknown check kind {f.kind!r}" for f in self.fixes if f.kind not in KINDS]
        for rule in self.rules:
            if rule.fix is None:  # a rule's own fix was checked with the rule
                found = fix_problems(fix_for(rule, self.fixes), rule.check.parsed)
                problems += [f"rule {rule.id}: {problem}" for problem in found]
        for seen, what in ((set[str](), "id"), (set[str](), "code")):
            for rule in self.rules:
                value = getattr(rule, what)
                if value in seen:
                    problems.append(f"rule {rule.id}: duplicate {what} {value!r}")
                seen.add(value)
        for rule in self.rules:
            if not rule.id.startswith(f"{self.id}."):
                problems.append(f"rule {rule.id}: ids start with the pack id ({self.id}.)")
            source = self.inputs.get(rule.applies_to) if rule.applies_to in ("image", "caption") else None
            if rule.applies_to in ("image", "caption") and (source is None or not source.extensions):
                problems.append(f"rule {rule.id}: applies to {rule.applies_to} but inputs.{rule.applies_to} "
                                "lists no extensions")
        _raise_all(problems)
        return self


def params_adapter(kind: str) -> TypeAdapter[Params]:
    """Validates a check kind's params table into its dataclass (one adapter per kind and process)."""
    return adapter(KINDS[kind].params)


def first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    message = _message(error["msg"])
    return f"{where}: {message}" if where else message


def _message(msg: str) -> str:
    return msg.removeprefix("Value error, ")


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or "" (vidlint.run.suggest's rule; packs do
    not import run/)."""
    import difflib

    close = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _error_text(error: Any, names: Iterable[str]) -> str:
    """``where: message`` of one pydantic error; an unknown keyword gets a hint from ``names``."""
    where = ".".join(str(part) for part in error["loc"])
    message = _message(error["msg"])
    if error["type"] in ("unexpected_keyword_argument", "extra_forbidden") and error["loc"]:
        message += _did_you_mean(str(error["loc"][-1]), names)
    return f"{where}: {message}" if where else message


# --- loading -----------------------------------------------------------------------------------


_SEED_MOVED = (
    "'seed' is no longer a pack key: name the provider's document with document = { title = ..., "
    "url = ... } and each rule's source with provenance = { section = ..., url = ... } (both optional; "
    "docs/contributing.md)"
)


def _uses_seed(raw: Mapping[str, Any]) -> bool:
    """A pack written for the format before provenance named public documents (``seed`` keys)."""
    rules = raw.get("rules")
    entries = rules if isinstance(rules, list) else []
    provenances = [rule.get("provenance") for rule in entries if isinstance(rule, dict)]
    return "seed" in raw or any(isinstance(p, dict) and "seed" in p for p in provenances)


def parse_pack(text: str, origin: str, *, builtin: bool = False) -> runtime.Pack:
    """A pack from TOML text; ``origin`` names it in errors. A ``builtin`` pack (one vidlint ships)
    must also name the provider's public document and each rule's section of it; a user's may not."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"{origin}: not valid TOML: {exc}") from None
    except RecursionError:  # arrays or inline tables nested thousands deep
        raise RulePackError(f"{origin}: not valid TOML: nested too deeply") from None
    if _uses_seed(raw):
        raise RulePackError(f"{origin}: {_SEED_MOVED}")
    try:
        entry = PackFile.model_validate(raw)
        if builtin and (missing := _unsourced(entry)):
            raise _pack_error(origin, missing)
        return to_pack(entry)
    except ValidationError as exc:  # with what the pack-wide check would say, had the rules validated
        raise _pack_error(origin, list(dict.fromkeys([*_problems(exc, raw), *_across_rules(raw)]))) from None
    except (RecursionError, ValueError) as exc:  # values nested too deeply for pydantic to walk
        raise RulePackError(f"{origin}: {type(exc).__name__}: {' '.join(str(exc).split())}") from None


def _pack_error(origin: str, problems: list[str]) -> RulePackError:
    if len(problems) == 1:
        return RulePackError(f"{origin}: {problems[0]}")
    lines = "".join(f"\n  {problem}" for problem in problems)
    return RulePackError(f"{origin}: {len(problems)} problems:{lines}")


def _across_rules(raw: Mapping[str, Any]) -> list[str]:
    """Duplicate rule ids and codes, and ids outside the pack's, read from the raw tables (as
    PackFile's own check words them): reported with the rules' mistakes, not in a second run."""
    rules = raw.get("rules")
    entries = [r for r in rules if isinstance(r, dict)] if isinstance(rules, list) else []
    problems = []
    for what in ("id", "code"):
        seen: set[object] = set()
        for rule in entries:
            value = rule.get(what)
            if isinstance(value, str) and value in seen:
                problems.append(f"rule {rule.get('id')}: duplicate {what} {value!r}")
            seen.add(value)
    pack_id = raw.get("id")
    if isinstance(pack_id, str):
        ids = [rule.get("id") for rule in entries]
        problems += [f"rule {i}: ids start with the pack id ({pack_id}.)" for i in ids
                     if isinstance(i, str) and not i.startswith(f"{pack_id}.")]  # fmt: skip
    return problems


def _unsourced(entry: PackFile) -> list[str]:
    """What a built-in pack lacks of its sources: the document (title and https URL), each rule's section."""
    problems = []
    if entry.document is None or not (entry.document.url or "").startswith("https://"):
        problems.append("document: a built-in pack names the provider's public document (title, https url)")
    problems += [f"rule {rule.id}: provenance: a built-in rule names its section of the document"
                 for rule in entry.rules if rule.provenance is None]  # fmt: skip
    return problems


def _problems(exc: ValidationError, raw: Mapping[str, Any]) -> list[str]:
    """Every error, one line each, naming the rule by its id when the error is inside one."""
    problems: list[str] = []
    for error in exc.errors():
        loc = list(error["loc"])
        found = (error.get("ctx") or {}).get("error")
        messages = found.problems if isinstance(found, _Problems) else [_message(error["msg"])]
        if error["type"] == "extra_forbidden" and loc:
            messages = [m + _did_you_mean(str(loc[-1]), _fields_at(loc[:-1])) for m in messages]
        for message in messages:
            problems.append(" ".join(_located(loc, message, raw).splitlines()))
    return problems


def _located(loc: list[int | str], message: str, raw: Mapping[str, Any]) -> str:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = raw.get("rules")
        entry = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
        name = entry.get("id") if isinstance(entry, dict) else None
        where = ".".join(str(p) for p in loc[2:])
        return f"rule {name or f'#{loc[1] + 1}'}: {where + ': ' if where else ''}{message}"
    where = ".".join(str(p) for p in loc)
    return f"{where + ': ' if where else ''}{message}"


def _fields_at(loc: list[int | str]) -> list[str]:
    """The field names of the table at ``loc`` in a pack file (for a hint on an unknown key)."""
    annotation: Any = PackFile
    for part in loc:
        model = _model_in(annotation)
        if model is not None:
            field = model.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return []
            annotation = field.annotation
        elif get_origin(annotation) in (tuple, list) and get_args(annotation):
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) is dict and len(get_args(annotation)) == 2:
            annotation = get_args(annotation)[1]
        else:
            return []
    model = _model_in(annotation)
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model ``annotation`` names, alone or in a union with None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType):
        models = [arg for arg in get_args(annotation) if isinstance(arg, type) and issubclass(arg, BaseModel)]
        return models[0] if len(models) == 1 else None
    return None


def load_pack_file(path: str | Path) -> runtime.Pack:
    """A user's pack file (for another marketplace): a regular file of at most 1 MiB (a FIFO or a
    link to /dev/zero is a one-line error, never a run that hangs or fills the memory)."""
    try:
        text = read_small_file(path).decode("utf-8")
    except OSError as exc:
        raise RulePackError(f"{path}: cannot read rule pack: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:  # not UTF-8; a path with a NUL byte
        raise RulePackError(f"{path}: cannot read rule pack: {exc}") from None
    return parse_pack(text, str(path))


def to_pack(entry: PackFile) -> runtime.Pack:
    """The runtime Pack of a validated pack file."""
    inputs: dict[str, runtime.Input] = {
        role: runtime.Input(tuple(s.extensions), s.field) for role, s in entry.inputs.items()
    }
    document = runtime.Document(entry.document.title, entry.document.url) if entry.document else None
    rules = tuple(to_rule(rule, document, fix_for(rule, entry.fixes)) for rule in entry.rules)
    return runtime.Pack(entry.id, entry.name, document, entry.notes, inputs, rules)


def fix_for(rule: RuleEntry, fixes: Iterable[KindFixEntry]) -> FixEntry | None:
    """The rule's own fix, else the pack's entry for its check kind and field, else for its kind."""
    if rule.fix is not None:
        return rule.fix
    kinds = [f for f in fixes if f.kind == rule.check.kind]
    fields = set(rule.check.fields)
    specific = next((f for f in kinds if f.field is not None and f.field in fields), None)
    return specific or next((f for f in kinds if f.field is None), None)


def fix_problems(fix: FixEntry | None, params: Params) -> list[str]:
    """What is wrong with a fix hint for a rule with ``params`` (an unknown placeholder, two lines)."""
    if fix is None:
        return []
    try:
        text = _render(fix.hint, params, "", "fix hint")
    except ValueError as exc:
        return [str(exc)]
    return ["fix hint must be one line"] if "\n" in text or "\r" in text else []


def to_rule(
    entry: RuleEntry, document: runtime.Document | None = None, fix: FixEntry | None = None
) -> runtime.Rule:
    """The runtime Rule; its provenance names the pack's ``document`` (a rule's own url wins); ``fix``:
    its remedy (default: the rule's own)."""
    check = entry.check
    fix = fix or entry.fix
    return runtime.Rule(
        id=entry.id,
        code=entry.code,
        severity=entry.severity,
        documented=entry.documented,
        applies_to=entry.applies_to,
        kind=check.kind,
        params=check.parsed,
        fields=tuple(check.fields),
        on_missing=check.on_missing,
        unit=check.unit,
        message=entry.message,
        expected_template=entry.expected,
        on_unreadable=entry.on_unreadable,
        final=entry.final,
        before_download=entry.before_download,
        enabled=entry.enabled,
        provenance=_provenance(entry.provenance, document),
        notes=entry.notes,
        fix=FixHint(action=fix.action, hint=fix.hint) if fix else None,
    )


def _provenance(
    entry: ProvenanceEntry | None, document: runtime.Document | None
) -> runtime.Provenance | None:
    if entry is None:
        return None
    title = entry.title or (document.title if document else "")
    url = entry.url or (document.url if document else None)
    return runtime.Provenance(title, entry.section, url, entry.source)
