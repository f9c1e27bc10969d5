"""Whether a waiting area is open now, in its clinic's time zone, and its week of opening hours in words."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Openness:
    """Open or not at this moment, and a sentence saying so (with when that changes)."""

    is_open: bool
    sentence: str


@dataclass(frozen=True)
class DayHours:
    """One line of the opening hours table."""

    weekday: str
    hours: str
    is_today: bool


def local_now(timezone: str, moment: datetime | None = None) -> datetime:
    """The moment (default: now) on the clinic's clock."""
    return (moment or datetime.now(ZoneInfo("UTC"))).astimezone(ZoneInfo(timezone))


def openness(opening_hours: dict[str, Any], timezone: str, moment: datetime | None = None) -> Openness:
    """Whether callers can join now: inside the day's hours and outside its breaks."""
    now = local_now(timezone, moment)
    clock = now.strftime("%H:%M")
    today = opening_hours.get(WEEKDAYS[now.weekday()])
    if today and today["open"] <= clock < today["close"]:
        pause = next((b for b in today.get("breaks", []) if b["start"] <= clock < b["end"]), None)
        if pause:
            return Openness(False, f"On a break now. Open again at {pause['end']}.")
        return Openness(True, f"Open now until {today['close']}.")
    return Openness(False, f"Closed now. {next_opening(opening_hours, now, clock)}")


def next_opening(opening_hours: dict[str, Any], now: datetime, clock: str) -> str:
    """When the waiting area opens next, within the coming week."""
    for ahead in range(8):
        day = opening_hours.get(WEEKDAYS[(now + timedelta(days=ahead)).weekday()])
        if not day or (ahead == 0 and clock >= day["open"]):
            continue
        when = "today" if ahead == 0 else "tomorrow" if ahead == 1 else f"on {WEEKDAYS[(now.weekday() + ahead) % 7].title()}"
        return f"Opens {when} at {day['open']}."
    return "No opening hours are set."


def week(opening_hours: dict[str, Any], timezone: str, moment: datetime | None = None) -> list[DayHours]:
    """Monday to Sunday: each day's hours and breaks, or Closed."""
    today = local_now(timezone, moment).weekday()
    lines = []
    for number, weekday in enumerate(WEEKDAYS):
        day = opening_hours.get(weekday)
        text = "Closed"
        if day:
            text = f"{day['open']} to {day['close']}"
            breaks = [f"{pause['start']} to {pause['end']}" for pause in day.get("breaks", [])]
            if breaks:
                text += " (closed " + ", ".join(breaks) + ")"
        lines.append(DayHours(weekday.title(), text, number == today))
    return lines
