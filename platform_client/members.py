"""Members: the people of an organisation, their roles and permissions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platform_client.endpoint import DEFAULT_PAGE_SIZE, ObjectEndpoint, api_path
from platform_client.models import Member, MemberCreate, MemberUpdate


class Members(ObjectEndpoint[Member]):
    """`/v1/organisations/{org}/members` and `/v1/members/{id}`."""

    segment = "members"
    model = Member
    create_model = MemberCreate
    update_model = MemberUpdate

    def create(
        self, organisation_id: str, new: MemberCreate | dict[str, Any], *, idempotency_scope: str | None = None
    ) -> Member:
        """A new member with a pending invitation; a known email raises Conflict(member_exists)."""
        return self.create_in(api_path("organisations", organisation_id, "members"), new, idempotency_scope=idempotency_scope)

    def list(
        self, organisation_id: str, *, labels: Mapping[str, str] | None = None, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Iterator[Member]:
        """Every member of the organisation."""
        return self.list_in(api_path("organisations", organisation_id, "members"), labels=labels, page_size=page_size)
