"""The waiting area of a clinic: at most one, with a patient entry link that never changes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platform_client.endpoint import DEFAULT_PAGE_SIZE, ObjectEndpoint, api_path
from platform_client.models import WaitingArea, WaitingAreaCreate, WaitingAreaUpdate
from platform_client.transport import parse_reply


class WaitingAreas(ObjectEndpoint[WaitingArea]):
    """`/v1/clinics/{clinic}/waiting-area` (the singleton) and `/v1/waiting-areas/{id}`."""

    segment = "waiting-areas"
    model = WaitingArea
    create_model = WaitingAreaCreate
    update_model = WaitingAreaUpdate

    def create(
        self, clinic_id: str, new: WaitingAreaCreate | dict[str, Any], *, idempotency_scope: str | None = None
    ) -> WaitingArea:
        """The clinic's waiting area; a second one raises Conflict(waiting_area_exists)."""
        return self.create_in(api_path("clinics", clinic_id, "waiting-area"), new, idempotency_scope=idempotency_scope)

    def get_for_clinic(self, clinic_id: str) -> WaitingArea:
        """The clinic's waiting area; NotFound if it has none."""
        return parse_reply(WaitingArea, self._transport.request("GET", api_path("clinics", clinic_id, "waiting-area")))

    def list(
        self, organisation_id: str, *, labels: Mapping[str, str] | None = None, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Iterator[WaitingArea]:
        """Every waiting area of the organisation."""
        return self.list_in(api_path("organisations", organisation_id, "waiting-areas"), labels=labels, page_size=page_size)

    def update(
        self,
        waiting_area_id: str,
        changes: WaitingAreaUpdate | dict[str, Any],
        *,
        if_match: int | str | None = None,
        force: bool = False,
    ) -> WaitingArea:
        """Change the waiting area; disabling it while callers wait needs `force` (else Conflict(callers_waiting))."""
        return self._update(waiting_area_id, changes, if_match, {"force": force})

    def delete(self, waiting_area_id: str, *, if_match: int | str | None = None, force: bool = False) -> None:
        """Delete the waiting area; while callers wait it needs `force`."""
        self._delete(waiting_area_id, if_match, {"force": force})
