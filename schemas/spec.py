"""The structure spec of one stack: the organisations it declares, and the rules that span them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from .common import Problem, SpecModel, duplicates, rule
from .organisation import Organisation


class StructureSpec(SpecModel):
    """Everything one Pulumi stack declares: organisations with their clinics, rooms and people."""

    version: Literal[1] = 1
    """Spec format version."""
    organisations: list[Organisation]
    """The organisations of this stack, each with a stable key."""

    @rule
    def organisation_keys_unique(self) -> Iterator[Problem]:
        """Organisation keys name Pulumi resources, so each is used once."""
        for index, key in duplicates(org.key for org in self.organisations):
            yield Problem(("organisations", index, "key"), f"the organisation key '{key}' is used twice; keys must be unique")

    @rule
    def organisation_names_unique(self) -> Iterator[Problem]:
        """The platform refuses two organisations with one name."""
        for index, _ in duplicates(org.name.casefold() for org in self.organisations):
            yield Problem(("organisations", index, "name"), f"another organisation is already named '{self.organisations[index].name}'; organisation names are unique on the platform")

    @rule
    def clinic_names_unique(self) -> Iterator[Problem]:
        """Clinic names are unique across the whole platform, not only within an organisation."""
        clinics = [(("organisations", o, "clinics", c, "name"), clinic.name) for o, org in enumerate(self.organisations) for c, clinic in enumerate(org.clinics)]
        for index, _ in duplicates(name.casefold() for _, name in clinics):
            loc, name = clinics[index]
            yield Problem(loc, f"another clinic is already named '{name}'; clinic names are unique across the whole platform")

    def clinic_count(self) -> int:
        """How many clinics the spec declares."""
        return sum(len(org.clinics) for org in self.organisations)
