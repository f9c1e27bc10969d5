"""Meeting rooms, group rooms and user rooms, and the participant limits that tell them apart."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from .common import Key, Named, Problem, WholeNumber, duplicates, rule

SMALL_ROOM_MIN, SMALL_ROOM_MAX = 2, 6
GROUP_ROOM_MIN, GROUP_ROOM_MAX = 2, 20
"""The platform's limits per kind of room; a group room of 6 or fewer is allowed, with a warning (`warnings`)."""


def small_room_participant_limit(value: int, room: str) -> int:
    """Meeting rooms and user rooms hold 2 to 6 people; bigger calls belong in a group room."""
    if value > SMALL_ROOM_MAX:
        raise PydanticCustomError(
            "small_room_participant_limit",
            "a {room} holds at most 6 participants, not {value}; use a group room for calls with 7 to 20 participants",
            {"room": room, "value": value},
        )
    if value < SMALL_ROOM_MIN:
        raise PydanticCustomError("small_room_participant_limit", "a {room} needs room for at least 2 participants, not {value}", {"room": room, "value": value})
    return value


class Room(Named):
    """Any kind of room; room keys are unique across all the rooms of an organisation."""


class MeetingRoom(Room):
    """A room where registered providers meet each other (team or case meetings), never patients."""

    max_participants: WholeNumber = Field(default=SMALL_ROOM_MAX, json_schema_extra={"minimum": SMALL_ROOM_MIN, "maximum": SMALL_ROOM_MAX})
    """At most 6; use a group room for more."""
    members: list[Key] = []
    """Keys of the people given access (people of the organisation; for a clinic's room, people with a role in that clinic)."""

    @field_validator("max_participants")
    @classmethod
    def meeting_room_participant_limit(cls, value: int) -> int:
        """A meeting room holds 2 to 6 participants."""
        return small_room_participant_limit(value, "meeting room")

    @rule
    def members_listed_once(self) -> Iterator[Problem]:
        """Each member is listed once."""
        for index, member in duplicates(self.members):
            yield Problem(("members", index), f"'{member}' is listed twice as a member of this meeting room")


class GroupRoom(Room):
    """A room for calls with more than 6 participants (at most 20), with a reusable link; guests wait to be admitted."""

    max_participants: WholeNumber = Field(default=GROUP_ROOM_MAX, json_schema_extra={"minimum": GROUP_ROOM_MIN, "maximum": GROUP_ROOM_MAX})
    """2 to 20 (the platform's limit for group rooms; it is not a setting there); 6 or fewer draws a warning."""

    @field_validator("max_participants")
    @classmethod
    def group_room_participant_limit(cls, value: int) -> int:
        """Group rooms hold 2 to 20 people, as on the platform."""
        if value > GROUP_ROOM_MAX:
            raise PydanticCustomError("group_room_participant_limit", "a group room holds at most 20 participants, not {value}", {"value": value})
        if value < GROUP_ROOM_MIN:
            raise PydanticCustomError("group_room_participant_limit", "a group room needs room for at least 2 participants, not {value}", {"value": value})
        return value

    def warnings(self) -> list[tuple[tuple[str, ...], str]]:
        """A group room is meant for calls of more than 6 (the platform's spirit, not its rule)."""
        if self.max_participants <= SMALL_ROOM_MAX:
            return [(("max_participants",), f"group_room_is_for_more_than_six: a group room is meant for calls of more than "
                     f"6 participants, not {self.max_participants}; a meeting room holds up to 6")]
        return []


class UserRoom(Room):
    """A provider's personal room in a clinic; nobody enters without an invitation link."""

    owner: Key
    """Key of the person who owns the room; they need the `user_room` permission in the clinic, and have at most one user room there."""
    max_participants: WholeNumber = Field(default=SMALL_ROOM_MAX, json_schema_extra={"minimum": SMALL_ROOM_MIN, "maximum": SMALL_ROOM_MAX})
    """At most 6; use a group room for more."""

    @field_validator("max_participants")
    @classmethod
    def user_room_participant_limit(cls, value: int) -> int:
        """A user room holds 2 to 6 participants."""
        return small_room_participant_limit(value, "user room")
