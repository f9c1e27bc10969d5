"""One pass over a spec's YAML events: the data, within the limits, and what YAML itself would let slip through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .common import Loc, character_name
from .limits import ALIAS_NODE_FLOOR, MAX_DEPTH
from .yaml_syntax import (
    PLACEHOLDER,
    TAG,
    ScalarProblem,
    event_source,
    plain_scalar,
    short_tag,
    syntax_message,
    tagged_scalar,
)

MERGE = "<<"


@dataclass(frozen=True)
class ReadProblem:
    """A problem found while reading: where in the data (if anywhere), the file position, and what is wrong."""

    loc: Loc | None
    message: str
    rule: str
    line: int | None
    column: int | None


class Unreadable(Exception):
    """Reading stopped: the file is not YAML, or not a spec within the limits."""

    def __init__(self, problem: ReadProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Merge(str):
    """The merge key `<<` (plain, so not the text '<<')."""


class _Open:
    """A mapping or sequence whose end has not been read yet."""

    __slots__ = ("anchor", "key", "key_mark", "mapping", "merges", "size", "value")

    def __init__(self, mapping: bool, anchor: str | None) -> None:
        self.value: dict[str, Any] | list[Any] = {} if mapping else []
        self.mapping, self.anchor = mapping, anchor
        self.key: str | None = None
        self.key_mark: yaml.Mark | None = None
        self.size = 1
        self.merges: list[dict[str, Any]] = []


class SpecReader:
    """Builds the data of one YAML document from parser events, with bounded depth and alias expansion."""

    def __init__(self, text: str, controls: dict[int, str]) -> None:
        self.text, self.controls = text, controls
        self.problems: list[ReadProblem] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open: list[_Open] = []
        self.root: Any = None
        self.written = self.repeated = 0
        self._placed: set[int] = set()

    def read(self) -> Any:
        """The document's data; raise Unreadable when it cannot be read (self.problems holds what was found so far)."""
        next_event = event_source(self.text)
        documents = 0
        try:
            while True:
                event = next_event()
                kind = type(event)
                if kind is ScalarEvent:
                    self._scalar(event)
                elif kind is MappingStartEvent or kind is SequenceStartEvent:
                    self._start(event, kind is MappingStartEvent)
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    self._end(event)
                elif kind is AliasEvent:
                    self._alias(event)
                elif kind is DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        self._stop(event.start_mark, "a spec is one YAML document, but a second one starts here: remove the '---' line or move what follows to its own file", "one_document")
                elif kind is StreamEndEvent:
                    break
        except yaml.MarkedYAMLError as error:
            if "maximum nesting depth" in (error.problem or ""):  # libyaml's own bound (1,000 flow levels), met before ours
                self._too_deep(error.problem_mark)
            self._stop(error.problem_mark, syntax_message(error, self.text), "yaml_syntax")
        except yaml.YAMLError as error:
            self._stop(None, f"this is not valid YAML: {error}", "yaml_syntax")
        finally:
            self._unplaced_control_characters()
        return self.root

    def _scalar(self, event: ScalarEvent) -> None:
        """A scalar: a mapping key (kept as text) or a value read as YAML 1.2's core schema reads it."""
        value, mark = event.value, event.start_mark
        self.written += 1
        if self.controls and PLACEHOLDER in value:
            self._control_characters(event)
        top = self.open[-1] if self.open else None
        if top is not None and top.mapping and top.key is None:  # a key: the text as written, or the merge key
            top.key, top.key_mark = _Merge(value) if value == MERGE and event.implicit[0] and event.tag is None else value, mark
            top.size += 1
            return
        try:
            data = tagged_scalar(value, event.tag) if event.tag is not None else plain_scalar(value) if event.implicit[0] else value
        except ScalarProblem as problem:
            self._problem(self._loc(), str(problem), "yaml_scalar", mark)
            data = value
        if event.anchor is not None:
            self.anchors[event.anchor] = (data, 1)
        if top is None or top.mapping and (isinstance(top.key, _Merge) or top.key in top.value):
            self._add(data, 1, mark)  # the document itself, a merge, a field given twice
        elif top.mapping:
            top.value[top.key], top.key = data, None  # type: ignore[index]
            top.size += 1
        else:
            top.value.append(data)  # type: ignore[union-attr]
            top.size += 1

    def _start(self, event: MappingStartEvent | SequenceStartEvent, mapping: bool) -> None:
        """Open a mapping or sequence, refusing nesting deeper than the limit."""
        if len(self.open) >= MAX_DEPTH:
            self._too_deep(event.start_mark)
        if event.tag not in (None, "!", TAG + ("map" if mapping else "seq")):
            self._problem(self._loc(), f"the tag '{short_tag(event.tag)}' is not supported in a spec: remove it", "yaml_tag", event.start_mark)
        if self.open and self.open[-1].mapping and self.open[-1].key is None:
            self._stop(event.start_mark, "a key must be a name, not a list or mapping", "key_is_text")
        self.written += 1
        self.open.append(_Open(mapping, event.anchor))

    def _end(self, event: MappingEndEvent | SequenceEndEvent) -> None:
        """Close the innermost mapping or sequence: apply its merges, remember its anchor, add it to its parent."""
        node = self.open.pop()
        if node.merges:
            assert isinstance(node.value, dict)
            for merged in node.merges:  # keys given in the mapping win, then earlier merges over later ones
                for key, value in merged.items():
                    node.value.setdefault(key, value)
        if node.anchor is not None:
            self.anchors[node.anchor] = (node.value, node.size)
        self._add(node.value, node.size, event.start_mark)

    def _alias(self, event: AliasEvent) -> None:
        """An alias (*name): the anchored value again, counted against the alias limit."""
        if event.anchor not in self.anchors:
            self._problem(self._loc(), f"the alias '*{event.anchor}' refers to no anchor '&{event.anchor}' defined above it", "alias_anchored", event.start_mark)
            self._add(None, 1, event.start_mark)
            return
        value, size = self.anchors[event.anchor]
        self.repeated += size
        limit = max(ALIAS_NODE_FLOOR, self.written)
        if self.repeated > limit:
            message = f"the aliases up to here repeat more than {limit:,} values (aliases of anchors that hold aliases multiply); write the repeated parts out or nest fewer aliases"
            self._stop(event.start_mark, message, "alias_limit")
        self._add(value, size, event.start_mark)

    def _add(self, value: Any, size: int, mark: yaml.Mark) -> None:
        """Put a finished value into the innermost open mapping (as key or value) or sequence, or make it the document."""
        if not self.open:
            self.root = value
            return
        top = self.open[-1]
        top.size += size
        if not top.mapping:
            top.value.append(value)  # type: ignore[union-attr]
        elif top.key is None:
            if not isinstance(value, str):
                self._stop(mark, "a key must be a name, not a list, mapping or number", "key_is_text")
            top.key, top.key_mark = value, mark
        else:
            key, top.key = top.key, None
            if isinstance(key, _Merge):
                self._merge(top, value, mark)
                return
            assert isinstance(top.value, dict)
            if key in top.value:
                self._problem((*self._loc()[:-1], key), f"the field '{key}' is given twice here; YAML would silently keep only the last one", "field_given_once", top.key_mark)
            top.value[key] = value

    def _merge(self, node: _Open, value: Any, mark: yaml.Mark) -> None:
        """`<<: *anchor` (or a list of them) merges mappings into this one."""
        merged = value if isinstance(value, list) else [value]
        if all(isinstance(item, dict) for item in merged):
            node.merges += merged
        else:
            self._problem(self._loc(), "'<<' merges mappings: give it an alias of a mapping, or a list of them", "merge_of_mappings", mark)

    def _loc(self) -> Loc:
        """Where the value being read belongs: a key or an index per open mapping or sequence."""
        return tuple(
            (str(node.key) if node.key is not None else "") if node.mapping else len(node.value)
            for node in self.open
        )

    def _control_characters(self, event: ScalarEvent) -> None:
        """Report each control character inside this scalar at its own position, with the scalar's path."""
        start, end = event.start_mark.index, event.end_mark.index
        top = self.open[-1] if self.open else None
        loc = (*self._loc()[:-1], event.value) if top is not None and top.mapping and top.key is None else self._loc()
        for index in sorted(index for index in self.controls if start <= index < end):
            self._placed.add(index)
            self._problem(loc, f"{character_name(self.controls[index])} is not allowed in a YAML file: remove it", "control_character", self._mark_at(index))

    def _unplaced_control_characters(self) -> None:
        """Control characters outside any value (in comments, between tokens) are reported with their position only."""
        for index in sorted(set(self.controls) - self._placed):
            self._problem(None, f"{character_name(self.controls[index])} is not allowed in a YAML file: remove it", "control_character", self._mark_at(index))

    def _mark_at(self, index: int) -> tuple[int, int]:
        """1-based line and column of a character index; past the end, the end of the text (libyaml may point beyond it)."""
        index = min(index, len(self.text))
        line_start = self.text.rfind("\n", 0, index) + 1
        return self.text.count("\n", 0, index) + 1, index - line_start + 1

    def _position(self, mark: yaml.Mark | None) -> tuple[int | None, int | None]:
        """1-based line and column of a parser mark."""
        if mark is None:
            return None, None
        return self._mark_at(mark.index) if mark.index >= len(self.text) else (mark.line + 1, mark.column + 1)

    def _problem(self, loc: Loc | None, message: str, rule: str, mark: yaml.Mark | tuple[int, int] | None) -> None:
        """Note a problem; reading goes on."""
        line, column = mark if isinstance(mark, tuple) else self._position(mark)
        self.problems.append(ReadProblem(loc, message, rule, line, column))

    def _too_deep(self, mark: yaml.Mark | None) -> NoReturn:
        """Stop at nesting beyond the limit."""
        self._stop(mark, f"the spec nests lists and mappings more than {MAX_DEPTH} levels deep here (a spec needs about 10)", "depth_limit")

    def _stop(self, mark: yaml.Mark | None, message: str, rule: str) -> NoReturn:
        """Stop reading: the rest of the file cannot be read safely or at all."""
        raise Unreadable(ReadProblem(None, message, rule, *self._position(mark)))
