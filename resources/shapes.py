"""Props of settings added after the first version: nulls and defaults left out, the same from the spec and the platform.

Pulumi keeps no null inside a map, and a stack made before a setting existed has none of it in its state, so a
setting at its default and a null value read as absent on both sides: no diff, no drift.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def without_nulls(value: Any) -> Any:
    """The value with every null inside its maps left out (lists kept in order)."""
    if isinstance(value, Mapping):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def without_defaults(values: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The values, with each newer setting left out while it equals its default (nulls inside compared away)."""
    return {name: without_nulls(value) if name in defaults else value for name, value in values.items()
            if name not in defaults or without_nulls(value) != without_nulls(defaults[name])}
