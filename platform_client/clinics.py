"""Clinics of an organisation; a clinic's name is unique platform-wide."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platform_client.endpoint import DEFAULT_PAGE_SIZE, ObjectEndpoint, api_path
from platform_client.models import Clinic, ClinicCreate, ClinicUpdate


class Clinics(ObjectEndpoint[Clinic]):
    """`/v1/organisations/{org}/clinics` and `/v1/clinics/{id}`."""

    segment = "clinics"
    model = Clinic
    create_model = ClinicCreate
    update_model = ClinicUpdate

    def create(
        self, organisation_id: str, new: ClinicCreate | dict[str, Any], *, idempotency_scope: str | None = None
    ) -> Clinic:
        """A new clinic; a taken name raises Conflict(clinic_name_taken)."""
        return self.create_in(api_path("organisations", organisation_id, "clinics"), new, idempotency_scope=idempotency_scope)

    def list(
        self, organisation_id: str, *, labels: Mapping[str, str] | None = None, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Iterator[Clinic]:
        """Every clinic of the organisation."""
        return self.list_in(api_path("organisations", organisation_id, "clinics"), labels=labels, page_size=page_size)

    def delete(
        self, clinic_id: str, *, if_match: int | str | None = None, cascade: bool = False, force: bool = False
    ) -> None:
        """Delete the clinic; with a waiting area or rooms it needs `cascade`, with callers queued `force` too."""
        self._delete(clinic_id, if_match, {"cascade": cascade, "force": force})
