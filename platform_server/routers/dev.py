"""Development endpoints of the reference server (operator only, never faulted)."""

import sqlite3

from fastapi import APIRouter, Request, Response

from platform_server.auth import Operator
from platform_server.faults import FaultSettings
from platform_server.lookups import visible
from platform_server.models.dev import CallerMovement, QueueLength
from platform_server import caller_queue, records
from platform_server.models.members import Member
from platform_server.records import MEMBERS, WAITING_AREAS
from platform_server.routers.members import member_out
from platform_server.state import platform_of
from platform_server.writes import object_response, perform_write

router = APIRouter(prefix="/v1/dev", tags=["development"])


@router.post("/waiting-areas/{wa_id}/callers", response_model=QueueLength)
def move_callers(request: Request, wa_id: str, body: CallerMovement, caller: Operator) -> Response:
    """Simulate callers joining, being answered from the front (never below 0), or waiting longer."""
    def work(connection: sqlite3.Connection) -> QueueLength:
        visible(connection, WAITING_AREAS, wa_id, caller, "waiting area")
        # Queue movement is live state, not configuration: the version stays.
        if body.join:
            caller_queue.simulate_joins(connection, wa_id, body.join)
        if body.leave:
            caller_queue.simulate_leaving(connection, wa_id, body.leave)
        if body.advance_minutes:
            caller_queue.simulate_waiting(connection, wa_id, body.advance_minutes)
        return QueueLength(waiting_count=visible(connection, WAITING_AREAS, wa_id, caller, "waiting area")["waiting_count"])
    return perform_write(request, caller, work, body=body)


@router.post("/members/{mbr_id}/accept-invitation", response_model=Member)
def accept_invitation(request: Request, mbr_id: str, caller: Operator) -> Response:
    """Simulate the person accepting their invitation."""
    def work(connection: sqlite3.Connection) -> Member:
        row = visible(connection, MEMBERS, mbr_id, caller, "member")
        records.update(connection, MEMBERS, row, {"invitation_state": "accepted"})
        return member_out(connection, visible(connection, MEMBERS, mbr_id, caller, "member"))
    return perform_write(request, caller, work)


@router.get("/faults", response_model=FaultSettings)
def get_faults(request: Request, caller: Operator) -> Response:
    """Show the fault injection in force."""
    caller.ensure_allowed()
    return object_response(platform_of(request).faults.settings)


@router.put("/faults", response_model=FaultSettings)
def set_faults(request: Request, body: FaultSettings, caller: Operator) -> Response:
    """Replace the fault injection in force (fields left out go back to off)."""
    caller.ensure_allowed()
    platform_of(request).faults.replace(body)
    return object_response(body)
