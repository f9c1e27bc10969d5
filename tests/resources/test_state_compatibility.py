"""Stacks made by an earlier version still refresh, move to today's access model in place, and destroy: the state names
each provider by its module path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pulumi import automation as auto

from devtools.platform import running_platform
from platform_client import PlatformClient
from platform_server.app import DATABASE_FILE
from schemas import SpecError, load_spec
from sync.stack import project_stack, scratch_project
from tests.resources.compat.make_fixture import FIXTURE, OPERATOR_TOKEN, STACK_NAME

pytestmark = [pytest.mark.engine, pytest.mark.slow]


def provider_modules(deployment: dict) -> set[str]:
    """The module paths the state's pickled providers name (the part that must keep importing)."""
    import base64
    import pickletools

    modules = set()
    for resource in deployment["resources"]:
        pickled = resource.get("inputs", {}).get("__provider", {}).get("plaintext")
        if pickled:
            for opcode, argument, _ in pickletools.genops(base64.b64decode(json.loads(pickled))):
                if opcode.name in ("SHORT_BINUNICODE", "BINUNICODE") and str(argument).startswith("resources"):
                    modules.add(str(argument))
    return modules


def test_the_fixture_names_todays_provider_modules() -> None:
    deployment = json.loads((FIXTURE / "stack.json").read_text())
    assert {"resources.organisation", "resources.clinic", "resources.waiting_area"} <= provider_modules(deployment)


def test_a_stack_from_an_earlier_version_refreshes_previews_and_destroys_clean(tmp_path: Path) -> None:
    data_dir = tmp_path / "platform"
    data_dir.mkdir()
    shutil.copy(FIXTURE / DATABASE_FILE, data_dir / DATABASE_FILE)
    deployment = json.loads((FIXTURE / "stack.json").read_text())
    spec = tmp_path / "spec.yaml"
    shutil.copy(FIXTURE / "spec.yaml", spec)
    with running_platform(data_dir, operator_token=OPERATOR_TOKEN) as platform, \
            PlatformClient(platform.url, platform.operator_token) as client:
        before = {clinic.id for org in client.organisations.list() for clinic in client.organisations.tree(org.id).clinics}
        assert len(before) >= 3, "the fixture's platform database holds the applied example"
        stack = project_stack(STACK_NAME, api_url=platform.url, api_token=platform.operator_token, spec=str(spec),
                              state_dir=tmp_path / "state", work_dir=scratch_project(tmp_path / "project"))
        stack.import_stack(auto.Deployment(version=3, deployment=deployment))

        refreshed = stack.refresh()
        changes = refreshed.summary.resource_changes or {}
        assert set(changes) <= {"same"}, f"an old stack must read back unchanged, got {changes}"
        assert changes.get("same") == len(deployment["resources"]) - 1  # all but the stack itself

        # The earlier spec fails with what to write instead; the migrated one (README, "Moving a spec from the
        # earlier model") changes people, waiting areas and user rooms in place: no link changes.
        with pytest.raises(SpecError) as caught:
            load_spec(FIXTURE / "spec.yaml")
        assert {issue.rule for issue in caught.value.errors} == {
            "permissions_are_per_clinic", "user_rooms_belong_to_a_clinic", "transfer_targets_are_not_a_platform_setting",
            "clinic_role_is_a_platform_role"}
        shutil.copy(FIXTURE / "spec-migrated.yaml", spec)
        links = {room.id: room.room_link for org in client.organisations.list()
                 for room in client.organisations.tree(org.id).user_rooms}
        planned = stack.preview().change_summary
        assert {op for op, count in planned.items() if count and op not in ("same", "update")} == set(), \
            f"the migrated spec must change the old stack in place, planned {planned}"
        stack.up()
        trees = [client.organisations.tree(org.id) for org in client.organisations.list()]
        assert {room.id: room.room_link for tree in trees for room in tree.user_rooms} == links
        assert all(room.clinic_id for tree in trees for room in tree.user_rooms), "user rooms are placed in their clinics"
        assert {clinic.id for tree in trees for clinic in tree.clinics} == before
        again = stack.preview().change_summary
        assert {op for op, count in again.items() if count and op != "same"} == set(), again

        stack.destroy()
        assert list(client.organisations.list()) == [], "destroy of the old stack removes everything it made"
