"""Meeting rooms, group rooms and user rooms: one set of endpoints serves all three kinds."""

import sqlite3
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from platform_server import powers, records, rules
from platform_server.auth import Caller, Reader, Writer
from platform_server.identifiers import new_id, new_slug
from platform_server.listing import list_children
from platform_server.lookups import visible
from platform_server.models.common import ChangeModel, InputModel, Page
from platform_server.models.rooms import (
    GroupRoom,
    GroupRoomChange,
    GroupRoomCreate,
    MeetingRoom,
    MeetingRoomChange,
    MeetingRoomCreate,
    RoomOut,
    UserRoom,
    UserRoomChange,
    UserRoomCreate,
)
from platform_server.pagination import Paging
from platform_server.problems import ProblemError
from platform_server.records import CLINICS, MEMBERS, ORGANISATIONS, ROOMS
from platform_server.state import platform_of
from platform_server.writes import check_if_match, perform_read, perform_write

router = APIRouter(tags=["rooms"])


class RoomEntry(BaseModel):
    """A member let into a room."""

    room_id: str
    room_link: str


@dataclass(frozen=True)
class RoomKind:
    """What differs between the kinds of room."""

    kind: str
    what: str
    path: str
    prefix: str
    link_path: str
    create_model: type[InputModel]
    change_model: type[ChangeModel]
    output_model: type[RoomOut]
    clinic_scope: bool
    has_members: bool


MEETING_ROOMS = RoomKind("meeting", "meeting room", "meeting-rooms", "mr", "room", MeetingRoomCreate,
                         MeetingRoomChange, MeetingRoom, clinic_scope=True, has_members=True)
GROUP_ROOMS = RoomKind("group", "group room", "group-rooms", "gr", "room", GroupRoomCreate,
                       GroupRoomChange, GroupRoom, clinic_scope=True, has_members=False)
USER_ROOMS = RoomKind("user", "user room", "user-rooms", "ur", "invite", UserRoomCreate,
                      UserRoomChange, UserRoom, clinic_scope=True, has_members=False)
ROOM_KINDS = (MEETING_ROOMS, GROUP_ROOMS, USER_ROOMS)
KIND_BY_NAME = {kind.kind: kind for kind in ROOM_KINDS}


def room_member_ids(connection: sqlite3.Connection, room_id: str) -> list[str]:
    """The members given access to a meeting room, in the order they were given."""
    return [row[0] for row in connection.execute(
        "SELECT member_id FROM room_members WHERE room_id = ? ORDER BY position", (room_id,))]


def room_out(connection: sqlite3.Connection, row: dict[str, Any]) -> RoomOut:
    """Present a room row as its kind's shape."""
    kind = KIND_BY_NAME[row["kind"]]
    extra = {"member_ids": room_member_ids(connection, row["id"])} if kind.has_members else {}
    return kind.output_model(**row, **extra)


def _members_belong(connection: sqlite3.Connection, organisation_id: str, member_ids: list[str]) -> None:
    known = rules.ids_in_organisation(connection, "members", organisation_id, member_ids)
    unknown = [member_id for member_id in member_ids if member_id not in known]
    if unknown:
        raise ProblemError(422, "unknown_member", f"Not members of this organisation: {', '.join(unknown)}",
                           errors=[{"loc": ["body", "member_ids"], "msg": f"unknown member {m}"} for m in unknown])


def _set_room_members(connection: sqlite3.Connection, room_id: str, member_ids: list[str]) -> None:
    connection.execute("DELETE FROM room_members WHERE room_id = ?", (room_id,))
    connection.executemany("INSERT INTO room_members (room_id, member_id, position) VALUES (?, ?, ?)",
                           [(room_id, member_id, position) for position, member_id in enumerate(member_ids)])


def _owner_may_have_a_user_room(
    connection: sqlite3.Connection, organisation_id: str, owner_id: str, clinic_id: str | None,
) -> None:
    """A user room belongs to a person holding the User Room permission in its clinic (422)."""
    owner = records.fetch(connection, MEMBERS, owner_id, organisation_id=organisation_id)
    if owner is None:
        raise ProblemError(422, "unknown_member", f"{owner_id} is not a member of this organisation",
                           errors=[{"loc": ["body", "owner_member_id"], "msg": "unknown member"}])
    room = {"kind": "user", "clinic_id": clinic_id, "owner_member_id": owner_id}
    if not powers.access_of(connection, owner_id).may_enter(room):
        where = "in this clinic" if clinic_id else "in any clinic"
        raise ProblemError(422, "user_room_permission_required", f"The owner lacks the user_room permission {where}")


