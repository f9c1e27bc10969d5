"""Meeting, group and user rooms: one code path; each kind only names its paths and models."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, TypeVar

from platform_client.endpoint import DEFAULT_PAGE_SIZE, ObjectEndpoint, api_path
from platform_client.models import (
    GroupRoom,
    GroupRoomCreate,
    GroupRoomUpdate,
    MeetingRoom,
    MeetingRoomCreate,
    MeetingRoomUpdate,
    Room,
    UserRoom,
    UserRoomCreate,
    UserRoomUpdate,
    WireModel,
)

R = TypeVar("R", bound=Room)


class Rooms(ObjectEndpoint[R]):
    """Rooms of one kind, created and listed in an organisation or (where the kind allows) a clinic."""

    in_clinics: ClassVar[bool] = True

    def create(
        self,
        new: WireModel | dict[str, Any],
        *,
        organisation_id: str | None = None,
        clinic_id: str | None = None,
        idempotency_scope: str | None = None,
    ) -> R:
        """A new room in the organisation or the clinic given (exactly one of them)."""
        return self.create_in(self._collection(organisation_id, clinic_id), new, idempotency_scope=idempotency_scope)

    def list(
        self,
        *,
        organisation_id: str | None = None,
        clinic_id: str | None = None,
        labels: Mapping[str, str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> Iterator[R]:
        """Every room of the organisation (its clinics' included), or only those of one clinic."""
        return self.list_in(self._collection(organisation_id, clinic_id), labels=labels, page_size=page_size)

    def _collection(self, organisation_id: str | None, clinic_id: str | None) -> str:
        if (organisation_id is None) == (clinic_id is None):
            raise ValueError("give exactly one of organisation_id and clinic_id")
        if clinic_id is not None:
            if not self.in_clinics:
                raise ValueError(f"{self.segment} belong to an organisation, not a clinic")
            return api_path("clinics", clinic_id, self.segment)
        return api_path("organisations", organisation_id or "", self.segment)


class MeetingRooms(Rooms[MeetingRoom]):
    """`/v1/meeting-rooms`: providers meeting each other, 2..6 participants, access by member ids."""

    segment = "meeting-rooms"
    model = MeetingRoom
    create_model = MeetingRoomCreate
    update_model = MeetingRoomUpdate


class GroupRooms(Rooms[GroupRoom]):
    """`/v1/group-rooms`: calls of 2..20 participants with a reusable link."""

    segment = "group-rooms"
    model = GroupRoom
    create_model = GroupRoomCreate
    update_model = GroupRoomUpdate


class UserRooms(Rooms[UserRoom]):
    """`/v1/user-rooms`: one provider's personal room in a clinic (the organisation path is the older shape)."""

    segment = "user-rooms"
    model = UserRoom
    create_model = UserRoomCreate
    update_model = UserRoomUpdate
