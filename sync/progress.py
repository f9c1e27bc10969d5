"""Progress of a long engine run that a person can follow: objects done of the total, the rate, time left.

Fed the Automation API's engine events (`on_event`). Every few seconds, and at the end, it prints one line
such as `up: 420 of 1,001 objects done (42 %), 35 a second, about 17 s left` to stderr, beside the
engine's own scrolling lines.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from typing import TextIO

from pulumi import automation as auto

import schemas

EVERY_SECONDS = 5.0
"""How often a line is printed while objects are being done."""
MIN_FOR_ESTIMATE = 5
"""Objects done before a rate and a time left are guessed."""
NOT_OBJECTS = ("pulumi:pulumi:Stack", "pulumi:providers:")
"""Resource types that are the engine's bookkeeping, not platform objects."""


class Progress:
    """Counts the platform objects whose step finished (or failed) and says how far along the run is."""

    def __init__(
        self, verb: str, total: int | None, *, out: TextIO = sys.stderr, every: float = EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.verb, self.total, self.out, self.every, self.clock = verb, total, out, every, clock
        self.started = self.said = clock()
        self.first_done_at: float | None = None
        self.begun = self.done = self.failed = 0
        self.finished = False

    def __call__(self, event: auto.EngineEvent) -> None:
        """Take one engine event; print a line when it is time to."""
        if event.resource_pre_event is not None and is_object(event.resource_pre_event.metadata):
            self.begun += 1
        step = event.res_outputs_event or event.res_op_failed_event
        if step is not None and is_object(step.metadata):
            self.done += 1
            self.failed += event.res_op_failed_event is not None
            if self.first_done_at is None:
                self.first_done_at = self.clock()
            if self.clock() - self.said >= self.every:
                self.say()
        if event.summary_event is not None and not self.finished:
            self.finished = True
            self.say()

    def say(self) -> None:
        """Print the current line."""
        self.said = self.clock()
        print(self.line(), file=self.out, flush=True)

    def line(self) -> str:
        """`up: 420 of 1,001 objects done (42 %), 35 a second, about 17 s left` (fewer parts when unknown)."""
        total = max(self.total or 0, self.begun, self.done)
        now = self.clock()
        parts = [f"{self.verb}: {self.done:,} of {total:,} objects done"]
        if total:
            parts[0] += f" ({100 * self.done // total} %)"
        if self.failed:
            parts.append(f"{self.failed:,} failed")
        if self.finished:
            return ", ".join(parts) + f", in {now - self.started:.0f} s"
        # The rate since the first object was done: engine and program start-up say nothing about the rest.
        since = now - self.first_done_at if self.first_done_at is not None else 0.0
        if self.done >= MIN_FOR_ESTIMATE and since >= 1.0:
            rate = (self.done - 1) / since
            parts.append(f"{rate:.0f} a second" if rate >= 1 else f"one every {1 / rate:.0f} s")
            parts.append(f"about {(total - self.done) / rate:.0f} s left")
        return ", ".join(parts)


def is_object(metadata: auto.StepEventMetadata) -> bool:
    """Whether a step is a platform object's (not the stack's or a provider's)."""
    return not metadata.type.startswith(NOT_OBJECTS)


def declared_objects(spec: schemas.StructureSpec) -> int:
    """How many platform objects a spec declares: organisations, clinics, waiting areas, people and rooms."""
    return sum(1 + len(org.clinics) + sum(1 for clinic in org.clinics if clinic.waiting_area)
               + len(org.people) + sum(1 for _ in org.rooms()) for org in spec.organisations)


def planned_objects(events: Iterable[auto.EngineEvent]) -> int:
    """How many platform objects a preview's events planned a step for (each one `up` will walk)."""
    return sum(1 for event in events if event.resource_pre_event is not None
               and is_object(event.resource_pre_event.metadata))


def both(*callbacks: Callable[[auto.EngineEvent], None]) -> Callable[[auto.EngineEvent], None]:
    """One `on_event` that hands each event to every callback in turn."""
    def each(event: auto.EngineEvent) -> None:
        for callback in callbacks:
            callback(event)
    return each


def recorded_objects(stack: auto.Stack) -> int:
    """How many platform objects the stack's state records (what `destroy` will walk)."""
    resources = stack.export_stack().deployment.get("resources") or []
    return sum(1 for resource in resources if not str(resource.get("type", "")).startswith(NOT_OBJECTS))
