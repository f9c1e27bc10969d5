"""Collection queries: `limit`, an opaque `cursor`, and repeatable `label=key=value` filters."""

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Query

from platform_server.problems import ProblemError

LABEL_FILTER = re.compile(r"^([a-z0-9./_-]{1,63})=(.{0,255})$", re.DOTALL)


@dataclass(frozen=True)
class PageQuery:
    """Which slice of a collection was asked for."""

    limit: int = 50
    after_id: str | None = None
    labels: dict[str, str] = field(default_factory=dict)


def encode_cursor(last_id: str) -> str:
    """Make the opaque cursor that continues after `last_id`."""
    return base64.urlsafe_b64encode(last_id.encode("utf-8")).decode("ascii").rstrip("=")


def _decode_cursor(cursor: str) -> str:
    try:
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    if not re.fullmatch(r"[a-z]{2,3}_[0-9a-f]{28}", decoded):
        raise ProblemError(422, "validation_failed", "Invalid cursor",
                           errors=[{"loc": ["query", "cursor"], "msg": "not a cursor this server issued"}])
    return decoded


def _parse_label_filters(filters: list[str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for text in filters:
        match = LABEL_FILTER.match(text)
        if match is None:
            raise ProblemError(422, "validation_failed", "Invalid label filter",
                               errors=[{"loc": ["query", "label"], "msg": f"expected key=value, got {text!r}"}])
        labels[match.group(1)] = match.group(2)
    return labels


def page_query(
    limit: Annotated[int, Query(ge=1, le=200, description="page size")] = 50,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    label: Annotated[list[str] | None, Query(description="key=value; repeat to require several labels")] = None,
) -> PageQuery:
    """Read the collection query parameters of a list request."""
    return PageQuery(
        limit=limit,
        after_id=_decode_cursor(cursor) if cursor is not None else None,
        labels=_parse_label_filters(label or []),
    )


Paging = Annotated[PageQuery, Depends(page_query)]
