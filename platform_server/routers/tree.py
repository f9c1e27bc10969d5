"""The bulk read of one organisation's whole tree, so a drift scan costs one request."""

import sqlite3

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from platform_server import records
from platform_server.auth import Reader
from platform_server.lookups import visible
from platform_server.models.clinics import Clinic
from platform_server.models.members import Member
from platform_server.models.organisations import Organisation
from platform_server.models.rooms import GroupRoom, MeetingRoom, UserRoom
from platform_server.models.waiting_areas import WaitingArea
from platform_server.records import CLINICS, MEMBERS, ORGANISATIONS, ROOMS, WAITING_AREAS
from platform_server.routers.clinics import clinic_out
from platform_server.routers.members import member_out
from platform_server.routers.organisations import organisation_out
from platform_server.routers.rooms import room_out
from platform_server.routers.waiting_areas import waiting_area_out
from platform_server.writes import perform_read

router = APIRouter(tags=["organisations"])


class ClinicInTree(Clinic):
    """A clinic with its waiting area (or null)."""

    waiting_area: WaitingArea | None


class OrganisationTree(BaseModel):
    """Every object of one organisation."""

    organisation: Organisation
    clinics: list[ClinicInTree]
    meeting_rooms: list[MeetingRoom]
    group_rooms: list[GroupRoom]
    user_rooms: list[UserRoom]
    members: list[Member]


@router.get("/v1/organisations/{org_id}/tree", response_model=OrganisationTree)
def read_tree(request: Request, org_id: str, caller: Reader) -> Response:
    """Read an organisation and everything in it, from one consistent snapshot."""
    def read(connection: sqlite3.Connection) -> OrganisationTree:
        organisation = organisation_out(connection, visible(connection, ORGANISATIONS, org_id, caller, "organisation",
                                                            action="organisation_wide"))
        areas = {row["clinic_id"]: waiting_area_out(connection, row)
                 for row in records.all_rows(connection, WAITING_AREAS, "organisation_id = ?", (org_id,))}
        clinics = [ClinicInTree(**clinic_out(connection, row).model_dump(), waiting_area=areas.get(row["id"]))
                   for row in records.all_rows(connection, CLINICS, "organisation_id = ?", (org_id,))]
        rooms = [room_out(connection, row)
                 for row in records.all_rows(connection, ROOMS, "organisation_id = ?", (org_id,))]
        return OrganisationTree(
            organisation=organisation,
            clinics=clinics,
            meeting_rooms=[room for room in rooms if isinstance(room, MeetingRoom)],
            group_rooms=[room for room in rooms if isinstance(room, GroupRoom)],
            user_rooms=[room for room in rooms if isinstance(room, UserRoom)],
            members=[member_out(connection, row)
                     for row in records.all_rows(connection, MEMBERS, "organisation_id = ?", (org_id,))],
        )
    return perform_read(request, read)
