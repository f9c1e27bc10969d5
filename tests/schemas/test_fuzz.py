"""Valid specs mutated at random: never a traceback; always either valid or problems each with a line inside the file."""

from __future__ import annotations

import copy
import re
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import SpecError, validate_spec_text
from schemas.source import read_spec_text

from .specs import EXAMPLE, spec

VALID = [read_spec_text(EXAMPLE.read_text(), "example").data, read_spec_text(spec(), "base").data]
CONTROL_CHARACTERS = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9f\ufeff\ufffe\t\r"
YAML_SNIPPETS = ["\t", "[", "]", "{", "}", ": ", "- ", "&a ", "*a", "<<: *a\n", "!!int ", "!!str ", "? ", "---\n", "...\n", "'", '"',
                 "#", "|\n", ">\n", "%YAML 1.1\n", "\n  ", "~", "9" * 400]
ODD_VALUES = [None, 0, -1, 7, 10**30, 6.5, float("inf"), True, "", "x" * 300, "08:00", "Australia/Sidney", "no", [], {}, [[]],
              {"key": "x"}, ["admin"], "a@b", "renal", "\x00"]


def places(data: Any, path: tuple[Any, ...] = (), inside: frozenset[int] = frozenset()) -> list[tuple[Any, ...]]:
    """Every path to a value inside data (a value shared into itself is not entered again)."""
    found = [path]
    if id(data) in inside:
        return found
    inside |= {id(data)}
    if isinstance(data, dict):
        for key, value in data.items():
            found += places(value, (*path, key), inside)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += places(value, (*path, index), inside)
    return found


def at(data: Any, path: tuple[Any, ...]) -> Any:
    """The value at path."""
    for segment in path:
        data = data[segment]
    return data


@st.composite
def mutated_data(draw: st.DrawFn) -> Any:
    """A valid spec's data with a few random edits: keys deleted, nodes duplicated or shared, types swapped, deep nesting."""
    data = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        inner = [path for path in places(data) if path]
        if not inner:
            break
        path = draw(st.sampled_from(inner))
        parent, last, value = at(data, path[:-1]), path[-1], at(data, path)
        edit = draw(st.sampled_from(["delete", "duplicate", "share", "swap", "control", "nest"]))
        if edit == "delete":
            del parent[last]
        elif edit == "duplicate" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(value))
        elif edit == "share":  # the same object twice: yaml.safe_dump writes an anchor and an alias
            target = draw(st.sampled_from(inner))
            container = at(data, target[:-1])
            if not (target[: len(path)] == path or path[: len(target)] == target):
                container[target[-1]] = value
        elif edit == "swap":
            parent[last] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif edit == "control" and isinstance(value, str):
            index = draw(st.integers(min_value=0, max_value=len(value)))
            parent[last] = value[:index] + draw(st.sampled_from(CONTROL_CHARACTERS)) + value[index:]
        elif edit == "nest":
            for _ in range(draw(st.sampled_from([1, 5, 70]))):
                value = [value]
            parent[last] = value
    return data


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    """A mutated spec dumped to YAML, then edited as text: lines deleted or repeated, characters and YAML tokens inserted."""
    text = yaml.safe_dump(draw(mutated_data()), sort_keys=False, allow_unicode=True, default_flow_style=draw(st.sampled_from([False, None])))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        lines = text.split("\n")
        line = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        edit = draw(st.sampled_from(["delete line", "repeat line", "insert", "control"]))
        if edit == "delete line":
            del lines[line]
        elif edit == "repeat line":
            lines.insert(line, lines[line])
        else:
            column = draw(st.integers(min_value=0, max_value=len(lines[line])))
            insert = draw(st.sampled_from(YAML_SNIPPETS if edit == "insert" else list(CONTROL_CHARACTERS)))
            lines[line] = lines[line][:column] + insert + lines[line][column:]
        text = "\n".join(lines)
    return text


def assert_valid_or_placed(text: str) -> None:
    """The text validates, or every problem has a line inside the file (never any other exception)."""
    try:
        validate_spec_text(text, "fuzz.yaml")
    except SpecError as error:
        assert error.errors
        # YAML breaks lines at \r, \n, \r\n, NEL, LS and PS: count them as it does (one more for the last line).
        last_line = len(re.findall("\r\n|[\r\n\x85\u2028\u2029]", text)) + 1
        for issue in error.errors:
            assert issue.line is not None and 1 <= issue.line <= last_line and issue.column is not None and issue.column >= 1, str(issue)
            assert issue.path and issue.message and issue.file == "fuzz.yaml"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_text())
def test_mutated_specs_never_crash_and_every_problem_has_a_line(text: str) -> None:
    assert_valid_or_placed(text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([yaml.safe_dump(data, sort_keys=False) for data in VALID]), st.data())
def test_random_characters_anywhere_never_crash(text: str, data: st.DataObject) -> None:
    for _ in range(data.draw(st.integers(min_value=1, max_value=5))):
        index = data.draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:index] + data.draw(st.text(min_size=1, max_size=3)) + text[index:]
    assert_valid_or_placed(text)
