"""Rows of the object tables: insert, read, update with version bumps, delete, and page through."""

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from platform_server.clock import now_text
from platform_server.pagination import PageQuery, encode_cursor


@dataclass(frozen=True)
class Table:
    """An object table and which of its columns hold JSON or booleans."""

    name: str
    json_columns: frozenset[str] = frozenset()
    bool_columns: frozenset[str] = frozenset()

    def encode(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Turn Python values into column values."""
        encoded: dict[str, Any] = {}
        for column, value in values.items():
            if column in self.json_columns or column == "labels":
                encoded[column] = json.dumps(value, sort_keys=column == "labels")
            elif column in self.bool_columns:
                encoded[column] = int(bool(value))
            else:
                encoded[column] = value
        return encoded

    def decode(self, row: sqlite3.Row) -> dict[str, Any]:
        """Turn a row into Python values."""
        values = dict(row)
        for column in values:
            if column in self.json_columns or column == "labels":
                values[column] = json.loads(values[column])
            elif column in self.bool_columns:
                values[column] = bool(values[column])
        return values


ORGANISATIONS = Table("organisations", json_columns=frozenset({"information"}))
CLINICS = Table("clinics")
WAITING_AREAS = Table(
    "waiting_areas",
    json_columns=frozenset({"opening_hours", "entry_fields", "automated_messages", "joining", "new_caller_alerts"}),
    bool_columns=frozenset({"enabled", "confirm_call_entry", "show_queue_position", "shared_for_transfers", "call_locks"}),
)
ROOMS = Table("rooms")
MEMBERS = Table("members", json_columns=frozenset({"org_roles", "permissions"}))
TOKENS = Table("tokens")


def insert(connection: sqlite3.Connection, table: Table, values: Mapping[str, Any]) -> None:
    """Insert a new object at version 1."""
    now = now_text()
    row = table.encode(values) | {"created_at": now, "updated_at": now, "version": 1}
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    connection.execute(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", tuple(row.values()))


def fetch(connection: sqlite3.Connection, table: Table, object_id: str, **equal: Any) -> dict[str, Any] | None:
    """Read one object by id (and optional further column equalities), or None."""
    where = "".join(f" AND {column} = ?" for column in equal)
    row = connection.execute(
        f"SELECT * FROM {table.name} WHERE id = ?{where}", (object_id, *equal.values())
    ).fetchone()
    return table.decode(row) if row is not None else None


def update(
    connection: sqlite3.Connection, table: Table, current: Mapping[str, Any], changes: Mapping[str, Any],
    *, force_new_version: bool = False,
) -> bool:
    """Write the fields of `changes` that differ from `current`; bump the version if any did."""
    differing = {column: value for column, value in changes.items() if current.get(column) != value}
    if not differing and not force_new_version:
        return False
    row = table.encode(differing) | {"updated_at": now_text()}
    assignments = ", ".join(f"{column} = ?" for column in row)
    connection.execute(
        f"UPDATE {table.name} SET {assignments}, version = version + 1 WHERE id = ?",
        (*row.values(), current["id"]),
    )
    return True


def touch(connection: sqlite3.Connection, table: Table, object_ids: Iterable[str]) -> None:
    """Record a change made to objects through a related table (new version, new updated_at)."""
    now = now_text()
    connection.executemany(
        f"UPDATE {table.name} SET version = version + 1, updated_at = ? WHERE id = ?",
        [(now, object_id) for object_id in set(object_ids)],
    )


def delete(connection: sqlite3.Connection, table: Table, object_id: str) -> None:
    """Delete one object (dependent rows go by ON DELETE CASCADE)."""
    connection.execute(f"DELETE FROM {table.name} WHERE id = ?", (object_id,))


def page(
    connection: sqlite3.Connection, table: Table, query: PageQuery, where: str = "1 = 1", params: Iterable[Any] = (),
) -> tuple[list[dict[str, Any]], str | None]:
    """Return one page of objects matching `where` in id order, and the cursor of the next page."""
    clauses = [f"({where})"]
    arguments = list(params)
    if query.after_id is not None:
        clauses.append("id > ?")
        arguments.append(query.after_id)
    for key, value in sorted(query.labels.items()):
        clauses.append("json_extract(labels, ?) IS ?")
        arguments.extend([f'$."{key}"', value])
    rows = connection.execute(
        f"SELECT * FROM {table.name} WHERE {' AND '.join(clauses)} ORDER BY id LIMIT ?",
        (*arguments, query.limit + 1),
    ).fetchall()
    items = [table.decode(row) for row in rows[: query.limit]]
    next_cursor = encode_cursor(items[-1]["id"]) if len(rows) > query.limit else None
    return items, next_cursor


def all_rows(
    connection: sqlite3.Connection, table: Table, where: str, params: Iterable[Any] = ()
) -> list[dict[str, Any]]:
    """Every object matching `where`, in id order (for the organisation tree)."""
    rows = connection.execute(f"SELECT * FROM {table.name} WHERE {where} ORDER BY id", tuple(params)).fetchall()
    return [table.decode(row) for row in rows]


def is_unique_violation(error: sqlite3.IntegrityError, column: str) -> bool:
    """Whether `error` is the UNIQUE constraint on `table.column` (or a unique index over it)."""
    return "UNIQUE constraint failed" in str(error) and column in str(error)
