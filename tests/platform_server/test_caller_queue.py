"""The queue behind the entry page, over HTTP: callers join through the form, keep their place, and are counted."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from devtools.platform import RunningPlatform, Tenant
from platform_server import migrations
from platform_server.database import Database
from tests.platform_server.api import call, make_clinic, make_waiting_area, problem

ALWAYS = {day: {"open": "00:00", "close": "23:59"} for day in
          ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}
MESSAGES = [{"after_minutes": 0, "text": "Welcome."}, {"after_minutes": 10, "text": "Running late."}]


def open_area(platform: RunningPlatform, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    """A waiting area open around the clock in a new clinic (whose clock is not at the minute before midnight)."""
    zone = "Etc/GMT-1" if datetime.now(UTC).strftime("%H:%M") >= "23:58" else "Etc/UTC"
    clinic = make_clinic(platform, tenant, timezone=zone)
    return make_waiting_area(platform, tenant, clinic["id"], opening_hours=ALWAYS, **fields)


def joined(link: str, **typed: str) -> requests.Session:
    """A caller in their own browser session, joined through the form."""
    session = requests.Session()
    answer = session.post(link, data=typed, timeout=10)
    assert answer.status_code == 200 and "You are in the queue" in answer.text, answer.text
    return session


def status(session: requests.Session, link: str) -> dict[str, Any]:
    """The caller's heartbeat answer."""
    answer = session.post(f"{link}/heartbeat", timeout=10)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def count(platform: RunningPlatform, tenant: Tenant, area: dict[str, Any]) -> int:
    """The waiting area's count of queued callers, as the admin API shows it."""
    return int(call(platform, tenant, "GET", f"/v1/waiting-areas/{area['id']}").json()["waiting_count"])


def simulate(platform: RunningPlatform, area: dict[str, Any], **movement: int) -> int:
    """Move simulated callers (development endpoint) and return the count."""
    answer = call(platform, platform.operator_token, "POST", f"/v1/dev/waiting-areas/{area['id']}/callers", json=movement)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["waiting_count"])


def test_callers_queue_in_order_and_each_sees_only_their_own_place(platform_server: RunningPlatform, tenant: Tenant) -> None:
    area = open_area(platform_server, tenant, automated_messages=MESSAGES)
    link = area["entry_link"]
    assert simulate(platform_server, area, join=2) == 2
    first, second = joined(link), joined(link)
    assert count(platform_server, tenant, area) == 4
    assert status(first, link) == {"queued": True, "place": 3, "waited": "You have waited less than a minute.",
                                   "messages": ["Welcome."], "notice": None}
    assert status(second, link)["place"] == 4
    assert simulate(platform_server, area, leave=5) == 2, "simulated callers are answered; callers on the page stay"
    assert [status(first, link)["place"], status(second, link)["place"]] == [1, 2]
    simulate(platform_server, area, advance_minutes=10)
    assert status(second, link)["messages"] == ["Welcome.", "Running late."]
    assert status(second, link)["waited"] == "You have waited 10 minutes."

    left = first.post(f"{link}/leave", timeout=10)
    assert left.status_code == 200 and "You have left the queue" in left.text
    assert first.post(f"{link}/heartbeat", timeout=10).status_code == 404
    assert status(second, link)["place"] == 1 and count(platform_server, tenant, area) == 1


def test_the_queue_position_is_hidden_when_the_area_says_so(platform_server: RunningPlatform, tenant: Tenant) -> None:
    area = open_area(platform_server, tenant, show_queue_position=False)
    caller = joined(area["entry_link"])
    assert status(caller, area["entry_link"])["place"] is None
    page = caller.get(area["entry_link"], timeout=10).text
    assert "You are number" not in page and "Someone will be with you soon" in page


def test_a_caller_on_the_page_counts_for_every_guard(platform_server: RunningPlatform, tenant: Tenant) -> None:
    area = open_area(platform_server, tenant, disabled_message="Back on Monday.")
    link = area["entry_link"]
    caller = joined(link)
    disable = call(platform_server, tenant, "PATCH", f"/v1/waiting-areas/{area['id']}", json={"enabled": False})
    problem(disable, 409, "callers_waiting")
    problem(call(platform_server, tenant, "DELETE", f"/v1/waiting-areas/{area['id']}"), 409, "callers_waiting")
    problem(call(platform_server, tenant, "DELETE", f"/v1/clinics/{area['clinic_id']}?cascade=true"), 409, "callers_waiting")
    forced = call(platform_server, tenant, "PATCH", f"/v1/waiting-areas/{area['id']}?force=true", json={"enabled": False})
    assert forced.status_code == 200 and forced.json()["waiting_count"] == 1
    assert status(caller, link)["notice"] == "Back on Monday.", "a caller still queued is told the area closed"

    assert call(platform_server, tenant, "DELETE", f"/v1/waiting-areas/{area['id']}?force=true").status_code == 204
    assert caller.post(f"{link}/heartbeat", timeout=10).status_code == 410
    gone = caller.get(link, timeout=10)
    assert gone.status_code == 410 and "This link has changed" in gone.text


def test_links_retire_with_their_organisation(platform_server: RunningPlatform) -> None:
    tenant = platform_server.create_organisation()
    link = open_area(platform_server, tenant)["entry_link"]
    deleted = call(platform_server, platform_server.operator_token, "DELETE", f"/v1/organisations/{tenant.id}?cascade=true")
    assert deleted.status_code == 204
    assert requests.get(link, timeout=10).status_code == 410


