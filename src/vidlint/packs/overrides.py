"""Overrides: a user's changes to a pack's rules (``[tool.vidlint.overrides]``, ``disable``).

An override changes a rule's check parameters, its ``severity`` or whether it is ``enabled``; the new
parameters are validated as the pack file's were (pydantic, imported only when an override changes a
parameter). Entries for other packs' rules (another id prefix) are ignored by a pack; an id that no
pack has is an error (a typo in the prefix).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from vidlint.errors import ConfigError
from vidlint.packs.pack import Pack, Rule

Overrides = Mapping[str, Mapping[str, Any]]
RULE_OVERRIDE_KEYS = ("severity", "enabled")
_SEVERITIES = ("error", "warning")


def apply_overrides(pack: Pack, overrides: Overrides | None = None, disable: Iterable[str] = ()) -> Pack:
    """A copy of ``pack`` with parameters changed ({rule id: {param: value}}) and rules disabled.

    Unknown rules or parameters of this pack are a ConfigError.
    """
    changes = {k: dict(v) for k, v in (overrides or {}).items() if k.startswith(f"{pack.id}.")}
    for rule_id in disable:
        if rule_id.startswith(f"{pack.id}."):
            changes.setdefault(rule_id, {})["enabled"] = False
    if not changes:
        return pack
    for rule_id in changes:
        if not any(rule.id == rule_id for rule in pack.rules):
            raise ConfigError(f"override {rule_id}: {pack.id} has no rule {rule_id!r}")
    rules = tuple(_override(rule, changes[rule.id]) if rule.id in changes else rule for rule in pack.rules)
    return dataclasses.replace(pack, rules=rules)


def _override(rule: Rule, change: Mapping[str, Any]) -> Rule:
    """The rule with ``change`` applied; its parameters are validated as a pack file's are (the params
    dataclass's own constraints included: finite, not negative, min <= max, a ratio that is one)."""
    known = {f.name for f in dataclasses.fields(rule.params)}
    unknown = sorted(str(key) for key in set(change) - known - set(RULE_OVERRIDE_KEYS))
    if unknown:
        raise ConfigError(
            _one_line(
                f"override {rule.id}: unknown parameter {', '.join(unknown)} "
                f"(known: {', '.join(sorted(known) + list(RULE_OVERRIDE_KEYS))})"
            )
        )
    from pydantic import ValidationError

    from vidlint.packs.loader import first_error, params_adapter

    params = {**dataclasses.asdict(rule.params), **{k: v for k, v in change.items() if k in known}}
    try:
        parsed = params_adapter(rule.kind).validate_python(params)
    except ValidationError as exc:
        raise ConfigError(_one_line(f"override {rule.id}: {first_error(exc)}")) from None
    except (ValueError, TypeError, RecursionError) as exc:  # a value pydantic could not even look at
        raise ConfigError(_one_line(f"override {rule.id}: {type(exc).__name__}: {exc}")) from None
    severity, enabled = change.get("severity", rule.severity), change.get("enabled", rule.enabled)
    if severity not in _SEVERITIES:
        raise ConfigError(f"override {rule.id}: severity: Input should be 'error' or 'warning'")
    if not isinstance(enabled, bool):
        raise ConfigError(f"override {rule.id}: enabled: Input should be a valid boolean")
    changed = dataclasses.replace(rule, params=parsed, severity=severity, enabled=enabled)
    try:
        texts = (changed.render_message("x"), changed.expected)
    except (KeyError, IndexError, ValueError, TypeError, OverflowError) as exc:
        raise ConfigError(_one_line(f"override {rule.id}: the rule's texts do not render: {exc}")) from None
    if any("\n" in text or "\r" in text for text in texts):  # a finding is one line in every format
        raise ConfigError(f"override {rule.id}: a parameter would break the rule's texts across lines")
    return changed


def _one_line(text: str) -> str:
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def validate_override_ids(
    overrides: Overrides | None, pack_ids: Iterable[str], what: str = "override"
) -> None:
    """Every overridden rule must belong to one of ``pack_ids`` (catches typos in the pack prefix)."""
    prefixes = tuple(f"{pack_id}." for pack_id in pack_ids)
    for rule_id in overrides or {}:
        if not isinstance(rule_id, str):
            raise ConfigError(f"{what} {rule_id!r}: a rule id is a string")
        if not rule_id.startswith(prefixes):
            raise ConfigError(f"{what} {rule_id}: no marketplace with that rule")
        if not isinstance((overrides or {})[rule_id], Mapping):
            raise ConfigError(f"{what} {rule_id}: expected a table of parameters")
