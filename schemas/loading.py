"""From spec file or text to a validated StructureSpec, or a SpecError listing every problem in one round."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .common import Loc
from .issues import (
    Finding,
    SpecError,
    SpecIssue,
    findings_from_validation_error,
    render_path,
)
from .limits import MAX_LISTED_PROBLEMS
from .partial import error_tree, rule_problems
from .source import SpecSource, read_spec_file, read_spec_text
from .spec import StructureSpec


def load_spec(path: str | Path) -> StructureSpec:
    """Read, parse and validate a spec file; raise SpecError (SpecFileError if unreadable) with every problem."""
    return _validated(lambda: read_spec_file(path))


def validate_spec_text(text: str, filename: str = "<spec>") -> StructureSpec:
    """Parse and validate spec YAML text; raise SpecError with every problem, each with its line."""
    return _validated(lambda: read_spec_text(text, filename))


def validate_spec_data(data: Any) -> StructureSpec:
    """Validate an already-parsed spec (e.g. built in Python); raise SpecError with every problem (no lines)."""
    return _validated(lambda: SpecSource("", data))


def _validated(read: Callable[[], SpecSource]) -> StructureSpec:
    """Read and validate with the cycle collector paused: a spec makes a million objects and no cycles."""
    with _collector_paused():
        return _validate_source(read())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector, which would otherwise rescan every object made so far again and again (a third of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _validate_source(source: SpecSource) -> StructureSpec:
    """Validate parsed data, reporting reading problems, field problems and rule problems together."""
    if source.data is None:
        line, column = (1, 1) if source.filename else (None, None)  # a file's first line; Python data has none
        empty = SpecIssue("(top level)", "the spec is empty: it needs an 'organisations' list", line, column, source.filename or None, "empty_spec")
        raise SpecError([*source.reading_issues(), empty])
    try:
        spec = StructureSpec.model_validate(source.data)
    except ValidationError as error:
        raise SpecError(_issues(source, error)) from None
    if source.problems:
        raise SpecError(source.reading_issues())
    return spec


def _issues(source: SpecSource, error: ValidationError) -> list[SpecIssue]:
    """Every problem: pydantic's, the rules over what is known, and reading's; each once and placed in the file."""
    tainted = source.tainted()
    findings = findings_from_validation_error(error, StructureSpec)
    errors = error_tree([(finding.loc, finding.rule) for finding in findings] + [(loc, "tainted") for loc in tainted])
    findings += [Finding((*loc, *problem.loc), problem.message, rule) for loc, rule, problem in rule_problems(StructureSpec, source.data, errors)]
    findings = _news(findings, tainted)
    listed = findings[:MAX_LISTED_PROBLEMS]
    positions = source.locate([finding.loc for finding in listed])
    issues = source.reading_issues()
    seen: set[tuple[Any, ...]] = set()
    for finding in listed:
        line, column = positions.of(finding.loc, finding.at_key) or (None, None)
        if line is not None and (line, column, finding.rule, finding.message) in seen:
            continue  # the same value reached again through an alias
        seen.add((line, column, finding.rule, finding.message))
        issues.append(SpecIssue(render_path(finding.loc, source.data), finding.message, line, column, source.filename or None, finding.rule))
    if len(findings) > len(listed):
        issues.append(SpecIssue("(spec)", f"{len(findings) - len(listed):,} more problems are not listed; fix these first", file=source.filename or None, rule="more_problems"))
    return issues


def _news(findings: list[Finding], tainted: set[Loc]) -> list[Finding]:
    """Each finding once, leaving out those inside a value that was not read as written (their cause is reported)."""
    seen: set[tuple[Loc, str, str]] = set()
    news = []
    for finding in findings:
        key = (finding.loc, finding.rule, finding.message)
        if key in seen or tainted and any(finding.loc[:end] in tainted for end in range(len(finding.loc) + 1)):
            continue
        seen.add(key)
        news.append(finding)
    return news
