"""Refresh reads served from one bulk organisation read, so a drift scan costs a handful of requests.

Pulumi calls `read` once per resource during a refresh; without this, a 300-object organisation costs
300 GETs. Each provider process keeps the tree of each organisation for a few seconds; an object that is
not in the tree is looked up by id as before (that is how a deletion is confirmed).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from platform_client import PlatformClient
from platform_client.errors import NotFound
from platform_client.models import PlatformObject

TREE_TTL_SECONDS = 10.0

_trees: dict[tuple[int, str], tuple[float, dict[str, PlatformObject]]] = {}
_locks: dict[tuple[int, str], threading.Lock] = {}
_guard = threading.Lock()


def live_object(client: PlatformClient, organisation_id: str | None, object_id: str) -> PlatformObject | None:
    """The object as the platform has it now, from its organisation's tree when known; None when absent."""
    if organisation_id:
        found = organisation_objects(client, organisation_id).get(object_id)
        if found is not None:
            return found
    return None


def organisation_objects(client: PlatformClient, organisation_id: str) -> dict[str, PlatformObject]:
    """Every object of the organisation by id, read at most once per TTL by this process."""
    key = (id(client), organisation_id)
    with _guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        cached = _trees.get(key)
        if cached is not None and time.monotonic() - cached[0] < TREE_TTL_SECONDS:
            return cached[1]
        try:
            tree = client.organisations.tree(organisation_id)
        except NotFound:
            objects: dict[str, PlatformObject] = {}
        else:
            objects = {obj.id: obj for obj in tree.objects()}
        _trees[key] = (time.monotonic(), objects)
        return objects


def organisation_of(props: dict[str, Any], object_id: str) -> str | None:
    """The organisation an object belongs to, from its stored outputs (an organisation is its own)."""
    if object_id.startswith("org_"):
        return object_id
    value = props.get("organisation_id")
    return value if isinstance(value, str) and value else None
