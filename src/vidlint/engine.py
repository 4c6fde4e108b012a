"""Evaluation: facts and a rule pack (and the request, and caption facts) in, findings out. No I/O.

Which rules run:
- a local file gets the rules for its role in the pack: "image" or "caption" when its extension
  is one the pack lists for that role, else "file" (a video). A file that is not a readable,
  complete video gets only the file rules marked ``on_unreadable = "run"`` (the format rules);
- caption rules also run on the caption facts passed in beside a video;
- URL rules run on a URL source and on the request's URL fields, whenever either is given;
- a URL source (facts with ``fetch``) is judged in steps, as a marketplace downloading it would:
  a URL its URL rules reject gets nothing more; then the "fetch" rules (the download's outcome,
  the link's kind and platform): a failed fetch, or a ``final`` fetch rule that fires, ends it
  there; then the ``before_download`` rules (the size the server declares): one that fires is the
  source's only content finding; a partial read that found no readable video is not judged (the
  "could not verify" fetch rule warns instead); otherwise it is judged like a local file;
- request ("metadata") and object rules run only when metadata is given. The source fills the
  pack's input field (Trendyol's videoUrl), so a request checked with its file is complete.
Within each of these groups rules run in pack order; a ``final`` rule that fires ends its group.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from vidlint.checks import unreadable_reason, unverifiable
from vidlint.model.facts import MediaFacts
from vidlint.model.report import Finding
from vidlint.packs.pack import Pack, Role, Rule

INTERNAL_ERROR = "internal-error"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def evaluate(
    facts: MediaFacts | None,
    pack: Pack,
    *,
    metadata: object = None,
    caption: MediaFacts | None = None,
    source_url: str | None = None,
) -> tuple[Finding, ...]:
    """Every finding of ``pack`` for one source (a file's facts, a URL's, a URL alone, or a request alone).

    A URL source's facts carry their URL (``facts.fetch.url``): ``source_url`` may be left out.
    """
    if source_url is None and facts is not None and facts.fetch is not None:
        source_url = facts.fetch.url
    findings: list[Finding] = []
    role = pack.role_of(facts.extension if facts is not None else url_extension(source_url or ""))
    if facts is not None:
        findings += _source_findings(facts, pack, role, caption)
    if source_url is not None or metadata is not None:
        urls = request_view(metadata, pack, role, source_url, overwrite=True)
        findings += _run(pack.rules_for("url"), urls)
    if metadata is not None:
        source = source_url or (facts.path if facts is not None else None)
        request = request_view(metadata, pack, role, source, overwrite=source_url is not None)
        findings += _run(pack.rules_for("metadata", "object"), request)
    return tuple(findings)


def _source_findings(
    facts: MediaFacts, pack: Pack, role: Role, caption: MediaFacts | None
) -> list[Finding]:
    findings, judge = _fetch_findings(facts, pack, role) if facts.fetch is not None else ([], True)
    if judge:
        findings += _content_findings(facts, pack, role)
    if role == "file" and caption is not None:  # a caption is judged on its own, whatever the video
        findings += _run(pack.rules_for("caption"), caption)
    return findings


def _fetch_findings(facts: MediaFacts, pack: Pack, role: Role) -> tuple[list[Finding], bool]:
    """A URL source's fetch and header findings, and whether its content is to be judged as well."""
    if facts.fetch is None or _rejected_url(pack, role, facts.fetch.url):
        return [], False  # the URL rules speak for it
    findings, ended = _run_group(pack.rules_for("fetch"), facts)
    if ended or facts.fetch.outcome != "ok":
        return findings, False
    headers = _run(tuple(rule for rule in pack.rules_for(role) if rule.before_download), facts)
    if headers:
        return findings + headers, False
    return findings, not unverifiable(facts)  # the "could not verify" fetch rule speaks for it


def _rejected_url(pack: Pack, role: Role, source_url: str) -> bool:
    """Whether the pack's URL rules reject the source URL itself (the marketplace would not fetch it)."""
    alone = request_view(None, pack, role, source_url, overwrite=True)
    return bool(_run(pack.rules_for("url"), alone))


def _content_findings(facts: MediaFacts, pack: Pack, role: Role) -> list[Finding]:
    rules = pack.rules_for(role)
    if role == "file" and unreadable_reason(facts) is not None:
        rules = tuple(rule for rule in rules if rule.on_unreadable == "run")
    return _run(rules, facts)


def _run(rules: tuple[Rule, ...], root: object) -> list[Finding]:
    return _run_group(rules, root)[0]


def _run_group(rules: tuple[Rule, ...], root: object) -> tuple[list[Finding], bool]:
    """The findings of ``rules`` in order, and whether a ``final`` rule fired (ending the group)."""
    findings: list[Finding] = []
    for rule in rules:
        finding = apply_rule(rule, root)
        if finding is not None:
            findings.append(finding)
            if rule.final:
                return findings, True
    return findings, False


