"""The queue of a waiting area: callers from the entry page (kept by a heartbeat) and simulated ones.

A caller holds a ticket (the entry page's cookie); the platform keeps only its hash, when the caller
joined and when their place expires. `waiting_count` follows the queue through database triggers.
"""

import hashlib
import secrets
import sqlite3
import time
from dataclasses import dataclass

SIMULATED_PREFIX = "sim_"


@dataclass(frozen=True)
class Place:
    """Where one caller stands: their place in the queue (1 is next) and how long they have waited."""

    number: int
    waited_seconds: float

    @property
    def waited_minutes(self) -> int:
        """Whole minutes waited."""
        return int(self.waited_seconds // 60)


def new_ticket() -> str:
    """Make the secret a caller's browser holds for their place."""
    return secrets.token_urlsafe(32)


def _caller_id(ticket: str) -> str:
    return "clr_" + hashlib.sha256(ticket.encode("utf-8")).hexdigest()


def join(connection: sqlite3.Connection, waiting_area_id: str, ticket: str, expiry_seconds: float) -> None:
    """Queue the caller holding `ticket` at the back (a second join keeps their place)."""
    now = time.time()
    connection.execute(
        "INSERT INTO queued_callers (id, waiting_area_id, joined_epoch, expires_epoch) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET expires_epoch = excluded.expires_epoch",
        (_caller_id(ticket), waiting_area_id, now, now + expiry_seconds),
    )


def place_of(connection: sqlite3.Connection, waiting_area_id: str, ticket: str, expiry_seconds: float) -> Place | None:
    """The caller's place, renewing it for another `expiry_seconds`; None if they are not queued."""
    now = time.time()
    caller = connection.execute(
        "UPDATE queued_callers SET expires_epoch = ? WHERE id = ? AND waiting_area_id = ? AND expires_epoch >= ?"
        " RETURNING id, joined_epoch",
        (now + expiry_seconds, _caller_id(ticket), waiting_area_id, now),
    ).fetchone()
    if caller is None:
        return None
    ahead = connection.execute(
        "SELECT count(*) FROM queued_callers WHERE waiting_area_id = ? AND (joined_epoch, id) < (?, ?)",
        (waiting_area_id, caller["joined_epoch"], caller["id"]),
    ).fetchone()[0]
    return Place(number=ahead + 1, waited_seconds=max(0.0, now - caller["joined_epoch"]))


def leave(connection: sqlite3.Connection, waiting_area_id: str, ticket: str) -> None:
    """Take the caller holding `ticket` out of the queue."""
    connection.execute("DELETE FROM queued_callers WHERE id = ? AND waiting_area_id = ?",
                       (_caller_id(ticket), waiting_area_id))


def sweep(connection: sqlite3.Connection) -> int:
    """Remove callers whose page stopped its heartbeat; return how many."""
    return connection.execute(
        "DELETE FROM queued_callers WHERE expires_epoch < ?", (time.time(),)
    ).rowcount


def simulate_joins(connection: sqlite3.Connection, waiting_area_id: str, count: int) -> None:
    """Queue `count` simulated callers at the back; they stay until simulated leaving."""
    now = time.time()
    connection.executemany(
        "INSERT INTO queued_callers (id, waiting_area_id, joined_epoch, expires_epoch) VALUES (?, ?, ?, NULL)",
        [(SIMULATED_PREFIX + secrets.token_hex(16), waiting_area_id, now) for _ in range(count)],
    )


def simulate_leaving(connection: sqlite3.Connection, waiting_area_id: str, count: int) -> None:
    """Answer up to `count` simulated callers from the front of the queue (callers on the page stay)."""
    connection.execute(
        "DELETE FROM queued_callers WHERE id IN (SELECT id FROM queued_callers WHERE waiting_area_id = ?"
        " AND expires_epoch IS NULL ORDER BY joined_epoch, id LIMIT ?)",
        (waiting_area_id, count),
    )


def simulate_waiting(connection: sqlite3.Connection, waiting_area_id: str, minutes: int) -> None:
    """Let every caller of the queue have waited `minutes` longer (their order stays)."""
    connection.execute("UPDATE queued_callers SET joined_epoch = joined_epoch - ? WHERE waiting_area_id = ?",
                       (minutes * 60.0, waiting_area_id))