def _place_user_room(connection: sqlite3.Connection, row: dict[str, Any], clinic_id: str) -> None:
    """A user room made without a clinic may be placed in one, once, keeping its link (422 otherwise)."""
    if row["clinic_id"] == clinic_id:
        return
    if row["clinic_id"] is not None:
        raise ProblemError(422, "immutable_field", "A user room's clinic cannot change once set",
                           errors=[{"loc": ["body", "clinic_id"], "msg": "cannot be changed"}])
    if not rules.ids_in_organisation(connection, "clinics", row["organisation_id"], [clinic_id]):
        raise ProblemError(422, "unknown_clinic", f"Not a clinic of this organisation: {clinic_id}",
                           errors=[{"loc": ["body", "clinic_id"], "msg": "unknown clinic"}])
    _owner_may_have_a_user_room(connection, row["organisation_id"], row["owner_member_id"], clinic_id)


def _members_may_enter(connection: sqlite3.Connection, room: dict[str, Any], member_ids: list[str]) -> None:
    """Everyone given a meeting room may enter it: Meeting Rooms permission where the room is (422)."""
    shut_out = [member_id for member_id in member_ids if not powers.access_of(connection, member_id).may_enter(room)]
    if shut_out:
        raise ProblemError(422, "room_access_required",
                           f"Without the meeting_rooms permission {'in this clinic' if room['clinic_id'] else 'in a clinic'}"
                           f": {', '.join(shut_out)}",
                           errors=[{"loc": ["body", "member_ids"], "msg": f"{m} may not enter this room"} for m in shut_out])


def create_room(
    connection: sqlite3.Connection, kind: RoomKind, caller: Caller, organisation_id: str,
    clinic_id: str | None, body: InputModel, base_url: str,
) -> RoomOut:
    """Create a room of `kind` in an organisation or one of its clinics."""
    values = body.model_dump(exclude={"member_ids"})
    if kind is USER_ROOMS:
        _owner_may_have_a_user_room(connection, organisation_id, values["owner_member_id"], clinic_id)
    member_ids: list[str] = getattr(body, "member_ids", [])
    _members_belong(connection, organisation_id, member_ids)
    _members_may_enter(connection, {"kind": kind.kind, "clinic_id": clinic_id, "owner_member_id": None}, member_ids)
    room_id = new_id(kind.prefix)
    values |= {"id": room_id, "kind": kind.kind, "organisation_id": organisation_id, "clinic_id": clinic_id,
               "room_link": f"{base_url}/{kind.link_path}/{new_slug()}"}
    try:
        records.insert(connection, ROOMS, values)
    except sqlite3.IntegrityError as error:
        if records.is_unique_violation(error, "one_user_room_per_owner_per_clinic"):
            raise ProblemError(409, "user_room_exists", "This member already has a user room here") from error
        raise
    if kind.has_members:
        _set_room_members(connection, room_id, member_ids)
    return room_out(connection, visible(connection, ROOMS, room_id, caller, kind.what))


