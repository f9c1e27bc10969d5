"""YAML below the spec: the event parser (libyaml's when installed), plain scalars, control characters, error messages."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from .common import shortened
from .limits import MAX_NUMBER_DIGITS


class _PythonParser(Reader, Scanner, Parser):
    """PyYAML's pure-Python event parser, used where libyaml is not installed."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)


try:
    from yaml._yaml import (
        CParser as _CParser,  # libyaml: the same events and marks, several times faster
    )
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None


def event_source(text: str) -> Callable[[], yaml.Event]:
    """A function returning the YAML events of text one by one (libyaml's parser when available)."""
    return (_CParser or _PythonParser)(text).get_event


# What YAML 1.1 allows in a file (as both libyaml and PyYAML check); anything else is a control character.
_NOT_ALLOWED = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
PLACEHOLDER = "\ufffd"
"""Stands in for a control character so that the rest of the file can still be read and checked."""


def control_characters(text: str) -> list[int]:
    """Indexes of the characters a YAML file may not contain (NUL, vertical tab, escape, …)."""
    return [found.start() for found in _NOT_ALLOWED.finditer(text)]


def without_control_characters(text: str, found: list[int]) -> str:
    """The text with each control character replaced by the placeholder."""
    return _NOT_ALLOWED.sub(PLACEHOLDER, text) if found else text


_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_MAYBE_NOT_TEXT = frozenset("-+.0123456789~nNtTfF")
TAG = "tag:yaml.org,2002:"


class ScalarProblem(ValueError):
    """A scalar that cannot be what its tag or form says (such as `!!int twenty`)."""


def plain_scalar(value: str) -> Any:
    """A plain scalar as YAML 1.2's core schema reads it: '12:30' and 'yes' stay text, 08 is 8."""
    if value and value[0] not in _MAYBE_NOT_TEXT:
        return value
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.fullmatch(value):
        return _number(value, int)
    if _FLOAT.fullmatch(value):
        return _number(value, float)
    return value


def tagged_scalar(value: str, tag: str) -> Any:
    """A scalar with an explicit tag (`!!int 5`); raise ScalarProblem when the tag does not fit or is not supported."""
    if tag in ("!", TAG + "str"):
        return value
    kinds: dict[str, tuple[Callable[[str], bool], Callable[[str], Any], str]] = {
        "int": (lambda text: bool(_INT.fullmatch(text)), lambda text: _number(text, int), "a whole number"),
        "float": (lambda text: bool(_FLOAT.fullmatch(text) or _INT.fullmatch(text)), lambda text: _number(text, float), "a number"),
        "bool": (lambda text: text in _BOOL, _BOOL.get, "true or false"),
        "null": (lambda text: text in _NULL, lambda _: None, "empty"),
    }
    kind = tag.removeprefix(TAG) if tag.startswith(TAG) else None
    if kind not in kinds:
        raise ScalarProblem(f"the tag '{short_tag(tag)}' is not supported in a spec: remove it")
    fits, read, meaning = kinds[kind]
    if not fits(value.strip()):
        raise ScalarProblem(f"'{shortened(value)}' is tagged '!!{kind}' but is not {meaning}")
    return read(value.strip())


def _number(text: str, kind: type) -> int | float:
    """int or float of a matching text; raise ScalarProblem for one too long to be a spec value."""
    digits = sum(character.isdigit() for character in text)
    if digits > MAX_NUMBER_DIGITS:
        raise ScalarProblem(f"a number of {digits:,} digits is far too long for any field of a spec (at most {MAX_NUMBER_DIGITS})")
    if kind is int:
        return int(text, 10)
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    return math.nan if lowered.endswith(".nan") else float(text)


def short_tag(tag: str) -> str:
    """'!!set' for tag:yaml.org,2002:set, the tag itself otherwise."""
    return "!!" + tag.removeprefix(TAG) if tag.startswith(TAG) else tag


def syntax_message(error: yaml.MarkedYAMLError, text: str) -> str:
    """A YAML parser error as a sentence: the context (with where it started) and the problem."""
    mark = error.problem_mark
    if mark is not None and _tab_at(text, mark.index):
        return "a tab cannot indent YAML: indent with spaces"
    problem = (error.problem or "").replace("found character that", "found a character that")
    context, start = error.context, error.context_mark
    if context and start is not None and mark is not None and (start.line, start.column) != (mark.line, mark.column):
        context += f" that starts at line {start.line + 1}, column {start.column + 1}"
    return "this is not valid YAML: " + ": ".join(part for part in (context, problem) if part)


def _tab_at(text: str, index: int) -> bool:
    """Whether the error is at a tab, or within a line's indentation that holds one."""
    if 0 <= index < len(text) and text[index] == "\t":
        return True
    start = text.rfind("\n", 0, index) + 1
    indentation = re.match(r"[ \t]*", text[start:index + 1])
    return indentation is not None and "\t" in indentation.group() and start + len(indentation.group()) >= index