@pytest.mark.parametrize(("fields", "typed", "message"), [
    ([{"label": "Medicare number", "type": "text", "required": True}], {}, "Medicare number is required"),
    ([{"label": "Record", "type": "number"}], {"entry-0": "12a"}, "Enter a number, using digits only"),
    ([{"label": "Born", "type": "date"}], {"entry-0": "1980-02-30"}, "Enter a real date"),
    ([{"label": "Email", "type": "email"}], {"entry-0": "pat@"}, "Enter an email address like name@example.com"),
    ([{"label": "Mobile", "type": "phone"}], {"entry-0": "call me"}, "Enter a phone number, like 0400 000 000"),
    ([{"label": "Note", "type": "text"}], {"entry-0": "a\x00b"}, "Enter at most 500 ordinary characters"),
    ([], {}, "Confirm that you are ready to start your video call"),
])
def test_entries_are_checked_against_their_fields(
    platform_server: RunningPlatform, tenant: Tenant, fields: list[dict[str, Any]], typed: dict[str, str], message: str,
) -> None:
    area = open_area(platform_server, tenant, entry_fields=fields, confirm_call_entry=not fields)
    refused = requests.post(area["entry_link"], data=typed, timeout=10)
    assert refused.status_code == 422 and message in refused.text
    assert count(platform_server, tenant, area) == 0


def test_callers_cannot_join_a_closed_or_disabled_area(platform_server: RunningPlatform, tenant: Tenant) -> None:
    closed = make_waiting_area(platform_server, tenant, make_clinic(platform_server, tenant)["id"])  # no hours
    disabled = open_area(platform_server, tenant, enabled=False)
    for area in (closed, disabled):
        refused = requests.post(area["entry_link"], data={}, timeout=10)
        assert refused.status_code == 409 and 'id="join"' not in refused.text
        assert count(platform_server, tenant, area) == 0


def test_the_page_keeps_the_ticket_to_itself(platform_server: RunningPlatform, tenant: Tenant) -> None:
    area = open_area(platform_server, tenant)
    link = area["entry_link"]
    answer = requests.post(link, data={}, timeout=10, allow_redirects=False)
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and f"Path=/join/{link.rsplit('/', 1)[1]};" in cookie
    page = requests.get(link, timeout=10)
    assert page.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert not [path for path in requests.get(f"{platform_server.url}/openapi.json", timeout=10).json()["paths"]
                if path.startswith(("/join", "/assets"))], "the entry page is no part of the admin API"


def test_a_link_that_was_never_issued_says_so(platform_server: RunningPlatform) -> None:
    answer = requests.get(f"{platform_server.url}/join/not-a-link", timeout=10)
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert "There is no waiting area at this link" in answer.text
    assert requests.get(f"{platform_server.url}/assets/missing.js", timeout=10).status_code == 404


def test_simulated_counts_of_an_older_database_become_simulated_callers(tmp_path: Path) -> None:
    path = tmp_path / "platform.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    old.executescript(f"BEGIN;{migrations.INITIAL_SCHEMA}PRAGMA user_version = 1;COMMIT;")
    stamp = "2026-01-01T00:00:00.000000Z"
    old.execute("INSERT INTO organisations (id, name, timezone, created_at, updated_at) VALUES ('org_1', 'O', 'UTC', ?, ?)",
                (stamp, stamp))
    old.execute("INSERT INTO clinics (id, organisation_id, name, timezone, created_at, updated_at)"
                " VALUES ('cln_1', 'org_1', 'C', 'UTC', ?, ?)", (stamp, stamp))
    old.execute("INSERT INTO waiting_areas (id, clinic_id, organisation_id, name, enabled, disabled_message, opening_hours,"
                " confirm_call_entry, show_queue_position, entry_fields, automated_messages, entry_link, waiting_count,"
                " created_at, updated_at) VALUES ('wa_1', 'cln_1', 'org_1', 'W', 1, '', '{}', 0, 1, '[]', '[]',"
                " 'http://127.0.0.1:8765/join/abc', 3, ?, ?)", (stamp, stamp))
    old.close()
    database = Database(path)
    with database.snapshot() as connection:
        assert connection.execute("SELECT count(*) FROM queued_callers WHERE expires_epoch IS NULL").fetchone()[0] == 3
    for change, refusal in [("waiting_count = 0", "length of the queue"),
                            ("entry_link = 'http://127.0.0.1:8765/join/xyz'", "entry links never change")]:
        with pytest.raises(sqlite3.IntegrityError, match=refusal), database.transaction() as connection:
            connection.execute(f"UPDATE waiting_areas SET {change}")
    database.close()


def test_one_address_cannot_fill_a_queue(platform_server_factory: Any) -> None:
    platform = platform_server_factory("--joins-per-minute", "3")
    tenant = platform.create_organisation()
    area = open_area(platform, tenant)
    callers = [joined(area["entry_link"]) for _ in range(3)]
    refused = requests.post(area["entry_link"], data={}, timeout=10)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "Too many callers have joined from this device or network" in refused.text
    assert count(platform, tenant, area) == len(callers), "the refused caller was not queued"
    other = open_area(platform, tenant)
    joined(other["entry_link"])  # another waiting area is not held up by this one's callers