def apply_rule(rule: Rule, root: object) -> Finding | None:
    """The rule's finding on ``root`` (facts or a request), None when it passes."""
    try:
        values = [pair for pattern in rule.fields for pair in resolve(root, pattern)]
        of_facts = isinstance(root, MediaFacts)
        seen = [(where, _verdict(rule, value, of_facts)) for where, value in values]
        failures = [(where, actual) for where, actual in seen if actual is not None]
    except Exception as exc:  # a broken check must not end the run: it becomes a finding
        return _internal_error(rule, exc)
    if not failures:
        return None
    # One style: the value seen, named by its path only when there were several to tell apart
    # (two audio tracks, two request fields), e.g. "ac3" but "audio.1.codec: ac3".
    actual = "; ".join(f"{where}: {seen}" if len(values) > 1 else seen for where, seen in failures)
    return Finding(
        code=rule.code,
        severity=rule.severity,
        documented=rule.documented,
        rule=rule.id,
        message=rule.render_message(actual),
        expected=rule.expected,
        actual=actual,
        fix=rule.render_fix(),
    )


def _verdict(rule: Rule, value: object, of_facts: bool) -> str | None:
    """None when the value passes, else what was seen, as the finding's ``actual``."""
    kind = rule.check_kind
    if value is MISSING or (not kind.sees_absent and _absent(value)):
        return None if rule.on_missing == "pass" else _absent_word(value, of_facts)
    fail = kind.check(value, rule.params)
    return None if fail is None else rule.render_actual(fail.actual)


def _absent(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _absent_word(value: object, of_facts: bool) -> str:
    if value is MISSING:
        return "missing"
    if value is None:
        return "unknown" if of_facts else "null"
    if of_facts:
        return "none"  # e.g. a file without an extension
    return "blank" if value else "empty"


def _internal_error(rule: Rule, exc: Exception) -> Finding:
    reason = " ".join(f"{type(exc).__name__}: {exc}".split())
    return Finding(
        code=INTERNAL_ERROR,
        severity="error",
        documented=False,
        rule=rule.id,
        message=f"vidlint could not evaluate this rule ({rule.kind}): {reason}",
    )


# --- field paths -------------------------------------------------------------------------------


def resolve(root: object, path: str | None) -> list[tuple[str, object]]:
    """(concrete path, value) pairs for a dotted path; "*" expands every item of a list.

    A plain path always gives one pair (MISSING when absent); a "*" over a missing or empty list
    gives none (nothing to check).
    """
    found: list[tuple[str, object]] = [("", root)]
    for segment in path.split(".") if path else ():
        step: list[tuple[str, object]] = []
        for where, value in found:
            prefix = f"{where}." if where else ""
            if segment == "*":
                if isinstance(value, list | tuple):
                    step += [(f"{prefix}{index}", item) for index, item in enumerate(value)]
            else:
                step.append((f"{prefix}{segment}", _child(value, segment)))
        found = step
    return found


def _child(value: object, name: str) -> object:
    if isinstance(value, Mapping):
        return value.get(name, MISSING)
    if isinstance(value, list | tuple):
        return value[int(name)] if name.isdigit() and int(name) < len(value) else MISSING
    return getattr(value, name) if name in _attributes(type(value)) else MISSING


_ATTRIBUTES: dict[type, frozenset[str]] = {}


def _attributes(kind: type) -> frozenset[str]:
    """The names a path may reach in an object: a dataclass's or a pydantic model's fields, and
    properties (a track's ``display_width``); nothing else, so a path never reaches methods."""
    if kind not in _ATTRIBUTES:
        names = {f.name for f in dataclasses.fields(kind)} if dataclasses.is_dataclass(kind) else set()
        names |= set(getattr(kind, "model_fields", {})) | set(getattr(kind, "model_computed_fields", {}))
        names |= {n for klass in kind.__mro__ for n, v in vars(klass).items() if isinstance(v, property)}
        _ATTRIBUTES[kind] = frozenset(names)
    return _ATTRIBUTES[kind]


def request_view(
    metadata: object, pack: Pack, role: Role, source: str | None, *, overwrite: bool
) -> object:
    """The request as it would be sent: ``metadata`` with the source in the pack's input field.

    A URL source always takes the field; a local file only fills it when the caller left it out.
    """
    field = pack.input(role).field
    if not isinstance(metadata, Mapping | None) or field is None or source is None:
        return {} if metadata is None else metadata
    view = dict(metadata or {})
    if overwrite or resolve(view, field)[0][1] is MISSING:
        view = with_path(view, field, source)
    return view


def with_path(mapping: Mapping[str, Any], path: str, value: object) -> dict[str, Any]:
    """A copy of ``mapping`` with ``value`` at the dotted ``path`` (objects created as needed)."""
    head, _, rest = path.partition(".")
    copy = dict(mapping)
    if not rest:
        copy[head] = value
        return copy
    inner = copy.get(head)
    copy[head] = with_path(inner if isinstance(inner, Mapping) else {}, rest, value)
    return copy


def url_extension(url: str) -> str:
    """".mp4" for https://cdn.example.com/v.MP4?x=1 (lower-case, "" when there is none)."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    return posixpath.splitext(path)[1].lower()
