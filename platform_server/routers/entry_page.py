"""The patient entry page at each waiting area's entry link: join the queue, keep a place, leave.

Not part of the admin API (no token; left out of the OpenAPI document). What a caller types is checked
and forgotten; the queue keeps only a hashed ticket and times.
"""

import sqlite3
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from platform_server import caller_queue
from platform_server.entries import CONFIRM_FIELD, form_fields
from platform_server.migrations import ENTRY_SLUG
from platform_server.opening_hours import openness, week
from platform_server.pages import asset, page
from platform_server.records import WAITING_AREAS
from platform_server.state import PlatformState, platform_of

router = APIRouter(include_in_schema=False)
TICKET_COOKIE = "videocall_caller"
LONGEST_FORM = 16_384


@dataclass(frozen=True)
class EntryPoint:
    """A waiting area reached through its entry link, with what the page shows of its clinic."""

    area: dict[str, Any]
    clinic_name: str
    timezone: str
    path: str
    base_path: str


class EntryLinkNotServed(Exception):
    """The link is not a waiting area's: changed (the area was moved or removed) or never issued."""

    def __init__(self, changed: bool) -> None:
        """Say which."""
        super().__init__("entry link changed" if changed else "no such entry link")
        self.changed = changed


def base_path_of(platform: PlatformState) -> str:
    """The path the public base URL starts with ("" when it is a bare host), so links work behind a prefix."""
    return urlsplit(platform.settings.base_url).path.rstrip("/")


def find_entry_point(connection: sqlite3.Connection, platform: PlatformState, slug: str) -> EntryPoint:
    """The waiting area whose entry link ends in `slug` (only ever that one)."""
    row = connection.execute(
        f"SELECT waiting_areas.*, clinics.name AS clinic_name, clinics.timezone AS clinic_timezone"
        f" FROM waiting_areas JOIN clinics ON clinics.id = waiting_areas.clinic_id WHERE {ENTRY_SLUG} = ?",
        (slug,),
    ).fetchone()
    if row is None:
        retired = connection.execute(f"SELECT 1 FROM retired_entry_links WHERE {ENTRY_SLUG} = ?", (slug,)).fetchone()
        raise EntryLinkNotServed(changed=retired is not None)
    base_path = base_path_of(platform)
    return EntryPoint(WAITING_AREAS.decode(row), row["clinic_name"], row["clinic_timezone"],
                      f"{base_path}/join/{slug}", base_path)


def heartbeat_seconds(platform: PlatformState) -> float:
    """How often an open page renews its caller's place: several times within the expiry."""
    return max(0.5, min(15.0, platform.settings.caller_expiry_seconds / 6))


def waited(minutes: int) -> str:
    """How long the caller has waited, in words."""
    if minutes < 1:
        return "You have waited less than a minute."
    return f"You have waited {minutes} minute{'' if minutes == 1 else 's'}."


def caller_status(entry: EntryPoint, place: caller_queue.Place) -> dict[str, Any]:
    """What a queued caller sees of the queue: their own place, minutes waited, the messages due."""
    area = entry.area
    messages = sorted(area["automated_messages"], key=lambda message: message["after_minutes"])
    return {
        "place": place.number if area["show_queue_position"] else None,
        "waited": waited(place.waited_minutes),
        "messages": [m["text"] for m in messages if m["after_minutes"] <= place.waited_minutes],
        "notice": None if area["enabled"] else (area["disabled_message"] or "This waiting area is closed."),
    }


def front_page(entry: EntryPoint, status_code: int = 200, **context: Any) -> Response:
    """The waiting area's name, whether it is open, its hours and (when callers can join) the form."""
    area = entry.area
    state = openness(area["opening_hours"], entry.timezone)
    context.setdefault("fields", form_fields(area["entry_fields"]))
    return page("entry.html", status_code, entry=entry, base_path=entry.base_path, area=area, openness=state,
                can_join=area["enabled"] and state.is_open, week=week(area["opening_hours"], entry.timezone),
                confirm_field=CONFIRM_FIELD, **context)


async def submitted_form(request: Request) -> dict[str, str]:
    """The URL-encoded form a caller sent (kept in memory for this request only)."""
    body = await request.body()
    if len(body) > LONGEST_FORM:
        return {}
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True, max_num_fields=64))


def with_ticket(response: Response, entry: EntryPoint, platform: PlatformState, ticket: str | None) -> Response:
    """Give the caller their ticket (scoped to this entry link), or take it back."""
    if ticket is None:
        response.delete_cookie(TICKET_COOKIE, path=entry.path)
    else:
        response.set_cookie(TICKET_COOKIE, ticket, path=entry.path, httponly=True, samesite="lax",
                            secure=platform.settings.base_url.startswith("https://"))
    return response


@router.get("/assets/{name}")
def page_asset(request: Request, name: str) -> Response:
    """The stylesheet and script of the entry page."""
    return asset(name) or page("notice.html", 404, base_path=base_path_of(platform_of(request)),
                               heading="Not found", message="There is nothing here.")


@dataclass(frozen=True)
class Visit:
    """A request to an entry link: its waiting area, and the caller's ticket and renewed place if they hold one."""

    platform: PlatformState
    entry: EntryPoint
    ticket: str | None
    place: caller_queue.Place | None


