"""Clinics: `/v1/organisations/{org_id}/clinics` and `/v1/clinics/{clinic_id}`."""

import sqlite3
from typing import Any

from fastapi import APIRouter, Request, Response

from platform_server import records, rules
from platform_server.auth import Reader, Writer
from platform_server.identifiers import new_id
from platform_server.listing import list_in_organisation
from platform_server.lookups import visible
from platform_server.models.clinics import Clinic, ClinicChange, ClinicCreate
from platform_server.models.common import Page
from platform_server.pagination import Paging
from platform_server.problems import ProblemError
from platform_server.records import CLINICS, MEMBERS, ORGANISATIONS, WAITING_AREAS
from platform_server.routers.organisations import Cascade, Force
from platform_server.writes import check_if_match, perform_read, perform_write

router = APIRouter(tags=["clinics"])


def clinic_out(connection: sqlite3.Connection, row: dict[str, Any]) -> Clinic:
    """Present a clinic row."""
    return Clinic(**row, admin_count=rules.clinic_admin_count(connection, row["id"]))


def _name_taken(error: sqlite3.IntegrityError) -> ProblemError:
    if records.is_unique_violation(error, "clinics.name"):
        return ProblemError(409, "clinic_name_taken", "A clinic with this name already exists on the platform")
    raise error


@router.get("/v1/organisations/{org_id}/clinics", response_model=Page[Clinic])
def list_clinics(request: Request, org_id: str, caller: Reader, paging: Paging) -> Response:
    """List an organisation's clinics."""
    return list_in_organisation(request, caller, paging, org_id, CLINICS, clinic_out, Page[Clinic], action="read")


@router.post("/v1/organisations/{org_id}/clinics", status_code=201, response_model=Clinic)
def create_clinic(request: Request, org_id: str, body: ClinicCreate, caller: Writer) -> Response:
    """Create a clinic; its name must be unique on the whole platform."""
    def work(connection: sqlite3.Connection) -> Clinic:
        organisation = visible(connection, ORGANISATIONS, org_id, caller, "organisation", action="create_clinic")
        clinic_id = new_id("cln")
        values = body.model_dump() | {"id": clinic_id, "organisation_id": org_id,
                                      "timezone": body.timezone or organisation["timezone"]}
        try:
            records.insert(connection, CLINICS, values)
        except sqlite3.IntegrityError as error:
            raise _name_taken(error) from error
        return clinic_out(connection, visible(connection, CLINICS, clinic_id, caller, "clinic"))
    return perform_write(request, caller, work, status_code=201, body=body)


@router.get("/v1/clinics/{clinic_id}", response_model=Clinic)
def get_clinic(request: Request, clinic_id: str, caller: Reader) -> Response:
    """Read one clinic."""
    return perform_read(request, lambda connection: clinic_out(
        connection, visible(connection, CLINICS, clinic_id, caller, "clinic")))


@router.patch("/v1/clinics/{clinic_id}", response_model=Clinic)
def update_clinic(request: Request, clinic_id: str, body: ClinicChange, caller: Writer) -> Response:
    """Change a clinic's name, time zone or labels."""
    def work(connection: sqlite3.Connection) -> Clinic:
        row = visible(connection, CLINICS, clinic_id, caller, "clinic")
        check_if_match(request, row["version"])
        try:
            records.update(connection, CLINICS, row, body.changes())
        except sqlite3.IntegrityError as error:
            raise _name_taken(error) from error
        return clinic_out(connection, visible(connection, CLINICS, clinic_id, caller, "clinic"))
    return perform_write(request, caller, work, body=body)


@router.delete("/v1/clinics/{clinic_id}", status_code=204)
def delete_clinic(
    request: Request, clinic_id: str, caller: Writer, cascade: Cascade = False, force: Force = False
) -> Response:
    """Delete a clinic; one with a waiting area or rooms only with ?cascade=true."""
    def work(connection: sqlite3.Connection) -> None:
        row = visible(connection, CLINICS, clinic_id, caller, "clinic", action="delete_clinic")
        check_if_match(request, row["version"])
        contents = connection.execute(
            "SELECT (SELECT count(*) FROM waiting_areas WHERE clinic_id = :id)"
            " + (SELECT count(*) FROM rooms WHERE clinic_id = :id)",
            {"id": clinic_id},
        ).fetchone()[0]
        if contents and not cascade:
            raise ProblemError(409, "clinic_not_empty", "The clinic has a waiting area or rooms; use ?cascade=true")
        waiting = connection.execute(
            "SELECT coalesce(sum(waiting_count), 0) FROM waiting_areas WHERE clinic_id = ?", (clinic_id,)
        ).fetchone()[0]
        rules.no_callers_waiting(waiting, force, "delete")
        # Members with roles in the clinic and waiting areas transferring to it change with it.
        records.touch(connection, MEMBERS, [r[0] for r in connection.execute(
            "SELECT member_id FROM member_clinic_roles WHERE clinic_id = ?", (clinic_id,))])
        records.touch(connection, WAITING_AREAS, [r[0] for r in connection.execute(
            "SELECT waiting_area_id FROM waiting_area_transfer_targets WHERE clinic_id = ?", (clinic_id,))])
        records.delete(connection, CLINICS, clinic_id)
    return perform_write(request, caller, work)
