"""Spec problems as people read them: a path with keys, the file position and a plain sentence."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .common import KEY_PATTERN, Loc, shortened, unwrapped


@dataclass(frozen=True)
class SpecIssue:
    """One problem in a spec: where it is (path, file line and column) and a sentence saying what to fix."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    file: str | None = None
    rule: str = ""
    """The rule broken (a validator name) or the pydantic error type; for machines and tests."""

    def __str__(self) -> str:
        """Render as `file:line:col: path: message`, leaving out what is unknown."""
        where = ":".join(str(part) for part in (self.file, self.line, self.column) if part is not None)
        return ": ".join(part for part in (where, self.path, self.message) if part)


class SpecError(Exception):
    """The spec is not valid; `errors` lists every problem found, not only the first."""

    def __init__(self, errors: Iterable[SpecIssue]) -> None:
        self.errors: list[SpecIssue] = sorted(errors, key=lambda issue: (issue.line is None, issue.line or 0, issue.column or 0))
        super().__init__(str(self))

    def __str__(self) -> str:
        """Every problem, one per line."""
        return "\n".join(str(issue) for issue in self.errors)


class SpecFileError(SpecError):
    """The spec file could not be read or parsed as YAML at all."""


def render_path(loc: Loc, data: Any) -> str:
    """Turn a loc into `organisations[metro].clinics[renal].waiting_area`, naming list items by their key."""
    text, node = "", data
    for segment in loc:
        if isinstance(segment, int):
            item = node[segment] if isinstance(node, list) and 0 <= segment < len(node) else None
            key = item.get("key") if isinstance(item, dict) else None
            text += f"[{key}]" if isinstance(key, str) and re.fullmatch(KEY_PATTERN, key) else f"[{segment}]"
            node = item
        else:
            shown = shortened(str(segment))
            if not re.fullmatch(r"[A-Za-z0-9_-]+", shown):
                text += f'["{shown}"]'  # a label key with spaces or dots reads better quoted
            else:
                text += f".{shown}" if text else shown
            node = node.get(segment) if isinstance(node, dict) else None
    return text or "(top level)"


@dataclass(frozen=True)
class Finding:
    """A problem before it is placed in the file: its loc in the data, what is wrong, and the rule broken."""

    loc: Loc
    message: str
    rule: str
    at_key: bool = False
    """Whether the problem is the mapping key itself (an unknown field, a bad label key), not its value."""


def findings_from_validation_error(error: ValidationError, root: type[BaseModel]) -> list[Finding]:
    """Every pydantic error as a Finding with a sentence a clinic admin understands."""
    findings = []
    for detail in error.errors(include_url=False):
        loc = tuple(segment for segment in detail["loc"] if segment != "[key]")
        at_key = len(loc) != len(detail["loc"]) or detail["type"] == "extra_forbidden"
        findings.append(Finding(loc, explain(detail, loc, root), detail["type"], at_key))
    return findings


def explain(detail: ErrorDetails, loc: Loc, root: type[BaseModel]) -> str:
    """A sentence a clinic admin understands for one pydantic error; rule errors already carry one."""
    kind, ctx, value = detail["type"], detail.get("ctx", {}), detail.get("input")
    field = next((segment for segment in reversed(loc) if isinstance(segment, str)), "value")
    if kind == "missing":
        return f"the required field '{field}' is missing"
    if kind == "extra_forbidden":
        return f"unknown field '{shortened(str(field))}'{_suggestion(str(field), _model_at(root, loc[:-1]))}"
    if kind in _TYPE_NAMES:
        return f"must be {_TYPE_NAMES[kind]}, not {_describe(value)}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}, not {_describe(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long: at most {ctx.get('max_length')} characters"
    if kind == "too_long":
        return f"has too many entries: at most {ctx.get('max_length')} are allowed"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than", "less_than": "less than"}[kind]
        return f"must be {bound} {next(iter(ctx.values()))}, not {value}"
    return detail["msg"]


_TYPE_NAMES = {
    "string_type": "text (put it in quotes if it looks like a number or a date)",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list (one '- ' line per item)",
    "dict_type": "a mapping of names to values",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}


def _describe(value: Any) -> str:
    """Name a wrong value the way it appeared in YAML."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{shortened(value)}'"
    return {dict: "a mapping", list: "a list"}.get(type(value), type(value).__name__)


def _suggestion(field: str, model: type[BaseModel] | None) -> str:
    """'did you mean …' for a misspelt field, or the list of fields allowed there."""
    if model is None:
        return ""
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(field, allowed, n=1)
    return f"; did you mean '{close[0]}'?" if close else f"; allowed fields here: {', '.join(allowed)}"


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class found by following loc from the root model, if loc leads to one."""
    annotation: Any = root
    for segment in loc:
        annotation = unwrapped(annotation)
        if isinstance(segment, str) and isinstance(annotation, type) and issubclass(annotation, BaseModel) and segment in annotation.model_fields:
            annotation = annotation.model_fields[segment].annotation
        elif isinstance(segment, int) and get_origin(annotation) is list:
            annotation = get_args(annotation)[0]
        else:
            return None
    annotation = unwrapped(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