def visit(request: Request, slug: str) -> Visit:
    """Find the waiting area; renew the place of a caller holding a ticket (a visitor without one only reads)."""
    platform = platform_of(request)
    ticket = request.cookies.get(TICKET_COOKIE)
    with platform.database.transaction() if ticket else platform.database.snapshot() as connection:
        entry = find_entry_point(connection, platform, slug)
        place = caller_queue.place_of(connection, entry.area["id"], ticket, platform.settings.caller_expiry_seconds) \
            if ticket else None
    return Visit(platform, entry, ticket, place)


@router.get("/join/{slug}")
def entry_page(request: Request, slug: str) -> Response:
    """The entry page, or the caller's place in the queue if they hold a ticket."""
    seen = visit(request, slug)
    if seen.place is not None:
        return page("queue.html", entry=seen.entry, base_path=seen.entry.base_path, area=seen.entry.area,
                    status=caller_status(seen.entry, seen.place), heartbeat_seconds=heartbeat_seconds(seen.platform))
    response = front_page(seen.entry, given_up=seen.ticket is not None)
    return with_ticket(response, seen.entry, seen.platform, None) if seen.ticket else response


@router.post("/join/{slug}")
def join_queue(request: Request, slug: str, typed: Annotated[dict[str, str], Depends(submitted_form)]) -> Response:
    """Check the entries (and forget them), then queue the caller at the back and show their place."""
    platform = platform_of(request)
    expiry = platform.settings.caller_expiry_seconds
    with platform.database.transaction() as connection:
        entry = find_entry_point(connection, platform, slug)
        held = request.cookies.get(TICKET_COOKIE)
        if held and caller_queue.place_of(connection, entry.area["id"], held, expiry):
            return RedirectResponse(entry.path, status_code=303)
        area, state = entry.area, openness(entry.area["opening_hours"], entry.timezone)
        if not (area["enabled"] and state.is_open):
            return front_page(entry, 409)
        fields = form_fields(area["entry_fields"], typed)
        unconfirmed = area["confirm_call_entry"] and typed.get(CONFIRM_FIELD) != "yes"
        if unconfirmed or any(field.error for field in fields):
            return front_page(entry, 422, fields=fields, unconfirmed=unconfirmed, refused=True)
        wait = joins_left(request, platform, area["id"])
        if wait:
            too_many = front_page(entry, 429, fields=fields, retry_after=wait)
            too_many.headers["Retry-After"] = str(wait)
            return too_many
        ticket = caller_queue.new_ticket()
        caller_queue.join(connection, area["id"], ticket, expiry)
    return with_ticket(RedirectResponse(entry.path, status_code=303), entry, platform, ticket)


def joins_left(request: Request, platform: PlatformState, waiting_area_id: str) -> int:
    """0 when this address may queue another caller here now, else the seconds until it may."""
    address = request.client.host if request.client else "unknown"
    return platform.rate_limiter.wait_needed(f"join {address} {waiting_area_id}", platform.settings.joins_per_minute)


@router.post("/join/{slug}/heartbeat")
def heartbeat(request: Request, slug: str) -> Response:
    """Renew the caller's place and tell them where they stand (404 when they are no longer queued)."""
    seen = visit(request, slug)
    if seen.place is None:
        return JSONResponse({"queued": False}, status_code=404, headers={"Cache-Control": "no-store"})
    return JSONResponse({"queued": True, **caller_status(seen.entry, seen.place)}, headers={"Cache-Control": "no-store"})


@router.post("/join/{slug}/leave")
def leave_queue(request: Request, slug: str) -> Response:
    """Take the caller out of the queue."""
    platform = platform_of(request)
    ticket = request.cookies.get(TICKET_COOKIE)
    with platform.database.transaction() as connection:
        entry = find_entry_point(connection, platform, slug)
        if ticket:
            caller_queue.leave(connection, entry.area["id"], ticket)
    return with_ticket(RedirectResponse(f"{entry.path}/left", status_code=303), entry, platform, None)


@router.get("/join/{slug}/left")
def left_queue(request: Request, slug: str) -> Response:
    """Confirm that the caller has left, with a way back in."""
    platform = platform_of(request)
    with platform.database.snapshot() as connection:
        entry = find_entry_point(connection, platform, slug)
    return page("notice.html", heading="You have left the queue", base_path=entry.base_path,
                message=f"You are no longer waiting in {entry.area['name']}.", back=(entry.path, "Join the queue again"))


async def link_not_served(request: Request, error: Exception) -> Response:
    """A changed link says so (and names no other waiting area); an unknown one says it is not a link."""
    assert isinstance(error, EntryLinkNotServed)
    base_path = base_path_of(platform_of(request))
    if error.changed:
        return page("notice.html", 410, base_path=base_path, heading="This link has changed",
                    message="The clinic now uses a new link for video calls. Please use the link in the clinic's"
                            " latest message or on its website, or contact the clinic.")
    return page("notice.html", 404, base_path=base_path, heading="There is no waiting area at this link",
                message="Check that you have the whole link from the clinic's message or website.")


def install(app: FastAPI) -> None:
    """Serve the entry pages."""
    app.include_router(router)
    app.add_exception_handler(EntryLinkNotServed, link_not_served)
