"""Open now or not, in the clinic's time zone: hours, breaks, the next opening, and the week in words."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from platform_server.opening_hours import Openness, openness, week
from tests.platform_server.api import call, make_clinic, make_waiting_area, problem

HOURS = {
    "monday": {"open": "08:00", "close": "17:00", "breaks": [{"start": "12:30", "end": "13:15"}]},
    "wednesday": {"open": "09:00", "close": "12:00", "breaks": []},
}
SYDNEY = "Australia/Sydney"


def sydney(day: int, clock: str) -> datetime:
    """A moment in November 2026 on Sydney's clock (the 2nd is a Monday)."""
    hour, minute = map(int, clock.split(":"))
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo(SYDNEY))


@pytest.mark.parametrize(("day", "clock", "is_open", "sentence"), [
    (2, "07:59", False, "Closed now. Opens today at 08:00."),
    (2, "08:00", True, "Open now until 17:00."),
    (2, "12:30", False, "On a break now. Open again at 13:15."),
    (2, "13:15", True, "Open now until 17:00."),
    (2, "17:00", False, "Closed now. Opens on Wednesday at 09:00."),
    (3, "10:00", False, "Closed now. Opens tomorrow at 09:00."),
    (4, "12:00", False, "Closed now. Opens on Monday at 08:00."),
])
def test_openness_follows_hours_and_breaks(day: int, clock: str, is_open: bool, sentence: str) -> None:
    assert openness(HOURS, SYDNEY, sydney(day, clock)) == Openness(is_open, sentence)


def test_openness_is_judged_on_the_clinic_clock() -> None:
    monday_9_sydney = sydney(2, "09:00")
    assert openness(HOURS, SYDNEY, monday_9_sydney).is_open
    assert not openness(HOURS, "Europe/London", monday_9_sydney).is_open, "Sunday 22:00 in London"


def test_no_hours_means_always_closed() -> None:
    assert openness({}, SYDNEY, sydney(2, "10:00")) == Openness(False, "Closed now. No opening hours are set.")


def test_the_week_in_words_marks_today() -> None:
    lines = week(HOURS, SYDNEY, sydney(5, "10:00"))
    assert [(line.weekday, line.hours, line.is_today) for line in lines] == [
        ("Monday", "08:00 to 17:00 (closed 12:30 to 13:15)", False), ("Tuesday", "Closed", False),
        ("Wednesday", "09:00 to 12:00", False), ("Thursday", "Closed", True), ("Friday", "Closed", False),
        ("Saturday", "Closed", False), ("Sunday", "Closed", False),
    ]


URGENT_CARE = {
    "monday": {"open": "00:00", "close": "24:00", "breaks": []},
    "friday": {"open": "22:00", "close": "06:00", "breaks": [{"start": "02:00", "end": "02:30"}]},
}


@pytest.mark.parametrize(("day", "clock", "is_open", "sentence"), [
    (2, "00:00", True, "Open now until 24:00."),
    (2, "23:59", True, "Open now until 24:00."),
    (6, "21:59", False, "Closed now. Opens today at 22:00."),
    (6, "22:00", True, "Open now until 06:00."),
    (7, "01:59", True, "Open now until 06:00."),
    (7, "02:10", False, "On a break now. Open again at 02:30."),
    (7, "05:59", True, "Open now until 06:00."),
    (7, "06:00", False, "Closed now. Opens on Monday at 00:00."),
])
def test_overnight_and_24_hour_days(day: int, clock: str, is_open: bool, sentence: str) -> None:
    assert openness(URGENT_CARE, SYDNEY, sydney(day, clock)) == Openness(is_open, sentence)


def test_the_platform_takes_overnight_hours_and_refuses_what_cannot_be(platform_server: Any, tenant: Any) -> None:
    clinic = make_clinic(platform_server, tenant)
    area = make_waiting_area(platform_server, tenant, clinic["id"], opening_hours=URGENT_CARE)
    assert area["opening_hours"]["friday"]["close"] == "06:00"
    path = f"/v1/waiting-areas/{area['id']}"
    for hours in ({"monday": {"open": "09:00", "close": "09:00"}},
                  {"monday": {"open": "22:00", "close": "06:00", "breaks": [{"start": "07:00", "end": "07:30"}]}},
                  {"monday": {"open": "22:00", "close": "06:00"}, "tuesday": {"open": "05:00", "close": "12:00"}},
                  {"monday": {"open": "24:00", "close": "06:00"}}):
        problem(call(platform_server, tenant, "PATCH", path, json={"opening_hours": hours}), 422,
                "invalid_opening_hours" if hours["monday"]["open"] != "24:00" else "validation_failed")
