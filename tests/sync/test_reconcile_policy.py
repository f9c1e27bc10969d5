"""Reconcile's rule for objects no stack manages: left alone, except a twin of a missing declared object (taken
over) and access granted outside code (removed only when asked)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto

from platform_client import PlatformClient
from resources.ownership import RESOURCE_LABEL, STACK_LABEL
from sync.drift import detect_drift
from sync.reconcile import applied_summary, reconcile
from tests.support.applied import applied_example

pytestmark = pytest.mark.engine


@pytest.fixture
def applied(tmp_path: Path) -> Iterator[tuple[auto.Stack, PlatformClient, str]]:
    """The example applied to a private platform: its stack, a client, and the organisation's id."""
    with applied_example(tmp_path, "policy") as example:
        yield example.stack, example.client, example.organisation_id


def test_access_granted_outside_code_is_reported_then_removed_only_when_asked(applied) -> None:
    stack, client, org_id = applied
    people = [m.id for m in client.organisations.tree(org_id).members  # people who may use meeting rooms
              if "admin" in m.org_roles or any(entry.permissions.meeting_rooms for entry in m.clinic_roles)][:2]
    room = client.meeting_rooms.create({"name": "Side channel", "member_ids": people, "max_participants": 6},
                                       organisation_id=org_id)
    admin = client.members.create(org_id, {"email": "shadow.admin@metrohealth.example", "display_name": "Shadow",
                                           "org_roles": ["admin"]})

    kept = reconcile(stack, client, progress=lambda _line: None)
    assert {f.name for f in kept.not_acted_on} == {"Side channel", "Shadow"}
    assert "NOT ACTED ON: unmanaged MeetingRoom Side channel" in applied_summary(kept)
    assert client.meeting_rooms.get(room.id).name == "Side channel" and client.members.get(admin.id)

    removed = reconcile(stack, client, remove_unmanaged_access=True, progress=lambda _line: None)
    assert {f.name for f in removed.removed} == {"Side channel", "Shadow"}
    tree = client.organisations.tree(org_id)
    assert room.id not in [r.id for r in tree.meeting_rooms] and admin.id not in [m.id for m in tree.members]
    assert detect_drift(stack, client, progress=lambda _line: None).exit_code == 0


def test_a_declared_room_recreated_by_hand_is_taken_over_not_doubled(applied) -> None:
    stack, client, org_id = applied
    tree = client.organisations.tree(org_id)
    original = next(r for r in tree.meeting_rooms if r.labels.get(RESOURCE_LABEL) == "metro.clinical-leads")
    client.meeting_rooms.delete(original.id)
    twin = client.meeting_rooms.create({"name": original.name, "member_ids": [], "max_participants": 6},
                                       organisation_id=org_id)

    assert reconcile(stack, client, progress=lambda _line: None).refused is None
    rooms = [r for r in client.organisations.tree(org_id).meeting_rooms if r.name == original.name]
    assert [r.id for r in rooms] == [twin.id], "the hand-made twin is what the spec declares: taken over"
    assert rooms[0].labels.get(STACK_LABEL) == "policy" and rooms[0].member_ids == original.member_ids
