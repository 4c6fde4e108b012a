"""The JSON Schema of a pack file (rules/pack.schema.json), with each check kind's parameters, for
editors (e.g. Taplo) and for the hygiene test that validates every pack against it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from pydantic.json_schema import GenerateJsonSchema
from pydantic_core.core_schema import WithDefaultSchema

from vidlint.checks import KINDS, CheckKind
from vidlint.errors import RulePackError
from vidlint.packs.loader import PackFile, params_adapter


def pack_schema() -> dict[str, Any]:
    schema = PackFile.model_json_schema()
    check = schema["$defs"]["CheckEntry"]
    check["properties"]["kind"] = {**check["properties"]["kind"], "enum": sorted(KINDS)}
    check["allOf"] = [
        {
            "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
            "then": {"properties": {"params": _params_schema(kind)}},
        }
        for name, kind in sorted(KINDS.items())
    ]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _params_schema(kind: CheckKind) -> dict[str, Any]:
    schema = params_adapter(kind.name).json_schema(schema_generator=_FactoryDefaults)
    if "$defs" in schema:  # keep each kind's schema self-contained
        raise RulePackError(f"params of {kind.check.__name__} need a flat model")
    schema.pop("title", None)
    schema["description"] = kind.doc.splitlines()[0]
    return schema


class _FactoryDefaults(GenerateJsonSchema):
    """Shows a default made by a factory (a list, a dict) in the schema, as for a plain default."""

    def get_default_value(self, schema: WithDefaultSchema) -> Any:
        factory = schema.get("default_factory")
        if factory is None or schema.get("default_factory_takes_data"):
            return super().get_default_value(schema)
        return cast(Callable[[], Any], factory)()
