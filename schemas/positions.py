"""Where values sit in a spec file: a second pass over its events, only for the paths that have problems."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    StreamEndEvent,
)

from .common import Loc
from .yaml_syntax import event_source

Position = tuple[int, int]
Trie = dict[Any, "Trie"]
MAX_ALIAS_HOPS = 16


@dataclass
class Positions:
    """Line and column (1-based) of values and of mapping keys, by loc."""

    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)

    def of(self, loc: Loc, at_key: bool = False) -> Position | None:
        """Position of loc (its key when at_key), or of the nearest enclosing value when loc itself is not in the file."""
        if at_key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.values:
                return self.values[loc[:end]]
        return None


def locate(text: str, wanted: Collection[Loc]) -> Positions:
    """Positions of the wanted locs and their enclosing values; a loc reached through an alias points into its anchor."""
    found = Positions()
    pending = [(loc, loc, 0, 0) for loc in wanted]  # (loc to look for, loc asked for, length of each one's common base)
    for _ in range(MAX_ALIAS_HOPS):
        positions, aliases = _scan(text, [loc for loc, *_ in pending])
        following = []
        for loc, asked, base, asked_base in pending:
            for end in range(base, len(loc) + 1):
                target = asked[:asked_base + end - base]
                if loc[:end] in positions.values:
                    found.values.setdefault(target, positions.values[loc[:end]])
                if loc[:end] in positions.keys:
                    found.keys.setdefault(target, positions.keys[loc[:end]])
            alias = next((loc[:end] for end in range(len(loc) - 1, base - 1, -1) if loc[:end] in aliases), None)
            if alias is not None and aliases[alias] is not None:
                anchor = aliases[alias]
                following.append(((*anchor, *loc[len(alias):]), asked, len(anchor), asked_base + len(alias) - base))
        if not following:
            break
        pending = following
    return found


def _scan(text: str, wanted: Collection[Loc]) -> tuple[Positions, dict[Loc, Loc | None]]:
    """One pass: positions of the wanted locs' prefixes, and for each alias on the way, the loc its anchor was defined at."""
    trie: Trie = {}
    for loc in wanted:
        node = trie
        for segment in loc:
            node = node.setdefault(segment, {})
    positions, aliases, anchors = Positions(), {}, {}
    next_event = event_source(text)
    frames: list[list[Any]] = []  # per open collection: [is mapping, pending key or next index, its trie, its loc, key mark]
    while True:
        event = next_event()
        if isinstance(event, StreamEndEvent):
            return positions, aliases
        if not isinstance(event, NodeEvent):
            if frames and isinstance(event, CollectionEndEvent):
                frames.pop()
                _advance(frames)
            continue
        mark = event.start_mark
        if frames and frames[-1][0] and frames[-1][1] is None:  # a mapping key
            frame = frames[-1]
            key = event.value if isinstance(event, ScalarEvent) else ""
            frame[1], frame[4] = key, mark
            if frame[2] is not None and key in frame[2]:
                positions.keys[(*frame[3], key)] = (mark.line + 1, mark.column + 1)
            continue
        segment = frames[-1][1] if frames else None
        parent = frames[-1][2] if frames else None
        loc: Loc = (*frames[-1][3], segment) if frames else ()
        node = (parent.get(segment) if parent is not None else None) if frames else trie
        if node is not None:
            at = frames[-1][4] if frames and frames[-1][0] and isinstance(event, CollectionStartEvent) else mark
            positions.values[loc] = (at.line + 1, at.column + 1)
        if event.anchor is not None and not isinstance(event, AliasEvent):
            anchors[event.anchor] = loc
        if isinstance(event, AliasEvent) and node is not None:
            aliases[loc] = anchors.get(event.anchor)
        if isinstance(event, CollectionStartEvent):
            frames.append([isinstance(event, MappingStartEvent), None if isinstance(event, MappingStartEvent) else 0, node, loc, None])
        else:
            _advance(frames)


def _advance(frames: list[list[Any]]) -> None:
    """A value of the innermost collection is complete: await the next key, or count the next index."""
    if frames:
        frame = frames[-1]
        frame[1] = None if frame[0] else frame[1] + 1
