"""Objects made by hand before the project was used are adopted, not recreated: same ids, same entry link."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pulumi import automation as auto

from devtools.platform import running_platform
from platform_client import PlatformClient
from resources.ownership import STACK_LABEL
from sync.stack import project_stack
from sync.stack import scratch_project

pytestmark = [pytest.mark.engine, pytest.mark.slow]

SPEC = {
    "version": 1,
    "organisations": [{
        "key": "hand", "name": "Hand Made Health", "timezone": "Australia/Hobart",
        "people": [{"key": "sam", "email": "sam@hand.example", "display_name": "Sam Admin",
                    "org_roles": ["admin"],
                    "clinic_roles": [{"clinic": "skin", "roles": ["admin"], "permissions": {"user_room": True}}]}],
        "clinics": [{"key": "skin", "name": "Hand Made Dermatology",
                     "waiting_area": {"name": "Skin waiting area",
                                      "opening_hours": {"monday": {"open": "09:00", "close": "12:00"}}}}],
        "group_rooms": [{"key": "education", "name": "Patient education", "max_participants": 15}],
    }],
}


def test_up_adopts_objects_made_by_hand(tmp_path: Path) -> None:
    with running_platform(tmp_path / "platform") as platform, \
            PlatformClient(platform.url, platform.operator_token) as client:
        org = client.organisations.create({"name": "Hand Made Health", "timezone": "Australia/Sydney"})
        clinic = client.clinics.create(org.id, {"name": "Hand Made Dermatology"})
        area = client.waiting_areas.create(clinic.id, {"name": "Old name"})
        client.members.create(org.id, {"email": "sam@hand.example", "display_name": "Sam",
                                       "org_roles": ["admin"], "clinic_roles": [{"clinic_id": clinic.id, "roles": ["admin"]}]})
        room = client.group_rooms.create({"name": "Patient education", "max_participants": 10}, organisation_id=org.id)

        spec = tmp_path / "spec.yaml"
        spec.write_text(yaml.safe_dump(SPEC, sort_keys=False))
        stack = project_stack("adopt", api_url=platform.url, api_token=platform.operator_token, spec=str(spec),
                              state_dir=tmp_path / "state", work_dir=scratch_project(tmp_path / "project"))
        stack.set_config("videocall:adoptExisting", auto.ConfigValue("true"))
        stack.up()

        tree = client.organisations.tree(org.id)
        assert [o.id for o in client.organisations.list()] == [org.id]
        assert [c.id for c in tree.clinics] == [clinic.id]
        assert tree.clinics[0].waiting_area.id == area.id
        assert tree.clinics[0].waiting_area.entry_link == area.entry_link, "adoption keeps the patient entry link"
        assert tree.clinics[0].waiting_area.name == "Skin waiting area"
        assert [r.id for r in tree.group_rooms] == [room.id] and tree.group_rooms[0].max_participants == 15
        assert len(tree.members) == 1 and tree.members[0].clinic_roles[0].permissions.user_room
        assert client.organisations.get(org.id).timezone == "Australia/Hobart"
        assert all(obj.labels.get(STACK_LABEL) == "adopt" for obj in (tree.organisation, *tree.clinics, *tree.members))

        stack.remove_config("videocall:adoptExisting")
        assert {op for op, n in stack.preview().change_summary.items() if n and op != "same"} == set()
