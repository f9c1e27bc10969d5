"""From spec file or text to a validated StructureSpec, or a SpecError listing every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .issues import SpecError, SpecIssue, issues_from_validation_error
from .source import SpecSource, read_spec_file, read_spec_text
from .spec import StructureSpec


def load_spec(path: str | Path) -> StructureSpec:
    """Read, parse and validate a spec file; raise SpecError (SpecFileError if unreadable) with every problem."""
    return _validate_source(read_spec_file(path))


def validate_spec_text(text: str, filename: str = "<spec>") -> StructureSpec:
    """Parse and validate spec YAML text; raise SpecError with every problem, each with its line."""
    return _validate_source(read_spec_text(text, filename))


def validate_spec_data(data: Any) -> StructureSpec:
    """Validate an already-parsed spec (e.g. built in Python); raise SpecError with every problem (no lines)."""
    return _validate_source(SpecSource("", data))


def _validate_source(source: SpecSource) -> StructureSpec:
    """Validate parsed data, reporting YAML-level problems and model problems together."""
    issues: list[SpecIssue] = list(source.problems)
    if source.data is None:
        issues.append(SpecIssue("(top level)", "the spec is empty: it needs an 'organisations' list", file=source.filename or None, rule="empty_spec"))
        raise SpecError(issues)
    try:
        spec = StructureSpec.model_validate(source.data)
    except ValidationError as error:
        position_of = source.position_of if source.value_positions else None
        issues += issues_from_validation_error(error, source.data, StructureSpec, position_of, source.filename or None)
        raise SpecError(issues) from None
    if issues:
        raise SpecError(issues)
    return spec
