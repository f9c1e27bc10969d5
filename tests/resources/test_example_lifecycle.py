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


def changed_properties(step: auto.StepEventMetadata) -> set[str]:
    """Input properties whose live value (new) differs from the stored one (old) in a refresh step."""
    old, new = step.old.inputs or {}, step.new.inputs or {}
    return {name for name in set(old) | set(new) if name != "__provider" and old.get(name) != new.get(name)}


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
    org.setdefault("group_rooms", []).append({"key": "ward-huddle", "name": "Ward huddle", "max_participants": 20})
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
    assert any(room.name == "Ward huddle" for room in tree.group_rooms)


def test_out_of_band_changes_show_as_drift_and_up_restores_them(deployment: Deployment) -> None:
    client = deployment.client
    tree = deployment.organisation_tree()
    kidney = next(c for c in tree.clinics if c.labels[RESOURCE_LABEL] == "metro.renal")
    client.clinics.update(kidney.id, {"name": "Renamed by hand"})
    client.waiting_areas.update(kidney.waiting_area.id, {"opening_hours": {}})
    room = next(r for r in tree.group_rooms if r.name == "Ward huddle")
    client.group_rooms.delete(room.id)

    events: list[auto.EngineEvent] = []
    refresh = deployment.stack.refresh(on_event=events.append)
    changes = refresh.summary.resource_changes or {}
    assert changes.get("update") == 2 and changes.get("delete") == 1, changes
    drifted = {
        (e.res_outputs_event.metadata.type.rsplit(":", 1)[-1], e.res_outputs_event.metadata.urn.rsplit("::", 1)[-1]):
            e.res_outputs_event.metadata
        for e in events
        if e.res_outputs_event and e.res_outputs_event.metadata.op in (auto.OpType.UPDATE, auto.OpType.DELETE)
    }
    assert set(drifted) == {("Clinic", "metro.renal"), ("WaitingArea", "metro.renal"), ("GroupRoom", "metro.ward-huddle")}
    assert changed_properties(drifted[("Clinic", "metro.renal")]) == {"name"}
    assert changed_properties(drifted[("WaitingArea", "metro.renal")]) == {"opening_hours"}
    assert drifted[("GroupRoom", "metro.ward-huddle")].op == auto.OpType.DELETE

    up = deployment.stack.up()
    assert operations(up) == {"update": 2, "create": 1}
    tree = deployment.organisation_tree()
    kidney = next(c for c in tree.clinics if c.labels[RESOURCE_LABEL] == "metro.renal")
    assert kidney.name == "Metro Health Kidney Clinic"
    assert kidney.waiting_area.opening_hours["friday"].close == "13:00"
    assert any(room.name == "Ward huddle" for room in tree.group_rooms)
    assert operations(deployment.stack.preview()) == {}


def test_moving_a_waiting_area_in_the_spec_needs_the_allowance(deployment: Deployment) -> None:
    spec = load_example()
    org = spec["organisations"][0]
    renal = next(c for c in org["clinics"] if c["key"] == "renal")
    renal["name"] = "Metro Health Kidney Clinic"
    renal["waiting_area"]["opening_hours"]["friday"] = {"open": "08:00", "close": "13:00", "breaks": []}
    org["group_rooms"].append({"key": "ward-huddle", "name": "Ward huddle", "max_participants": 20})
    area = renal.pop("waiting_area")
    org["clinics"].append({"key": "nephrology", "name": "Metro Health Nephrology", "waiting_area": area})
    for person in org["people"]:
        if person["key"] == "dr-nguyen":
            person["clinic_roles"].append({"clinic": "nephrology", "roles": ["admin"]})
    deployment.write_spec(spec)
    link = by_resource_name(deployment.organisation_tree().clinics, "metro.renal").waiting_area.entry_link

    with pytest.raises(auto.CommandError) as refused:
        deployment.stack.preview()  # `pulumi up` previews first; the refusal stops it before any change
    assert "allow_entry_link_change" in str(refused.value) and "'renal' would move" in str(refused.value)
    tree = deployment.organisation_tree()
    assert by_resource_name(tree.clinics, "metro.renal").waiting_area.entry_link == link, "nothing changed"
    assert not any(c.name == "Metro Health Nephrology" for c in tree.clinics)

    area["allow_entry_link_change"] = True
    deployment.write_spec(spec)
    deployment.stack.up()
    tree = deployment.organisation_tree()
    assert by_resource_name(tree.clinics, "metro.renal").waiting_area is None
    moved = by_resource_name(tree.clinics, "metro.nephrology").waiting_area
    assert moved is not None and moved.name == "Renal waiting area" and moved.entry_link != link


def by_resource_name(objects, name: str):
    """The platform object carrying that Pulumi resource name label."""
    return next(obj for obj in objects if obj.labels[RESOURCE_LABEL] == name)


def test_state_holds_no_api_token(deployment: Deployment) -> None:
    """Every file of the state backend (stack, backups, history) is free of the token in plain text."""
    token = deployment.platform.operator_token
    files = [path for path in deployment.state_dir.rglob("*") if path.is_file()]
    assert any(path.parent.name == "videocall-iac" and path.name == "test.json" for path in files), files
    leaking = [str(path) for path in files if token in path.read_text(errors="replace")]
    assert leaking == []
    # Not even encrypted: the token reaches the providers through the environment, never stack config.
    stack_file = next(path for path in files if path.name == "test.json" and "stacks" in path.parts)
    assert "apiToken" not in stack_file.read_text()
    # Nor the URL: a run's platform is resolved at every run and never saved where a later run could reuse it.
    assert "videocall:apiUrl" not in stack_file.read_text()


def test_destroy_leaves_the_organisation_tree_empty(deployment: Deployment) -> None:
    result = deployment.stack.destroy()
    assert result.summary.result == "succeeded"
    assert [org.name for org in deployment.client.organisations.list()] == []
