"""Wall-clock time in the one format the API speaks (RFC 3339, UTC)."""

from datetime import datetime, timezone


def utc_now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def rfc3339(moment: datetime) -> str:
    """Format an aware datetime as RFC 3339 UTC with microseconds, e.g. 2026-01-02T03:04:05.000006Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now_text() -> str:
    """Return the current time formatted for storage and output."""
    return rfc3339(utc_now())
