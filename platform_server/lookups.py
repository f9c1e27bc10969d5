"""Finding objects the caller may see; everything else is 404, whether missing or another tenant's."""

import sqlite3
from typing import Any

from platform_server import powers, records
from platform_server.auth import Caller
from platform_server.problems import not_found
from platform_server.records import Table


def visible(
    connection: sqlite3.Connection, table: Table, object_id: str, caller: Caller, what: str,
    action: str | None = None, **equal: Any,
) -> dict[str, Any]:
    """Return the object; 404 if it does not exist or is another organisation's, then 403 if not allowed.

    A member token is also held to its member's roles for `action` (default: read or write, as the endpoint
    needs; see platform_server/powers.py).
    """
    row = records.fetch(connection, table, object_id, **equal)
    if row is None:
        raise not_found(what)
    organisation_id = row["id"] if table is records.ORGANISATIONS else row["organisation_id"]
    if not caller.sees(organisation_id):
        raise not_found(what)
    caller.ensure_allowed()
    if caller.member_id is not None:
        powers.ensure(connection, caller.member_id, table, row, action or caller.needs)
    return row
