"""What an engine run would change or found changed, per resource and property, from its events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pulumi import automation as auto

# Outputs the platform makes; they change on every write and say nothing about drift.
BOOKKEEPING = frozenset({"__provider", "version", "created_at", "updated_at", "invitation", "organisation_id_live"})


@dataclass(frozen=True)
class PropertyChange:
    """One property of one resource: its value in the stack's state (or spec) and the other side's."""

    name: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ResourceChange:
    """One resource an engine run creates, updates, replaces or deletes (or found drifted)."""

    urn: str
    kind: str
    """The resource type's last part, e.g. "Clinic", "WaitingArea"."""
    name: str
    """The Pulumi resource name, e.g. "metro.renal"."""
    op: str
    """create, update, replace, delete (as the engine names them; create-replacement etc. fold into replace)."""
    properties: tuple[PropertyChange, ...] = field(default=())
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    platform_id: str | None = None
    """The object's id on the platform, when it has one already."""

    @property
    def entry_link_changes(self) -> bool:
        """Whether this change removes or replaces a waiting area, and with it a patient entry link."""
        return self.kind == "WaitingArea" and self.op in ("replace", "delete")


NOT_PLATFORM_OBJECTS = ("pulumi:pulumi:Stack", "pulumi:providers:")
REPLACE_OPS = {"replace", "create-replacement", "delete-replaced", "create-before-replace", "discard-replaced"}
CHANGE_OPS = {"create", "update", "delete", *REPLACE_OPS}


def changes_from_events(events: Iterable[auto.EngineEvent]) -> list[ResourceChange]:
    """The resource changes of a preview, update or refresh, one per resource, in event order."""
    seen: dict[str, ResourceChange] = {}
    for event in events:
        step = event.res_outputs_event or event.resource_pre_event
        if step is None or step.metadata.type.startswith(NOT_PLATFORM_OBJECTS):
            continue
        meta = step.metadata
        op = meta.op.value if hasattr(meta.op, "value") else str(meta.op)
        if op not in CHANGE_OPS:
            continue
        op = "replace" if op in REPLACE_OPS else op
        before = dict(meta.old.inputs or {}) if meta.old else {}
        after = dict(meta.new.inputs or {}) if meta.new else {}
        previous = seen.get(meta.urn)
        if previous is not None and previous.op == "replace":
            op = "replace"
        seen[meta.urn] = ResourceChange(
            urn=meta.urn,
            kind=meta.type.rsplit(":", 1)[-1],
            name=meta.urn.rsplit("::", 1)[-1],
            op=op,
            properties=property_changes(before, after) if op in ("update", "replace") else (),
            before=before,
            after=after,
            platform_id=(meta.old.id if meta.old else None) or (meta.new.id if meta.new else None) or None,
        )
    return list(seen.values())


def property_changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[PropertyChange, ...]:
    """The properties whose values differ, in name order (bookkeeping outputs ignored)."""
    names = sorted((set(before) | set(after)) - BOOKKEEPING)
    return tuple(
        PropertyChange(name, before.get(name), after.get(name))
        for name in names
        if normalised(before.get(name)) != normalised(after.get(name))
    )


def normalised(value: Any) -> Any:
    """Missing, empty and null compare equal; whole floats equal ints (the engine sends numbers as floats)."""
    if value in (None, {}, [], ""):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalised(item) for item in value]
    return value


def failure_reasons(events: Iterable[auto.EngineEvent]) -> list[str]:
    """One line per failed resource: its name and the sentence its provider gave, without the traceback."""
    reasons: list[str] = []
    for event in events:
        diagnostic = event.diagnostic_event
        if diagnostic is None or diagnostic.severity != "error":
            continue
        lines = [line.strip() for line in diagnostic.message.strip().splitlines() if line.strip()]
        if not lines or lines[-1] in ("update failed", "preview failed"):
            continue
        exception, _, message = lines[-1].partition(": ")
        sentence = message if message and "." in exception and " " not in exception else lines[-1]
        sentence = sentence.split(" has a problem: ", 1)[-1]  # a check failure: the provider's words only
        resource = diagnostic.urn.rsplit("::", 1)[-1] if diagnostic.urn else "stack"
        reason = f"{resource}: {sentence}"
        if reason not in reasons:
            reasons.append(reason)
    return reasons
