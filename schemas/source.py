"""Reading a spec file: YAML 1.2-style scalars, and the line and column of every value and key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .common import Loc
from .issues import Position, SpecFileError, SpecIssue, render_path

_DROPPED_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "timestamp", "value")}


class _SpecLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core scalars: '12:30' stays text, 'yes'/'no'/'on'/'off' are not booleans."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SpecLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_SpecLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)
_SpecLoader.add_constructor("tag:yaml.org,2002:int", lambda loader, node: int(loader.construct_scalar(node), 10))


@dataclass
class SpecSource:
    """A parsed spec file: its data, and where each value (and each mapping key) sits in the file."""

    filename: str
    data: Any
    value_positions: dict[Loc, Position] = field(default_factory=dict)
    key_positions: dict[Loc, Position] = field(default_factory=dict)
    problems: list[SpecIssue] = field(default_factory=list)
    """Problems YAML itself lets through, such as a field given twice in one mapping."""

    def position_of(self, loc: Loc, at_key: bool = False) -> Position | None:
        """Line and column (1-based) of loc, or of the nearest enclosing value when loc is absent."""
        if at_key and loc in self.key_positions:
            return self.key_positions[loc]
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.value_positions:
                return self.value_positions[loc[:end]]
        return None


def read_spec_text(text: str, filename: str) -> SpecSource:
    """Parse YAML text into a SpecSource; raise SpecFileError when it is not YAML."""
    loader = _SpecLoader(text)
    try:
        node = loader.get_single_node()
        source = SpecSource(filename, None)
        if node is not None:
            repeated = _repeated_fields(node, (), frozenset())
            source.data = loader.construct_document(node)
            _record_positions(loader, node, source.data, (), source, set())
            source.problems = [
                SpecIssue(render_path(loc, source.data), f"the field '{loc[-1]}' is given twice here; YAML would silently keep only the last one", *_position(key), filename, "field_given_once")
                for loc, key in repeated
            ]
        return source
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise SpecFileError([SpecIssue("(file)", f"this is not valid YAML: {reason}", line, column, filename, "yaml_syntax")]) from None
    finally:
        loader.dispose()


def read_spec_file(path: str | Path) -> SpecSource:
    """Read and parse a spec file; raise SpecFileError when it cannot be read or parsed."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecFileError([SpecIssue("(file)", f"cannot read the spec file: {error}", file=str(path), rule="unreadable_file")]) from None
    return read_spec_text(text, str(path))


def _position(node: yaml.Node) -> Position:
    """1-based line and column where a node starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def _repeated_fields(node: yaml.Node, loc: Loc, seen: frozenset[int]) -> list[tuple[Loc, yaml.Node]]:
    """(loc, key node) of every field given twice in one mapping (YAML would silently keep the last one)."""
    if id(node) in seen:
        return []
    seen = seen | {id(node)}
    found: list[tuple[Loc, yaml.Node]] = []
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            found += _repeated_fields(child, (*loc, index), seen)
    elif isinstance(node, yaml.MappingNode):
        names: set[tuple[str, str]] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                if (key.tag, key.value) in names:
                    found.append(((*loc, key.value), key))
                names.add((key.tag, key.value))
                found += _repeated_fields(value, (*loc, key.value), seen)
    return found


def _record_positions(loader: yaml.SafeLoader, node: yaml.Node, data: Any, loc: Loc, source: SpecSource, ancestors: set[int]) -> None:
    """Walk the composed nodes beside the constructed data, noting the position of every loc."""
    if id(node) in ancestors:
        return
    source.value_positions.setdefault(loc, _position(node))
    inner = ancestors | {id(node)}
    if isinstance(node, yaml.SequenceNode) and isinstance(data, list):
        for index, (child, item) in enumerate(zip(node.value, data)):
            _record_positions(loader, child, item, (*loc, index), source, inner)
    elif isinstance(node, yaml.MappingNode) and isinstance(data, dict):
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if key in data:
                source.key_positions[(*loc, key)] = _position(key_node)
                if isinstance(value_node, yaml.CollectionNode):  # a problem with a whole list or mapping points at its field name
                    source.value_positions[(*loc, key)] = _position(key_node)
                _record_positions(loader, value_node, data[key], (*loc, key), source, inner)
