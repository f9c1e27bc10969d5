"""Organisations: created by the operator, read whole with one bulk tree call."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platform_client.endpoint import DEFAULT_PAGE_SIZE, ObjectEndpoint, api_path
from platform_client.models import Organisation, OrganisationCreate, OrganisationTree, OrganisationUpdate
from platform_client.transport import parse_reply


class Organisations(ObjectEndpoint[Organisation]):
    """`/v1/organisations`: create (operator token), list, get, tree, update, delete."""

    segment = "organisations"
    model = Organisation
    create_model = OrganisationCreate
    update_model = OrganisationUpdate

    def create(
        self, new: OrganisationCreate | dict[str, Any], *, idempotency_scope: str | None = None
    ) -> Organisation:
        """A new organisation; pass `idempotency_scope` (e.g. the Pulumi URN) so a rerun gets the same one."""
        return self.create_in("/organisations", new, idempotency_scope=idempotency_scope)

    def list(self, *, labels: Mapping[str, str] | None = None, page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[Organisation]:
        """Every organisation this token sees."""
        return self.list_in("/organisations", labels=labels, page_size=page_size)

    def tree(self, organisation_id: str) -> OrganisationTree:
        """Every object of the organisation in one request (drift scans cost one call, not one per object)."""
        reply = self._transport.request("GET", api_path("organisations", organisation_id, "tree"))
        return parse_reply(OrganisationTree, reply)

    def delete(self, organisation_id: str, *, if_match: int | str | None = None, cascade: bool = False) -> None:
        """Delete the organisation; a non-empty one needs `cascade=True`."""
        self._delete(organisation_id, if_match, {"cascade": cascade})
