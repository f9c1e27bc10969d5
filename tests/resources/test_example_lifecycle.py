"""`pulumi up` of the example spec end to end with the real engine and the reference platform.

The tests run in order against one stack: create, no-op, edit in place, drift and repair, destroy.
"""

from __future__ import annotations

import pytest
from pulumi import automation as auto

from resources.ownership import RESOURCE_LABEL, STACK_LABEL
from tests.resources.conftest import Deployment, declared_counts, load_example, platform_counts

pytestmark = [pytest.mark.engine, pytest.mark.slow]

EXAMPLE = load_example()


def operations(result: auto.UpResult | auto.PreviewResult) -> dict[str, int]:
    """Resource operations of an update or preview, without the stack itself."""
    summary = result.change_summary if isinstance(result, auto.PreviewResult) else result.summary.resource_changes
    return {op: count for op, count in (summary or {}).items() if op != "same" and count}


def test_up_creates_exactly_what_the_spec_declares(deployment: Deployment) -> None:
    result = deployment.stack.up()
    tree = deployment.organisation_tree()
    assert platform_counts(tree) == declared_counts(EXAMPLE)
    assert result.summary.resource_changes["create"] == sum(declared_counts(EXAMPLE).values()) + 1
    links = result.outputs["metro.entry_links"].value
    assert set(links) == {c["key"] for c in EXAMPLE["organisations"][0]["clinics"] if c.get("waiting_area")}
    assert all(clinic.labels[STACK_LABEL] == "test" for clinic in tree.clinics)


def test_preview_and_second_up_change_nothing(deployment: Deployment) -> None:
    assert operations(deployment.stack.preview()) == {}
    assert operations(deployment.stack.up()) == {}


def test_edits_update_in_place(deployment: Deployment) -> None:
    spec = load_example()
    org = spec["organisations"][0]
    renal = next(c for c in org["clinics"] if c["key"] == "renal")
    renal["name"] = "Metro Health Kidney Clinic"
    renal["waiting_area"]["opening_hours"]["friday"] = {"open": "08:00", "close": "13:00", "breaks": []}
    org.setdefault("group_rooms", []).append({"key": "grand-rounds", "name": "Grand rounds", "max_participants": 20})
    deployment.write_spec(spec)
    before = {c.name: c.waiting_area.entry_link for c in deployment.organisation_tree().clinics if c.waiting_area}

    preview = deployment.stack.preview()
    assert operations(preview) == {"update": 2, "create": 1}
    result = deployment.stack.up()
    assert operations(result) == {"update": 2, "create": 1}

    tree = deployment.organisation_tree()
    kidney = next(c for c in tree.clinics if c.labels[RESOURCE_LABEL] == "metro.renal")
    assert kidney.name == "Metro Health Kidney Clinic"
    assert kidney.waiting_area.opening_hours["friday"].close == "13:00"
    assert kidney.waiting_area.entry_link == before["Metro Health Renal Clinic"], "an in-place edit keeps the link"
    assert any(room.name == "Grand rounds" for room in tree.group_rooms)


def test_out_of_band_changes_show_as_drift_and_up_restores_them(deployment: Deployment) -> None:
    client = deployment.client
    tree = deployment.organisation_tree()
    kidney = next(c for c in tree.clinics if c.labels[RESOURCE_LABEL] == "metro.renal")
    client.clinics.update(kidney.id, {"name": "Renamed by hand"})
    client.waiting_areas.update(kidney.waiting_area.id, {"opening_hours": {}})
    room = next(r for r in tree.group_rooms if r.name == "Grand rounds")
    client.group_rooms.delete(room.id)

    events: list[auto.EngineEvent] = []
    refresh = deployment.stack.refresh(on_event=events.append)
    changes = refresh.summary.resource_changes or {}
    assert changes.get("update") == 2 and changes.get("delete") == 1, changes
    drifted = {
        (e.resource_pre_event.metadata.type.rsplit(":", 1)[-1], e.resource_pre_event.metadata.urn.rsplit("::", 1)[-1])
        for e in events
        if e.resource_pre_event and e.resource_pre_event.metadata.op in (auto.OpType.UPDATE, auto.OpType.DELETE)
    }
    assert drifted == {("Clinic", "metro.renal"), ("WaitingArea", "metro.renal"), ("GroupRoom", "metro.grand-rounds")}

    up = deployment.stack.up()
    assert operations(up) == {"update": 2, "create": 1}
    tree = deployment.organisation_tree()
    kidney = next(c for c in tree.clinics if c.labels[RESOURCE_LABEL] == "metro.renal")
    assert kidney.name == "Metro Health Kidney Clinic"
    assert kidney.waiting_area.opening_hours["friday"].close == "13:00"
    assert any(room.name == "Grand rounds" for room in tree.group_rooms)
    assert operations(deployment.stack.preview()) == {}


def test_state_holds_no_api_token(deployment: Deployment) -> None:
    state = deployment.state_text()
    assert deployment.platform.operator_token not in state
    for stack_file in deployment.state_dir.rglob("*.json"):
        assert deployment.platform.operator_token not in stack_file.read_text()


def test_destroy_leaves_the_organisation_tree_empty(deployment: Deployment) -> None:
    result = deployment.stack.destroy()
    assert result.summary.result == "succeeded"
    assert [org.name for org in deployment.client.organisations.list()] == []
