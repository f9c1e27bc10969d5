"""How much a drift finding matters and who should look at it first: one table, one function."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from resources.ownership import OWNERSHIP_LABELS


class Severity(IntEnum):
    """Ordered so that sorting by severity puts what matters most first."""

    CRITICAL = 0
    HIGH = 1
    MEDIUM = 2
    LOW = 3

    @property
    def label(self) -> str:
        """Lower-case name for reports."""
        return self.name.lower()


ACCESS = (Severity.CRITICAL, "access changed outside code", "organisation admins")
PATIENT_ACCESS = (Severity.HIGH, "patients' way into care changed", "clinic managers")
STRUCTURE = (Severity.MEDIUM, "structure differs from the spec", "platform engineers")
COSMETIC = (Severity.LOW, "text only", "whoever owns the wording")

# (object kind, property) → why it matters; "*" matches any property of that kind.
PROPERTY_RULES: dict[tuple[str, str], tuple[Severity, str, str]] = {
    ("Member", "org_roles"): ACCESS,
    ("Member", "clinic_roles"): ACCESS,
    ("Member", "permissions"): ACCESS,
    ("MeetingRoom", "member_ids"): ACCESS,
    ("WaitingArea", "enabled"): PATIENT_ACCESS,
    ("WaitingArea", "opening_hours"): PATIENT_ACCESS,
    ("WaitingArea", "transfer_targets"): PATIENT_ACCESS,
    ("WaitingArea", "shared_for_transfers"): ACCESS,  # who may transfer callers into the clinic
    ("UserRoom", "clinic_id"): ACCESS,
    ("WaitingArea", "entry_fields"): STRUCTURE,
    ("WaitingArea", "confirm_call_entry"): STRUCTURE,
    ("WaitingArea", "show_queue_position"): STRUCTURE,
    ("Clinic", "timezone"): PATIENT_ACCESS,
    ("MeetingRoom", "max_participants"): STRUCTURE,
    ("GroupRoom", "max_participants"): STRUCTURE,
    ("UserRoom", "max_participants"): STRUCTURE,
    ("Organisation", "timezone"): STRUCTURE,
    ("UserRoom", "owner_member_id"): ACCESS,
    ("MeetingRoom", "clinic_id"): STRUCTURE,
    ("GroupRoom", "clinic_id"): STRUCTURE,
}
DEFAULT_PROPERTY_RULE = COSMETIC  # names, messages, labels
REQUIRED_FIELD_RULE = (Severity.HIGH, "a required entry field was added: callers who cannot answer it cannot get in",
                       "clinic managers")
OWNERSHIP_RULE = (Severity.MEDIUM, "ownership labels changed: the object drops out of management",
                  "platform engineers")

DELETED_RULES: dict[str, tuple[Severity, str, str]] = {
    "WaitingArea": (Severity.HIGH, "a patient entry link stopped working", "clinic managers"),
    "Clinic": (Severity.HIGH, "a clinic and its patient entry link are gone", "clinic managers"),
    "Member": (Severity.HIGH, "a person lost their access", "organisation admins"),
    "Organisation": (Severity.CRITICAL, "the whole organisation is gone", "platform engineers"),
}
DEFAULT_DELETED_RULE = (Severity.MEDIUM, "deleted outside code", "platform engineers")
MISSING_RULE = (Severity.MEDIUM, "declared in the spec but not on the platform (not applied yet)", "platform engineers")
UNDECLARED_RULE = (Severity.MEDIUM, "on the platform but no longer declared in the spec (not applied yet)",
                   "platform engineers")
ORPHANED_RULE = (Severity.MEDIUM, "carries this stack's labels but is missing from its state", "platform engineers")
UNMANAGED_ADMIN_RULE = (Severity.CRITICAL, "an admin was added outside code", "organisation admins")
UNMANAGED_ACCESS_RULE = (Severity.CRITICAL, "a meeting room made outside code lets people in", "organisation admins")
UNMANAGED_RULE = (Severity.LOW, "not managed by any stack", "platform engineers")


def property_rule(kind: str, prop: str) -> tuple[Severity, str, str]:
    """Severity, reason and audience for one drifted property."""
    return PROPERTY_RULES.get((kind, prop), PROPERTY_RULES.get((kind, "*"), DEFAULT_PROPERTY_RULE))


def deleted_rule(kind: str) -> tuple[Severity, str, str]:
    """Severity, reason and audience for an object deleted outside code."""
    return DELETED_RULES.get(kind, DEFAULT_DELETED_RULE)


def change_rule(kind: str, prop: str, declared: Any, live: Any) -> tuple[Severity, str, str]:
    """Severity, reason and audience for one drifted property, judged by what changed in it."""
    if prop == "labels" and ownership(declared) != ownership(live):
        return min(OWNERSHIP_RULE, property_rule(kind, prop))
    if (kind, prop) == ("WaitingArea", "entry_fields") and required_labels(live) - required_labels(declared):
        return REQUIRED_FIELD_RULE
    return property_rule(kind, prop)


def ownership(labels: Any) -> dict[str, Any]:
    """The ownership labels among labels."""
    return {k: v for k, v in labels.items() if k in OWNERSHIP_LABELS} if isinstance(labels, dict) else {}


def required_labels(fields: Any) -> set[str]:
    """Labels of the required entry fields."""
    return {f.get("label") for f in fields if isinstance(f, dict) and f.get("required")} if isinstance(fields, list) else set()
