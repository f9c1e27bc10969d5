"""Waiting areas, one per clinic: `/v1/clinics/{clinic_id}/waiting-area` and `/v1/waiting-areas/{wa_id}`."""

import sqlite3
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from platform_server import powers, records, rules
from platform_server.auth import Reader, Writer
from platform_server.identifiers import new_id, new_slug
from platform_server.listing import list_in_organisation
from platform_server.lookups import visible
from platform_server.models.common import InputModel, ObjectId, Page
from platform_server.models.waiting_areas import WaitingArea, WaitingAreaChange, WaitingAreaCreate
from platform_server.pagination import Paging
from platform_server.problems import ProblemError, not_found
from platform_server.records import CLINICS, WAITING_AREAS
from platform_server.routers.organisations import Force
from platform_server.state import platform_of
from platform_server.writes import check_if_match, perform_read, perform_write

router = APIRouter(tags=["waiting areas"])


def transfer_targets_of(connection: sqlite3.Connection, waiting_area_id: str) -> list[str]:
    """The clinics a waiting area can transfer callers to, in the order they were given."""
    return [row[0] for row in connection.execute(
        "SELECT clinic_id FROM waiting_area_transfer_targets WHERE waiting_area_id = ? ORDER BY position",
        (waiting_area_id,),
    )]


def waiting_area_out(connection: sqlite3.Connection, row: dict[str, Any]) -> WaitingArea:
    """Present a waiting area row."""
    return WaitingArea(**row, transfer_targets=transfer_targets_of(connection, row["id"]))


def _set_transfer_targets(connection: sqlite3.Connection, waiting_area_id: str, targets: list[str]) -> None:
    connection.execute("DELETE FROM waiting_area_transfer_targets WHERE waiting_area_id = ?", (waiting_area_id,))
    connection.executemany(
        "INSERT INTO waiting_area_transfer_targets (waiting_area_id, clinic_id, position) VALUES (?, ?, ?)",
        [(waiting_area_id, clinic_id, position) for position, clinic_id in enumerate(targets)],
    )


@router.get("/v1/organisations/{org_id}/waiting-areas", response_model=Page[WaitingArea])
def list_waiting_areas(request: Request, org_id: str, caller: Reader, paging: Paging) -> Response:
    """List the waiting areas of all clinics of an organisation."""
    return list_in_organisation(request, caller, paging, org_id, WAITING_AREAS, waiting_area_out, Page[WaitingArea])


@router.post("/v1/clinics/{clinic_id}/waiting-area", status_code=201, response_model=WaitingArea)
def create_waiting_area(request: Request, clinic_id: str, body: WaitingAreaCreate, caller: Writer) -> Response:
    """Create the clinic's waiting area (409 `waiting_area_exists` if it has one)."""
    base_url = platform_of(request).settings.base_url

    def work(connection: sqlite3.Connection) -> WaitingArea:
        clinic = visible(connection, CLINICS, clinic_id, caller, "clinic")
        rules.transfer_targets_are_sibling_clinics(
            connection, clinic["organisation_id"], clinic_id, body.transfer_targets)
        waiting_area_id = new_id("wa")
        values = body.model_dump(exclude={"transfer_targets"}) | {
            "id": waiting_area_id,
            "clinic_id": clinic_id,
            "organisation_id": clinic["organisation_id"],
            "entry_link": f"{base_url}/join/{new_slug()}",
        }
        try:
            records.insert(connection, WAITING_AREAS, values)
        except sqlite3.IntegrityError as error:
            if records.is_unique_violation(error, "waiting_areas.clinic_id"):
                raise ProblemError(409, "waiting_area_exists", "This clinic already has a waiting area") from error
            raise
        _set_transfer_targets(connection, waiting_area_id, body.transfer_targets)
        return waiting_area_out(connection, visible(connection, WAITING_AREAS, waiting_area_id, caller, "waiting area"))
    return perform_write(request, caller, work, status_code=201, body=body)


@router.get("/v1/clinics/{clinic_id}/waiting-area", response_model=WaitingArea)
def get_clinic_waiting_area(request: Request, clinic_id: str, caller: Reader) -> Response:
    """Read the clinic's waiting area (404 if it has none)."""
    def read(connection: sqlite3.Connection) -> WaitingArea:
        visible(connection, CLINICS, clinic_id, caller, "clinic")
        row = connection.execute("SELECT id FROM waiting_areas WHERE clinic_id = ?", (clinic_id,)).fetchone()
        if row is None:
            raise not_found("waiting area")
        return waiting_area_out(connection, visible(connection, WAITING_AREAS, row[0], caller, "waiting area"))
    return perform_read(request, read)


@router.get("/v1/waiting-areas/{wa_id}", response_model=WaitingArea)
def get_waiting_area(request: Request, wa_id: str, caller: Reader) -> Response:
    """Read one waiting area."""
    return perform_read(request, lambda connection: waiting_area_out(
        connection, visible(connection, WAITING_AREAS, wa_id, caller, "waiting area")))


