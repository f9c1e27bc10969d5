"""Reading a spec file within the limits: its data, the problems YAML lets through, and positions on demand."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .common import Loc
from .issues import SpecFileError, SpecIssue, render_path
from .limits import MAX_SPEC_BYTES
from .positions import Positions, locate
from .reader import ReadProblem, SpecReader, Unreadable
from .yaml_syntax import control_characters, without_control_characters

KEEPS_VALUE = frozenset({"field_given_once"})
"""Problems found while reading after which the value read is still the one written (YAML keeps the last field)."""


@dataclass
class SpecSource:
    """A parsed spec: its data, the problems found while reading it, and its text for finding positions later."""

    filename: str
    data: Any
    text: str = ""
    problems: list[ReadProblem] = field(default_factory=list)

    def locate(self, locs: Collection[Loc]) -> Positions:
        """Line and column of each loc (one more pass over the file, only when there are problems to place)."""
        return locate(self.text, locs) if self.text and locs else Positions()

    def tainted(self) -> set[Loc]:
        """Locs whose value was not read as written (a control character, a bad tag): problems there are consequences."""
        return {problem.loc for problem in self.problems if problem.loc is not None and problem.rule not in KEEPS_VALUE}

    def reading_issues(self) -> list[SpecIssue]:
        """The problems found while reading, as issues."""
        return [_issue(problem, self.data, self.filename) for problem in self.problems]


def read_spec_text(text: str, filename: str) -> SpecSource:
    """Parse spec YAML text; raise SpecFileError when it is not YAML or not within the limits."""
    if len(text) > MAX_SPEC_BYTES:
        raise SpecFileError([_too_big(filename)])
    text = text.removeprefix("\ufeff")
    found = control_characters(text)
    clean = without_control_characters(text, found)
    reader = SpecReader(clean, {index: text[index] for index in found})
    try:
        data = reader.read()
    except Unreadable as stop:
        partial = reader.open[0].value if reader.open else reader.root
        raise SpecFileError([_issue(problem, partial, filename) for problem in [*reader.problems, stop.problem]]) from None
    return SpecSource(filename, data, clean, reader.problems)


def read_spec_file(path: str | Path) -> SpecSource:
    """Read and parse a spec file; raise SpecFileError when it cannot be read, is not YAML or is too large."""
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_SPEC_BYTES + 1)
    except OSError as error:
        raise SpecFileError([SpecIssue("(file)", f"cannot read the spec file: {error.strerror or error}", file=str(path), rule="unreadable_file")]) from None
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecFileError([_too_big(str(path))])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, error.start) + 1:error.start].decode("utf-8", "replace")) + 1
        message = f"cannot read the spec file: it is not UTF-8 text (the byte 0x{raw[error.start]:02X} here); save it as UTF-8"
        raise SpecFileError([SpecIssue("(file)", message, line, column, str(path), "unreadable_file")]) from None
    return read_spec_text(text, str(path))


def _too_big(filename: str) -> SpecIssue:
    """The problem of a spec over the size limit."""
    message = f"the spec is larger than the {MAX_SPEC_BYTES:,} bytes a spec may have: split the stack"
    return SpecIssue("(file)", message, file=filename or None, rule="size_limit")


def _issue(problem: ReadProblem, data: Any, filename: str) -> SpecIssue:
    """A reading problem as an issue, its path named from the data read."""
    path = render_path(problem.loc, data) if problem.loc is not None else "(file)"
    return SpecIssue(path, problem.message, problem.line, problem.column, filename or None, problem.rule)
