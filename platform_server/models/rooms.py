"""Room bodies and shapes for all three kinds: meeting rooms, group rooms, user rooms."""

from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from platform_server.models.common import (
    ChangeModel,
    InputModel,
    Labels,
    Name,
    ObjectId,
    ObjectOut,
    items_are_listed_once,
)

MemberIds = Annotated[list[ObjectId], Field(max_length=500), AfterValidator(items_are_listed_once)]


def _participants(limit: int) -> object:
    # The maximum is published in the schema but enforced by the validator, for its own error code.
    return Field(ge=2, json_schema_extra={"maximum": limit})


class RoomLimit(BaseModel):
    """Mixin: `max_participants` may not exceed the room kind's limit (422 `participant_limit_exceeded`)."""

    participant_limit: ClassVar[int] = 6

    @field_validator("max_participants", check_fields=False)
    @classmethod
    def max_participants_within_the_room_limit(cls, value: int) -> int:
        """Meeting and user rooms hold at most 6 participants, group rooms 20."""
        if value > cls.participant_limit:
            raise PydanticCustomError("participant_limit_exceeded", "at most {limit} participants in this kind of room",
                                      {"limit": cls.participant_limit})
        return value


class MeetingRoomCreate(RoomLimit, InputModel):
    """POST .../meeting-rooms."""

    participant_limit = 6
    name: Name
    max_participants: Annotated[int, _participants(6)]
    member_ids: MemberIds = []
    labels: Labels = {}


class MeetingRoomChange(RoomLimit, ChangeModel):
    """PATCH /v1/meeting-rooms/{mr_id}."""

    participant_limit = 6
    immutable_fields = frozenset({"organisation_id", "clinic_id"})
    name: Name = None  # type: ignore[assignment]  # absent means unchanged; an explicit null is refused
    max_participants: Annotated[int, _participants(6)] = None  # type: ignore[assignment]
    member_ids: MemberIds = None  # type: ignore[assignment]
    labels: Labels = None  # type: ignore[assignment]


class GroupRoomCreate(RoomLimit, InputModel):
    """POST .../group-rooms."""

    participant_limit = 20
    name: Name
    max_participants: Annotated[int, _participants(20)]
    labels: Labels = {}


class GroupRoomChange(RoomLimit, ChangeModel):
    """PATCH /v1/group-rooms/{gr_id}."""

    participant_limit = 20
    immutable_fields = frozenset({"organisation_id", "clinic_id"})
    name: Name = None  # type: ignore[assignment]  # absent means unchanged; an explicit null is refused
    max_participants: Annotated[int, _participants(20)] = None  # type: ignore[assignment]
    labels: Labels = None  # type: ignore[assignment]


class UserRoomCreate(RoomLimit, InputModel):
    """POST /v1/organisations/{org_id}/user-rooms."""

    participant_limit = 6
    owner_member_id: ObjectId
    name: Name
    max_participants: Annotated[int, _participants(6)] = 6
    labels: Labels = {}


class UserRoomChange(RoomLimit, ChangeModel):
    """PATCH /v1/user-rooms/{ur_id}."""

    participant_limit = 6
    immutable_fields = frozenset({"organisation_id", "owner_member_id"})
    clinic_id: ObjectId = None  # type: ignore[assignment]  # only to place a room made without a clinic, once
    name: Name = None  # type: ignore[assignment]  # absent means unchanged; an explicit null is refused
    max_participants: Annotated[int, _participants(6)] = None  # type: ignore[assignment]
    labels: Labels = None  # type: ignore[assignment]


class RoomOut(ObjectOut):
    """What every room shows."""

    organisation_id: str
    name: str
    max_participants: int
    room_link: str


class MeetingRoom(RoomOut):
    """A meeting room as the API shows it."""

    clinic_id: str | None
    member_ids: list[str]


class GroupRoom(RoomOut):
    """A group room as the API shows it."""

    clinic_id: str | None


class UserRoom(RoomOut):
    """A user room as the API shows it: a person's room in one clinic (null: made before rooms had clinics)."""

    clinic_id: str | None
    owner_member_id: str
