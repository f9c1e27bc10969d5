"""The calls every platform object shares: create in a collection, list it, and get/update/delete by id."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from platform_client.errors import InvalidRequest, NotFound, PlatformError, PreconditionFailed
from platform_client.idempotency import fresh_key, idempotency_key
from platform_client.models import Page, PlatformObject, WireModel, payload
from platform_client.transport import Params, Reply, Transport, parse_reply

log = logging.getLogger("platform_client")

Obj = TypeVar("Obj", bound=PlatformObject)
Item = TypeVar("Item", bound=BaseModel)
MAX_GENERATIONS = 8
DEFAULT_PAGE_SIZE = 100


def if_match_header(if_match: int | str | None) -> str | None:
    """An If-Match value from a version read earlier (`3` or `"3"` → `"3"`) or an ETag as the platform sent it."""
    if if_match is None:
        return None
    if isinstance(if_match, bool) or not isinstance(if_match, int | str):
        raise InvalidRequest(f"if_match must be a version number or an ETag, not {type(if_match).__name__}")
    return f'"{if_match}"' if isinstance(if_match, int) or if_match.isdigit() else if_match


def applied(live: PlatformObject, patch: dict[str, Any], if_match: int | str | None) -> bool:
    """Whether `live` is exactly one version past `if_match` and shows every patched field: the patch took."""
    version = str(if_match).strip('W/"') if if_match is not None else ""
    if not version.isdigit() or live.version != int(version) + 1:
        return False
    now = live.model_dump(mode="json")
    return all(now.get(name) == value for name, value in patch.items())


def flags(**values: bool) -> dict[str, str]:
    """Query flags such as cascade/force, sent only when true."""
    return {name: "true" for name, value in values.items() if value}


def label_params(labels: Mapping[str, str] | None) -> list[tuple[str, str]]:
    """The repeated `label=key=value` filter of a collection."""
    return [("label", f"{key}={value}") for key, value in (labels or {}).items()]


def paginate(
    transport: Transport, path: str, model: type[Item], *, params: Params = None, page_size: int = DEFAULT_PAGE_SIZE
) -> Iterator[Item]:
    """Every item of a collection, following `next_cursor` one page at a time."""
    base = list(params.items()) if isinstance(params, Mapping) else list(params or [])
    cursor: str | None = None
    while True:
        query = base + [("limit", str(page_size))] + ([("cursor", cursor)] if cursor else [])
        reply = transport.request("GET", path, params=query)
        page = parse_reply(Page[model], reply)  # type: ignore[valid-type]
        yield from page.items
        if not page.next_cursor:
            return
        cursor = page.next_cursor


class ObjectEndpoint(Generic[Obj]):
    """Calls on one kind of platform object; subclasses name the kind and add its collection calls."""

    segment: ClassVar[str]
    """The by-id path segment, e.g. "clinics" for /v1/clinics/{id}."""
    model: ClassVar[type[PlatformObject]]
    create_model: ClassVar[type[WireModel]]
    update_model: ClassVar[type[WireModel]]

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def get(self, object_id: str) -> Obj:
        """The object as it is now (its `version` is the ETag for a later update or delete)."""
        return self._parse(self._transport.request("GET", self._by_id(object_id)))

    def update(self, object_id: str, changes: WireModel | dict[str, Any], *, if_match: int | str | None = None) -> Obj:
        """Merge-patch the given fields; with `if_match` a stale version raises PreconditionFailed."""
        return self._update(object_id, changes, if_match, {})

    def delete(self, object_id: str, *, if_match: int | str | None = None) -> None:
        """Delete the object; with `if_match` a stale version raises PreconditionFailed."""
        self._delete(object_id, if_match, {})

    def _update(
        self, object_id: str, changes: WireModel | dict[str, Any], if_match: int | str | None, query: dict[str, bool]
    ) -> Obj:
        body = payload(self.update_model, changes, partial=True)
        try:
            reply = self._transport.request(
                "PATCH", self._by_id(object_id), json=body, params=flags(**query), if_match=if_match_header(if_match)
            )
        except PreconditionFailed as error:
            if not error.after_uncertain_attempt:
                raise
            # The version moved after an attempt whose answer was lost: our own change, or someone else's?
            live = self.get(object_id)
            if not applied(live, body, if_match):
                raise
            log.info("%s %s: a lost attempt had applied the change; the 412 was our own", self.segment, object_id)
            return live
        return self._parse(reply)

    def _delete(self, object_id: str, if_match: int | str | None, query: dict[str, bool]) -> None:
        try:
            self._transport.request(
                "DELETE", self._by_id(object_id), params=flags(**query), if_match=if_match_header(if_match)
            )
        except NotFound as error:
            # A 404 answering the retry of an attempt whose answer was lost: that attempt deleted it.
            if not error.after_uncertain_attempt:
                raise
            log.info("%s %s was gone on retry: an earlier attempt deleted it", self.segment, object_id)

    def list_in(self, path: str, *, labels: Mapping[str, str] | None, page_size: int) -> Iterator[Obj]:
        """Every object of the collection at `path`, optionally filtered by labels."""
        return paginate(self._transport, path, self.model, params=label_params(labels), page_size=page_size)  # type: ignore[arg-type]

    def create_in(
        self,
        path: str,
        new: WireModel | dict[str, Any],
        *,
        idempotency_scope: str | None,
    ) -> Obj:
        """Create at `path` with one idempotency key for every retry; a stale replay creates afresh."""
        body = payload(self.create_model, new, partial=False)
        if idempotency_scope is None:
            return self._parse(self._transport.request("POST", path, json=body, idempotency_key=fresh_key()))
        for generation in range(MAX_GENERATIONS):
            key = idempotency_key(idempotency_scope, f"POST {path}", body, generation)
            reply = self._transport.request("POST", path, json=body, idempotency_key=key)
            created = self._parse(reply)
            if not reply.replayed:
                return created
            try:
                return self.get(created.id)
            except NotFound:
                log.info("replayed create of %s %s is gone; creating again", self.segment, created.id)
        raise PlatformError(f"{MAX_GENERATIONS} replayed creates were all deleted since", method="POST", path=path)

    def _by_id(self, object_id: str) -> str:
        return api_path(self.segment, object_id)

    def _parse(self, reply: Reply) -> Obj:
        return parse_reply(self.model, reply)  # type: ignore[return-value]


def api_path(*segments: str) -> str:
    """An API path from segments; ids are opaque, so refuse any that would change the path."""
    for segment in segments:
        if not segment or segment in (".", "..") or any(char in segment for char in "/?#%"):
            raise ValueError(f"not a platform id: {segment!r}")
    return "/" + "/".join(segments)
