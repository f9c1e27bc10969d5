"""JSON Schema of the structure spec, generated from the models, so editors can autocomplete and flag errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .spec import StructureSpec

SHIPPED_SCHEMA = Path(__file__).with_name("structure-spec.schema.json")


def structure_spec_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a structure spec file."""
    schema = StructureSpec.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": "videocall-iac structure spec"}


def render_json_schema() -> str:
    """The JSON Schema as the text shipped in schemas/structure-spec.schema.json."""
    return json.dumps(structure_spec_json_schema(), indent=2, ensure_ascii=False) + "\n"
