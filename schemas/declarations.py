"""Guards for resources declared from Python code, where the spec's structure cannot prevent duplicates."""

from __future__ import annotations

from .issues import SpecError, SpecIssue


class WaitingAreaDeclarations:
    """Remembers which clinics already have a waiting area declared in this program; refuses a second one."""

    def __init__(self) -> None:
        self._declared: dict[tuple[str, str], str] = {}

    def declare(self, organisation_key: str, clinic_key: str, declared_at: str = "") -> None:
        """Record the clinic's waiting area; raise SpecError if one was already declared for that clinic."""
        clinic = (organisation_key, clinic_key)
        if clinic in self._declared:
            first = self._declared[clinic]
            raise SpecError([SpecIssue(
                f"organisations[{organisation_key}].clinics[{clinic_key}].waiting_area",
                f"the clinic '{clinic_key}' already has a waiting area{f' (declared at {first})' if first else ''}; a clinic has at most one waiting area",
                file=declared_at or None,
                rule="one_waiting_area_per_clinic",
            )])
        self._declared[clinic] = declared_at

    def __contains__(self, clinic: tuple[str, str]) -> bool:
        """Whether (organisation key, clinic key) already has a waiting area declared."""
        return clinic in self._declared
