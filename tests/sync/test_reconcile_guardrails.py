"""Reconcile's guardrails on a planned change list (the plan comes from the engine in the engine tests)."""

from __future__ import annotations

from typing import Any

import pytest

from resources.errors import ReconcileRefused as Refused
from sync.changes import PropertyChange, ResourceChange
from sync.reconcile import check_guardrails


class QueueReader:
    """Answers waiting counts like the platform client, without a platform (pure guardrail logic)."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.waiting_areas = self
        self.counts = counts

    def get(self, waiting_area_id: str) -> Any:
        return type("Live", (), {"waiting_count": self.counts[waiting_area_id]})()


def change(kind: str, op: str, *properties: PropertyChange, platform_id: str = "id_1") -> ResourceChange:
    return ResourceChange(urn=f"urn::{kind}::x", kind=kind, name="metro.x", op=op, properties=properties,
                          platform_id=platform_id)


def test_replacement_needs_allow_replace() -> None:
    plan = [change("Clinic", "replace")]
    with pytest.raises(Refused, match="--allow-replace"):
        check_guardrails(plan, QueueReader({}), allow_replace=False, non_destructive=False)
    check_guardrails(plan, QueueReader({}), allow_replace=True, non_destructive=False)


@pytest.mark.parametrize("op", ["delete", "replace"])
def test_non_destructive_stops_deletes_and_replacements(op: str) -> None:
    with pytest.raises(Refused, match="--non-destructive"):
        check_guardrails([change("GroupRoom", op)], QueueReader({}), allow_replace=True, non_destructive=True)


def test_updates_pass_non_destructive() -> None:
    plan = [change("Clinic", "update", PropertyChange("name", "A", "B")), change("GroupRoom", "create")]
    check_guardrails(plan, QueueReader({}), allow_replace=False, non_destructive=True)


@pytest.mark.parametrize(("planned", "queued", "refused"), [
    (change("WaitingArea", "update", PropertyChange("enabled", True, False)), 2, True),
    (change("WaitingArea", "update", PropertyChange("enabled", True, False)), 0, False),
    (change("WaitingArea", "delete"), 1, True),
    (change("WaitingArea", "update", PropertyChange("enabled", False, True)), 5, False),
    (change("WaitingArea", "update", PropertyChange("name", "A", "B")), 5, False),
])
def test_waiting_area_with_callers_is_never_disabled_or_deleted(planned: ResourceChange, queued: int, refused: bool) -> None:
    reader = QueueReader({"id_1": queued})
    if refused:
        with pytest.raises(Refused, match="caller"):
            check_guardrails([planned], reader, allow_replace=True, non_destructive=False)
    else:
        check_guardrails([planned], reader, allow_replace=True, non_destructive=False)
