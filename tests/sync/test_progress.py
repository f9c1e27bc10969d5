"""Progress lines of long engine runs: objects done of the total, rate and time left, from engine events."""

from __future__ import annotations

import io
from typing import Any

from pulumi import automation as auto

from sync.progress import Progress, both, planned_objects

ROOM = "pulumi-python:dynamic/videocall:MeetingRoom"


def event(kind: str, type_: str = ROOM, op: str = "create") -> auto.EngineEvent:
    """An engine event of one kind for a resource of `type_`."""
    data: dict[str, Any] = {"metadata": {"op": op, "urn": f"urn:pulumi:s::p::{type_}::x", "type": type_}}
    if kind == "resOpFailedEvent":
        data |= {"status": 1, "steps": 0}
    if kind == "summaryEvent":
        data = {"maybeCorrupt": False, "durationSeconds": 1, "resourceChanges": {}, "policyPacks": {}}
    return auto.EngineEvent.from_json({kind: data})


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_lines_say_done_of_total_rate_and_time_left() -> None:
    out, clock = io.StringIO(), Clock()
    progress = Progress("up", 100, out=out, every=5, clock=clock)
    for step in range(40):
        clock.now = 10 + step * 0.25  # engine and program start-up first: no part of the rate
        progress(event("resourcePreEvent"))
        progress(event("resOutputsEvent"))
    progress(event("resOpFailedEvent"))
    clock.now = 22.0
    progress(event("resOutputsEvent", "pulumi:pulumi:Stack"))  # not an object: not counted
    progress(event("summaryEvent"))
    lines = out.getvalue().splitlines()
    assert lines == [
        "up: 1 of 100 objects done (1 %)",  # the first, after 10 s of start-up: no estimate from that
        "up: 21 of 100 objects done (21 %), 4 a second, about 20 s left",
        "up: 41 of 100 objects done (41 %), 1 failed, in 22 s",
    ]


def test_total_grows_with_steps_nobody_counted() -> None:
    out, clock = io.StringIO(), Clock()
    progress = Progress("preview", 1, out=out, clock=clock)
    for _ in range(3):
        progress(event("resourcePreEvent", op="delete"))
    assert progress.line().startswith("preview: 0 of 3 objects done (0 %)")


def test_planned_objects_counts_what_a_preview_will_walk() -> None:
    events = [event("resourcePreEvent"), event("resourcePreEvent", "pulumi:pulumi:Stack"),
              event("resourcePreEvent", "pulumi:providers:pulumi-python"), event("resOutputsEvent")]
    seen: list[auto.EngineEvent] = []
    both(seen.append, seen.append)(events[0])
    assert planned_objects(events) == 1 and len(seen) == 2
