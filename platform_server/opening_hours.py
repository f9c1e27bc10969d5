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


DAY = 24 * 60


def _minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def _span(start: str, end: str, opening: int) -> tuple[int, int]:
    """start..end in minutes from the day's midnight; times before the opening are the next morning's."""
    first, last = _minutes(start), _minutes(end)
    first += DAY if first < opening else 0
    last += DAY if last <= opening and last != DAY else 0
    return first, last


def _within(day: dict[str, Any], now_minutes: int) -> Openness | None:
    """Whether `now_minutes` (from the day's midnight) falls in the day's hours, and on a break or not."""
    opening = _minutes(day["open"])
    start, end = _span(day["open"], day["close"], opening)
    if not start <= now_minutes < end:
        return None
    overnight = end > DAY
    for pause in day.get("breaks", []):
        first, last = _span(pause["start"], pause["end"], opening if overnight else 0)
        if first <= now_minutes < last:
            return Openness(False, f"On a break now. Open again at {pause['end']}.")
    return Openness(True, f"Open now until {day['close']}.")


def openness(opening_hours: dict[str, Any], timezone: str, moment: datetime | None = None) -> Openness:
    """Whether callers can join now: inside today's hours or yesterday's overnight hours, outside their breaks."""
    now = local_now(timezone, moment)
    clock = now.strftime("%H:%M")
    now_minutes = _minutes(clock)
    yesterday = opening_hours.get(WEEKDAYS[(now.weekday() - 1) % 7])
    today = opening_hours.get(WEEKDAYS[now.weekday()])
    found = (yesterday and _within(yesterday, now_minutes + DAY)) or (today and _within(today, now_minutes))
    if found:
        return found
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
