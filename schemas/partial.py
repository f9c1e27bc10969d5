"""Rules over what is known of a spec that failed validation, so one round reports every problem.

Pydantic skips a model's rules once anything inside it failed. Here the spec is rebuilt with each value that failed
replaced by UNKNOWN (the valid parts validated as usual) and every rule runs again over it. A rule that reads an
unknown value says nothing (UnknownValue), so no problem is ever reported as a consequence of another one.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter

from .common import (
    RULE_NAMES,
    SKIP_RULES,
    UNKNOWN,
    Loc,
    Problem,
    broken_rules,
    unwrapped,
)

Errors = dict[Any, "Errors"]
FAILED = object()
"""Marks, in an Errors tree, a value that failed validation itself."""


def error_tree(locs: Iterable[tuple[Loc, str]]) -> Errors:
    """A tree of the error locs; a value that failed its own validation (not a rule about it) is marked FAILED."""
    tree: Errors = {}
    for loc, kind in locs:
        node = tree
        for segment in loc:
            node = node.setdefault(segment, {})
        if kind not in RULE_NAMES:
            node[FAILED] = {}
    return tree


def rule_problems(model: type[BaseModel], data: Any, errors: Errors) -> list[tuple[Loc, str, Problem]]:
    """(loc of the model, rule, problem) for every rule of every model with an error inside, run over what is known."""
    found: list[tuple[Loc, str, Problem]] = []
    partial(model, data, errors, (), found)
    return found


def partial(model: type[BaseModel], data: Any, errors: Errors | None, loc: Loc, found: list[tuple[Loc, str, Problem]]) -> Any:
    """The model from data with each failed value UNKNOWN; runs the rules of every model rebuilt on the way."""
    if errors is None:
        return model.model_validate(data, strict=True, context=SKIP_RULES)
    if FAILED in errors or not isinstance(data, dict):
        return UNKNOWN
    values = {}
    for name, info in model.model_fields.items():
        if name in data:
            values[name] = _field(model, name, data[name], errors.get(name), (*loc, name), found)
        else:
            values[name] = UNKNOWN if name in errors else info.get_default(call_default_factory=True)
    built = model.model_construct(**values)
    found += [(loc, rule, problem) for rule, problem in broken_rules(built)]
    return built


def _field(model: type[BaseModel], name: str, data: Any, errors: Errors | None, loc: Loc, found: list[tuple[Loc, str, Problem]]) -> Any:
    """One field's value: validated when nothing inside it failed, else rebuilt part by part, else UNKNOWN."""
    if errors is None:
        return _adapter(model, name).validate_python(data, strict=True, context=SKIP_RULES)
    kind = unwrapped(_field_type(model, name))
    if FAILED in errors or data is None:
        return UNKNOWN
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return partial(kind, data, errors, loc, found)
    if get_origin(kind) is list and isinstance(data, list):
        (item,) = get_args(kind)
        item = unwrapped(item)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return [partial(item, value, errors.get(index), (*loc, index), found) for index, value in enumerate(data)]
        return [UNKNOWN if index in errors else _adapter(model, name, True).validate_python(value, strict=True) for index, value in enumerate(data)]
    return UNKNOWN


@cache
def _field_type(model: type[BaseModel], name: str) -> Any:
    """A field's type with its constraints and validators."""
    info = model.model_fields[name]
    return Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation


@cache
def _adapter(model: type[BaseModel], name: str, item: bool = False) -> TypeAdapter[Any]:
    """A validator for a field's type, or for the items of a list field (made once per field)."""
    kind = _field_type(model, name)
    return TypeAdapter(get_args(unwrapped(kind))[0] if item else kind)
