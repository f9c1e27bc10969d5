"""The one way collections are answered: check the parent is visible, then page through its objects."""

import sqlite3
from collections.abc import Callable
from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel

from platform_server import records
from platform_server.auth import Caller
from platform_server.lookups import visible
from platform_server.pagination import PageQuery
from platform_server.records import ORGANISATIONS, Table
from platform_server.writes import perform_read

Presenter = Callable[[sqlite3.Connection, dict[str, Any]], BaseModel]


def list_children(
    request: Request,
    caller: Caller,
    paging: PageQuery,
    *,
    parent: tuple[Table, str, str],
    table: Table,
    present: Presenter,
    page_model: type[BaseModel],
    where: str,
    params: tuple[Any, ...],
    action: str | None = None,
) -> Response:
    """Answer a list request for `table` rows matching `where`, once `parent` (table, id, what) is visible."""
    parent_table, parent_id, what = parent

    def read(connection: sqlite3.Connection) -> BaseModel:
        visible(connection, parent_table, parent_id, caller, what, action=action)
        rows, cursor = records.page(connection, table, paging, where, params)
        return page_model(items=[present(connection, row) for row in rows], next_cursor=cursor)
    return perform_read(request, read)


def list_in_organisation(
    request: Request, caller: Caller, paging: PageQuery, org_id: str,
    table: Table, present: Presenter, page_model: type[BaseModel], action: str = "organisation_wide",
) -> Response:
    """Answer a list request for an organisation's objects of one table (a member token needs `action`)."""
    return list_children(request, caller, paging, parent=(ORGANISATIONS, org_id, "organisation"), table=table,
                         present=present, page_model=page_model, where="organisation_id = ?", params=(org_id,),
                         action=action)