@router.patch("/v1/waiting-areas/{wa_id}", response_model=WaitingArea)
def update_waiting_area(
    request: Request, wa_id: str, body: WaitingAreaChange, caller: Writer, force: Force = False
) -> Response:
    """Change a waiting area; disabling it while callers wait needs ?force=true."""
    def work(connection: sqlite3.Connection) -> WaitingArea:
        row = visible(connection, WAITING_AREAS, wa_id, caller, "waiting area")
        check_if_match(request, row["version"])
        changes = body.changes()
        if changes.get("enabled") is False and row["enabled"]:
            rules.no_callers_waiting(row["waiting_count"], force, "disable")
        targets_changed = False
        if "transfer_targets" in changes:
            targets = changes.pop("transfer_targets")
            rules.transfer_targets_are_sibling_clinics(connection, row["organisation_id"], row["clinic_id"], targets)
            targets_changed = targets != transfer_targets_of(connection, wa_id)
            if targets_changed:
                _set_transfer_targets(connection, wa_id, targets)
        records.update(connection, WAITING_AREAS, row, changes, force_new_version=targets_changed)
        return waiting_area_out(connection, visible(connection, WAITING_AREAS, wa_id, caller, "waiting area"))
    return perform_write(request, caller, work, body=body)


@router.delete("/v1/waiting-areas/{wa_id}", status_code=204)
def delete_waiting_area(request: Request, wa_id: str, caller: Writer, force: Force = False) -> Response:
    """Delete a waiting area; while callers wait only with ?force=true."""
    def work(connection: sqlite3.Connection) -> None:
        row = visible(connection, WAITING_AREAS, wa_id, caller, "waiting area")
        check_if_match(request, row["version"])
        rules.no_callers_waiting(row["waiting_count"], force, "delete")
        records.delete(connection, WAITING_AREAS, wa_id)
    return perform_write(request, caller, work)


class TransferRequest(InputModel):
    """POST /v1/waiting-areas/{wa_id}/transfers: where the caller at the front goes."""

    to_clinic_id: ObjectId


class Transfer(BaseModel):
    """A caller moved from one waiting area to another's queue, keeping how long they have waited."""

    from_waiting_area_id: str
    to_waiting_area_id: str
    waiting_count: int
    to_waiting_count: int


@router.post("/v1/waiting-areas/{wa_id}/transfers", status_code=201, response_model=Transfer)
def transfer_caller(request: Request, wa_id: str, body: TransferRequest, caller: Writer) -> Response:
    """Transfer the caller at the front to another clinic's waiting area, as the member of the token.

    Transfers follow access: the member sees this waiting area and may transfer into the other clinic (staff
    there, Service Referrer there, Organisation Administrator or Coordinator, or its waiting area is shared).
    """
    def work(connection: sqlite3.Connection) -> Transfer:
        row = visible(connection, WAITING_AREAS, wa_id, caller, "waiting area", action="read")
        if caller.member_id is None:
            raise ProblemError(403, "forbidden", "Only a member transfers callers: use a member token")
        target_clinic = records.fetch(connection, CLINICS, body.to_clinic_id, organisation_id=row["organisation_id"])
        if target_clinic is None or target_clinic["id"] == row["clinic_id"]:
            raise ProblemError(422, "invalid_transfer_target", "Not another clinic of this organisation",
                               errors=[{"loc": ["body", "to_clinic_id"], "msg": "unknown or own clinic"}])
        target = connection.execute("SELECT id, shared_for_transfers FROM waiting_areas WHERE clinic_id = ?",
                                    (target_clinic["id"],)).fetchone()
        if target is None:
            raise ProblemError(409, "no_waiting_area", "That clinic has no waiting area to transfer to")
        if not powers.access_of(connection, caller.member_id).may_transfer_into(target_clinic["id"], bool(target[1])):
            raise ProblemError(403, "transfer_not_allowed",
                               "You may transfer callers only to clinics you have access to or that share their waiting area")
        front = connection.execute(
            "SELECT id, joined_epoch, expires_epoch FROM queued_callers WHERE waiting_area_id = ?"
            " ORDER BY joined_epoch, id LIMIT 1", (wa_id,)).fetchone()
        if front is None:
            raise ProblemError(409, "no_callers_waiting", "No caller is waiting to be transferred")
        connection.execute("DELETE FROM queued_callers WHERE id = ?", (front[0],))
        connection.execute("INSERT INTO queued_callers (id, waiting_area_id, joined_epoch, expires_epoch) VALUES (?, ?, ?, ?)",
                           (front[0], target[0], front[1], front[2]))
        count = lambda area: int(connection.execute(  # noqa: E731
            "SELECT waiting_count FROM waiting_areas WHERE id = ?", (area,)).fetchone()[0])
        return Transfer(from_waiting_area_id=wa_id, to_waiting_area_id=target[0], waiting_count=count(wa_id),
                        to_waiting_count=count(target[0]))
    return perform_write(request, caller, work, status_code=201, body=body)
