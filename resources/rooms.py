"""Meeting rooms, group rooms and user rooms: one provider shape serves all three kinds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import pulumi
from pydantic import BaseModel

import schemas
from platform_client import PlatformClient
from platform_client.models import PlatformObject
from resources.base import PlatformResource
from resources.clinic import Clinic
from resources.member import Member
from resources.organisation import Organisation
from resources.provider import DiffResult, PlatformProvider, differs
from resources.validation import model_failures

ROOM_FIELDS = ("key", "name", "max_participants", "labels")


class RoomProvider(PlatformProvider):
    """A room in an organisation or (meeting and group rooms) one of its clinics; its link is stable."""

    endpoint_name: ClassVar[str]
    schema: ClassVar[type[BaseModel]]
    output_fields = ("room_link",)

    def endpoint(self, client: PlatformClient) -> Any:
        return getattr(client, self.endpoint_name)

    def validate(self, inputs: dict[str, Any]) -> list[tuple[str, str]]:
        return model_failures(self.schema, inputs, ROOM_FIELDS)

    def create_object(self, client: PlatformClient, inputs: dict[str, Any]) -> PlatformObject:
        scope = {"clinic_id": inputs["clinic_id"]} if inputs.get("clinic_id") else {
            "organisation_id": inputs["organisation_id"]}
        return self.endpoint(client).create(
            self.to_platform(inputs),
            **scope,
            idempotency_scope=self.idempotency_scope(inputs),
        )

    def find_existing(self, client: PlatformClient, inputs: dict[str, Any]) -> PlatformObject | None:
        rooms = self.endpoint(client).list(organisation_id=inputs["organisation_id"])
        return next((room for room in rooms if self.same_room(room, inputs)), None)

    def same_room(self, room: Any, inputs: dict[str, Any]) -> bool:
        """Whether a room on the platform is the one declared (same scope and name)."""
        return room.name == inputs.get("name") and getattr(room, "clinic_id", None) == inputs.get("clinic_id")


class MeetingRoomProvider(RoomProvider):
    """Meeting rooms: 2 to 6 providers, members given access by admins."""

    kind = "meeting room"
    endpoint_name = "meeting_rooms"
    schema = schemas.MeetingRoom
    input_fields = ("organisation_id", "clinic_id", *ROOM_FIELDS, "member_ids")
    replace_on = ("organisation_id", "clinic_id")


class GroupRoomProvider(RoomProvider):
    """Group rooms: 7 to 20 participants, guests wait to be admitted."""

    kind = "group room"
    endpoint_name = "group_rooms"
    schema = schemas.GroupRoom
    input_fields = ("organisation_id", "clinic_id", *ROOM_FIELDS)
    replace_on = ("organisation_id", "clinic_id")


class UserRoomProvider(RoomProvider):
    """User rooms: one provider's personal room, entered only by invitation."""

    kind = "user room"
    endpoint_name = "user_rooms"
    schema = schemas.UserRoom
    input_fields = ("organisation_id", "clinic_id", "owner_member_id", *ROOM_FIELDS)
    replace_on = ("organisation_id", "owner_member_id")

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """A room made before user rooms had clinics is placed in one in place (its link kept); moving clinics replaces it."""
        result = super().diff(_id, olds, news)
        if olds.get("clinic_id") is None or not differs(olds.get("clinic_id"), news.get("clinic_id")):
            return result
        return DiffResult(changes=True, replaces=[*(result.replaces or []), "clinic_id"], stables=result.stables,
                          delete_before_replace=True)

    def validate(self, inputs: dict[str, Any]) -> list[tuple[str, str]]:
        # The schema's owner is a person key; here it is a platform id, checked by the platform.
        return model_failures(self.schema, {**inputs, "owner": "owner"}, (*ROOM_FIELDS, "owner"))

    def same_room(self, room: Any, inputs: dict[str, Any]) -> bool:
        # A room made before user rooms had clinics is the owner's room in the clinic declared: it is placed there.
        return room.owner_member_id == inputs.get("owner_member_id") and room.clinic_id in (inputs.get("clinic_id"), None)

    def changes(self, changed: dict[str, Any], _inputs: dict[str, Any]) -> dict[str, Any]:
        placed = {"clinic_id": changed["clinic_id"]} if changed.get("clinic_id") else {}
        return {**{name: value for name, value in self.to_platform(changed).items() if name != "owner_member_id"}, **placed}

    def to_platform(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        owner = {"owner_member_id": inputs["owner_member_id"]} if "owner_member_id" in inputs else {}
        return {**{name: value for name, value in super().to_platform(inputs).items() if name != "clinic_id"}, **owner}


class _Room(PlatformResource):
    """Arguments every room kind shares."""

    room_link: pulumi.Output[str]
    """The link participants open to enter the room."""
    provider_class: ClassVar[type[RoomProvider]]

    def __init__(
        self, resource_name: str, props: dict[str, Any], labels: Mapping[str, str] | None,
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        super().__init__(self.provider_class(), resource_name, props, labels, opts)


def _scope(organisation: Organisation, clinic: Clinic | None) -> dict[str, Any]:
    """Parent ids of a room at organisation or clinic scope."""
    return {"organisation_id": organisation.id, "clinic_id": clinic.id if clinic is not None else None}


class MeetingRoom(_Room, module="videocall", name="MeetingRoom"):
    """A meeting room of an organisation or clinic, for providers only (never patients)."""

    provider_class = MeetingRoomProvider

    def __init__(
        self, resource_name: str, *, organisation: Organisation, key: str, name: pulumi.Input[str],
        max_participants: int = schemas.SMALL_ROOM_MAX, clinic: Clinic | None = None, members: Sequence[Member] = (),
        labels: Mapping[str, str] | None = None, opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a meeting room (2 to 6 participants) of `organisation`, or of `clinic` when given."""
        props = {**_scope(organisation, clinic), "key": key, "name": name, "max_participants": max_participants,
                 "member_ids": [member.id for member in members]}
        super().__init__(resource_name, props, labels, opts)


class GroupRoom(_Room, module="videocall", name="GroupRoom"):
    """A group room of an organisation or clinic, for calls of more than 6 participants."""

    provider_class = GroupRoomProvider

    def __init__(
        self, resource_name: str, *, organisation: Organisation, key: str, name: pulumi.Input[str],
        max_participants: int = schemas.GROUP_ROOM_MAX, clinic: Clinic | None = None,
        labels: Mapping[str, str] | None = None, opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a group room (7 to 20 participants) of `organisation`, or of `clinic` when given."""
        props = {**_scope(organisation, clinic), "key": key, "name": name, "max_participants": max_participants}
        super().__init__(resource_name, props, labels, opts)


class UserRoom(_Room, module="videocall", name="UserRoom"):
    """A provider's personal room; nobody enters without an invitation link."""

    provider_class = UserRoomProvider

    def __init__(
        self, resource_name: str, *, organisation: Organisation, owner: Member, key: str, name: pulumi.Input[str],
        clinic: Clinic | None = None, max_participants: int = schemas.SMALL_ROOM_MAX,
        labels: Mapping[str, str] | None = None, opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare `owner`'s user room in `clinic` (2 to 6 participants); they need the `user_room` permission there."""
        props = {**_scope(organisation, clinic), "owner_member_id": owner.id, "key": key, "name": name,
                 "max_participants": max_participants}
        super().__init__(resource_name, props, labels, opts)
