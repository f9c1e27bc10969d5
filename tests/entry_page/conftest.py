"""An applied stack whose clinics are open, closed and disabled right now, and a headless browser to visit it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
import yaml
from pulumi import automation as auto
from selenium import webdriver

from devtools.platform import RunningPlatform, running_platform
from sync.stack import project_stack, scratch_project
from tests.support.browser import headless_chromium

# Short, so the abandoned-page test is quick; long enough that a page under CI load (heartbeats a sixth of it
# apart) keeps its place through an engine run.
CALLER_EXPIRY_SECONDS = 10
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Zones an hour or so apart around the world: one of them always has the local time a test needs.
ZONES = (
    "Pacific/Kiritimati", "Pacific/Auckland", "Australia/Sydney", "Asia/Tokyo", "Asia/Singapore", "Asia/Bangkok",
    "Asia/Dhaka", "Asia/Karachi", "Asia/Dubai", "Europe/Moscow", "Africa/Cairo", "Europe/Berlin", "Europe/London",
    "Atlantic/Azores", "America/Noronha", "America/Sao_Paulo", "America/Halifax", "America/New_York",
    "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
    "Pacific/Pago_Pago",
)


def zone_where_it_is(hour: int) -> str:
    """A time zone whose clock now shows about `hour` o'clock (within an hour)."""
    now = datetime.now(UTC)

    def distance(zone: str) -> int:
        local = now.astimezone(ZoneInfo(zone))
        minutes = abs(local.hour * 60 + local.minute - hour * 60)
        return min(minutes, 24 * 60 - minutes)

    return min(ZONES, key=distance)


def harbour_health(renal_clinic: str = "renal") -> dict[str, Any]:
    """A spec whose renal waiting area is open now, physio's closed now and the GP's disabled.

    `renal_clinic` names the clinic holding the renal waiting area: "renal-annex" moves it there.
    """
    open_zone, closed_zone = zone_where_it_is(12), zone_where_it_is(0)
    renal_area = {
        "name": "Renal waiting area",
        "confirm_call_entry": True,
        "opening_hours": {day: {"open": "07:00", "close": "19:00", "breaks": [{"start": "17:00", "end": "17:30"}]}
                          for day in WEEK},
        "entry_fields": [
            {"label": "Medicare number", "type": "text", "required": True},
            {"label": "Date of birth", "type": "date", "required": True},
            {"label": "Hospital record number", "type": "number"},
            {"label": "Email", "type": "email"},
            {"label": "Mobile number", "type": "phone"},
        ],
        "automated_messages": [
            {"after_minutes": 0, "text": "Welcome. A member of the renal team will be with you shortly."},
            {"after_minutes": 15, "text": "Thank you for waiting. Your clinician is running a little late."},
        ],
        "allow_entry_link_change": True,
    }
    weekday = {"open": "08:00", "close": "17:00", "breaks": [{"start": "12:00", "end": "12:45"}]}
    clinics = [
        {"key": "renal", "name": "Harbour Renal Clinic", "timezone": open_zone},
        {"key": "renal-annex", "name": "Harbour Renal Annex", "timezone": open_zone},
        {"key": "physio", "name": "Harbour Physiotherapy", "timezone": closed_zone, "waiting_area": {
            "name": "Physio waiting area",
            "opening_hours": {**{day: weekday for day in WEEK[:5]}, "saturday": {"open": "09:00", "close": "12:00"}},
        }},
        {"key": "gp", "name": "Harbour GP Practice", "waiting_area": {
            "name": "GP waiting area", "enabled": False,
            "disabled_message": "Telehealth GP appointments resume on 2 February. Call 02 9000 0000 for urgent care.",
            "opening_hours": {day: weekday for day in WEEK[:5]},
        }},
    ]
    next(clinic for clinic in clinics if clinic["key"] == renal_clinic)["waiting_area"] = renal_area
    return {"version": 1, "organisations": [{
        "key": "harbour", "name": "Harbour Health", "timezone": "Australia/Sydney", "clinics": clinics,
        "people": [{
            "key": "admin", "email": "admin@harbour.example", "display_name": "Alex Admin", "org_roles": ["admin"],
            "clinic_roles": [{"clinic": clinic["key"], "roles": ["admin"]} for clinic in clinics],
        }],
    }]}


@dataclass
class AppliedStack:
    """The Harbour Health stack applied to a private platform, and its patient entry links."""

    stack: auto.Stack
    platform: RunningPlatform
    spec_path: Path

    def apply(self, spec: dict[str, Any]) -> dict[str, str]:
        """`pulumi up` the spec; return the entry links by clinic key."""
        self.spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
        return dict(self.stack.up().outputs["harbour.entry_links"].value)

    def waiting_area(self, link: str) -> dict[str, Any]:
        """The waiting area behind an entry link, as the admin API shows it."""
        areas = requests.get(f"{self.platform.url}/v1/organisations/{self.organisation_id}/waiting-areas",
                             headers=self.platform.operator_headers, timeout=10).json()["items"]
        return next(area for area in areas if area["entry_link"] == link)

    @property
    def organisation_id(self) -> str:
        """The id of Harbour Health."""
        organisations = requests.get(f"{self.platform.url}/v1/organisations", headers=self.platform.operator_headers,
                                     timeout=10).json()["items"]
        return str(next(org["id"] for org in organisations if org["name"] == "Harbour Health"))

    def move_callers(self, link: str, **movement: int) -> int:
        """Simulated callers join or leave, or the queue waits longer (development endpoint)."""
        area = self.waiting_area(link)
        answer = requests.post(f"{self.platform.url}/v1/dev/waiting-areas/{area['id']}/callers", json=movement,
                               headers=self.platform.operator_headers, timeout=10)
        answer.raise_for_status()
        return int(answer.json()["waiting_count"])


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppliedStack, dict[str, str]]]:
    """Harbour Health applied by the real engine to a private platform whose callers expire in seconds."""
    root = tmp_path_factory.mktemp("entry-page")
    with running_platform(root / "platform", "--caller-expiry-seconds", str(CALLER_EXPIRY_SECONDS)) as platform:
        spec_path = root / "spec.yaml"
        stack = project_stack("entry", api_url=platform.url, api_token=platform.operator_token, spec=str(spec_path),
                              state_dir=root / "state", work_dir=scratch_project(root / "project"))
        deployment = AppliedStack(stack, platform, spec_path)
        yield deployment, deployment.apply(harbour_health())


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    """Headless Chromium on a phone-sized screen."""
    with headless_chromium() as driver:
        yield driver


@pytest.fixture
def fresh_browser(browser: webdriver.Chrome) -> webdriver.Chrome:
    """The browser with no caller's ticket left from another test."""
    browser.get("about:blank")
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    return browser
