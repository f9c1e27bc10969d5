"""The structure spec of one stack: the organisations it declares, and the rules that span them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from typing import Any, Literal

from .common import Loc, Problem, SpecModel, UnknownValue, duplicates, rule
from .organisation import Organisation


class StructureSpec(SpecModel):
    """Everything one Pulumi stack declares: organisations with their clinics, rooms and people."""

    version: Literal[1] = 1
    """Spec format version."""
    organisations: list[Organisation]
    """The organisations of this stack, each with a stable key."""
    allow_empty: bool = False
    """Allow a spec without organisations; applied, it deletes every object the stack manages."""

    @rule
    def organisations_declared(self) -> Iterator[Problem]:
        """A spec without organisations would delete everything the stack manages, so it takes an explicit opt-in."""
        if not self.organisations and not self.allow_empty:
            yield Problem(
                ("organisations",),
                "no organisations are declared: applied, this spec would delete every object the stack manages; "
                "add 'allow_empty: true' at the top level if that is what you want",
            )

    @rule
    def organisation_keys_unique(self) -> Iterator[Problem]:
        """Organisation keys name Pulumi resources, so each is used once."""
        for index, key in duplicates(self.organisations, lambda org: org.key):
            yield Problem(("organisations", index, "key"), f"the organisation key '{key}' is used twice; keys must be unique")

    @rule
    def organisation_names_unique(self) -> Iterator[Problem]:
        """The platform refuses two organisations with one name."""
        for index, _ in duplicates(self.organisations, lambda org: org.name.casefold()):
            yield Problem(("organisations", index, "name"), f"another organisation is already named '{self.organisations[index].name}'; organisation names are unique on the platform")

    @rule
    def clinic_names_unique(self) -> Iterator[Problem]:
        """Clinic names are unique across the whole platform, not only within an organisation."""
        clinics: list[tuple[Loc, Any]] = []
        for o, org in enumerate(self.organisations):
            with suppress(UnknownValue):
                clinics += [(("organisations", o, "clinics", c, "name"), clinic) for c, clinic in enumerate(org.clinics)]
        for index, _ in duplicates(clinics, lambda entry: entry[1].name.casefold()):
            loc, clinic = clinics[index]
            yield Problem(loc, f"another clinic is already named '{clinic.name}'; clinic names are unique across the whole platform")

    def warnings(self) -> list[tuple[str, str]]:
        """(path, message) for each thing the platform allows but does not mean; never an error."""
        return [warning for org in self.organisations for warning in org.warnings()]

    def clinic_count(self) -> int:
        """How many clinics the spec declares."""
        return sum(len(org.clinics) for org in self.organisations)