def _register(kind: RoomKind) -> None:
    """Add the endpoints of one kind of room to the router."""
    page_model = Page[kind.output_model]  # type: ignore[name-defined]
    create_body = kind.create_model
    change_body = kind.change_model

    def list_in_organisation(request: Request, org_id: str, caller: Reader, paging: Paging) -> Response:
        return list_children(request, caller, paging, parent=(ORGANISATIONS, org_id, "organisation"), table=ROOMS,
                             present=room_out, page_model=page_model, where="organisation_id = ? AND kind = ?",
                             params=(org_id, kind.kind), action="organisation_wide")

    def list_in_clinic(request: Request, clinic_id: str, caller: Reader, paging: Paging) -> Response:
        return list_children(request, caller, paging, parent=(CLINICS, clinic_id, "clinic"), table=ROOMS,
                             present=room_out, page_model=page_model, where="clinic_id = ? AND kind = ?",
                             params=(clinic_id, kind.kind))

    def create_in_organisation(
        request: Request, org_id: str, body: create_body, caller: Writer  # type: ignore[valid-type]
    ) -> Response:
        base_url = platform_of(request).settings.base_url

        def work(connection: sqlite3.Connection) -> RoomOut:
            visible(connection, ORGANISATIONS, org_id, caller, "organisation")
            return create_room(connection, kind, caller, org_id, None, body, base_url)
        return perform_write(request, caller, work, status_code=201, body=body)

    def create_in_clinic(
        request: Request, clinic_id: str, body: create_body, caller: Writer  # type: ignore[valid-type]
    ) -> Response:
        base_url = platform_of(request).settings.base_url

        def work(connection: sqlite3.Connection) -> RoomOut:
            clinic = visible(connection, CLINICS, clinic_id, caller, "clinic")
            return create_room(connection, kind, caller, clinic["organisation_id"], clinic_id, body, base_url)
        return perform_write(request, caller, work, status_code=201, body=body)

    def get_room(request: Request, room_id: str, caller: Reader) -> Response:
        return perform_read(request, lambda connection: room_out(
            connection, visible(connection, ROOMS, room_id, caller, kind.what, kind=kind.kind)))

    def update_room(
        request: Request, room_id: str, body: change_body, caller: Writer  # type: ignore[valid-type]
    ) -> Response:
        def work(connection: sqlite3.Connection) -> RoomOut:
            row = visible(connection, ROOMS, room_id, caller, kind.what, kind=kind.kind)
            check_if_match(request, row["version"])
            changes = body.changes()
            if "clinic_id" in changes:
                _place_user_room(connection, row, changes["clinic_id"])
            members_changed = False
            if "member_ids" in changes:
                member_ids = changes.pop("member_ids")
                _members_belong(connection, row["organisation_id"], member_ids)
                _members_may_enter(connection, row, member_ids)
                members_changed = member_ids != room_member_ids(connection, room_id)
                if members_changed:
                    _set_room_members(connection, room_id, member_ids)
            records.update(connection, ROOMS, row, changes, force_new_version=members_changed)
            return room_out(connection, visible(connection, ROOMS, room_id, caller, kind.what))
        return perform_write(request, caller, work, body=body)

    def enter_room(request: Request, room_id: str, caller: Reader) -> Response:
        def read(connection: sqlite3.Connection) -> RoomEntry:
            row = visible(connection, ROOMS, room_id, caller, kind.what, action="enter", kind=kind.kind)
            if caller.member_id is None:
                raise ProblemError(403, "forbidden", "Only a member enters a room: use a member token")
            if not powers.access_of(connection, caller.member_id).may_enter(row):
                raise ProblemError(403, "room_access_denied", f"Your roles and permissions do not let you enter this {kind.what}")
            return RoomEntry(room_id=room_id, room_link=row["room_link"])
        return perform_read(request, read)

    def delete_room(request: Request, room_id: str, caller: Writer) -> Response:
        def work(connection: sqlite3.Connection) -> None:
            row = visible(connection, ROOMS, room_id, caller, kind.what, kind=kind.kind)
            check_if_match(request, row["version"])
            records.delete(connection, ROOMS, room_id)
        return perform_write(request, caller, work)

    name = kind.what.replace(" ", "_")
    collection = f"/v1/organisations/{{org_id}}/{kind.path}"
    router.add_api_route(collection, list_in_organisation, methods=["GET"], response_model=page_model,
                         name=f"list_{name}s", summary=f"List the organisation's {kind.what}s")
    router.add_api_route(collection, create_in_organisation, methods=["POST"], status_code=201,
                         response_model=kind.output_model, name=f"create_{name}",
                         summary=f"Create a {kind.what} in the organisation")
    if kind.clinic_scope:
        clinic_collection = f"/v1/clinics/{{clinic_id}}/{kind.path}"
        router.add_api_route(clinic_collection, list_in_clinic, methods=["GET"], response_model=page_model,
                             name=f"list_clinic_{name}s", summary=f"List the clinic's {kind.what}s")
        router.add_api_route(clinic_collection, create_in_clinic, methods=["POST"], status_code=201,
                             response_model=kind.output_model, name=f"create_clinic_{name}",
                             summary=f"Create a {kind.what} in the clinic")
    single = f"/v1/{kind.path}/{{room_id}}"
    router.add_api_route(single, get_room, methods=["GET"], response_model=kind.output_model,
                         name=f"get_{name}", summary=f"Read one {kind.what}")
    router.add_api_route(single, update_room, methods=["PATCH"], response_model=kind.output_model,
                         name=f"update_{name}", summary=f"Change a {kind.what}")
    router.add_api_route(single, delete_room, methods=["DELETE"], status_code=204,
                         name=f"delete_{name}", summary=f"Delete a {kind.what}")
    router.add_api_route(f"{single}/enter", enter_room, methods=["POST"], response_model=RoomEntry,
                         name=f"enter_{name}", summary=f"Enter a {kind.what} as the member of the token")


for _kind in ROOM_KINDS:
    _register(_kind)
