"""Pulumi dynamic resources for the platform's objects, and the program that declares them from a spec.

Declare them from your own Pulumi program (README, "Use it from your own Pulumi program"): the resources take
each other as arguments (`Clinic(organisation=org, …)`), and nested settings are the spec's own models, checked
by the spec's rules as they are built.
"""

from resources.clinic import Clinic
from resources.member import Member
from resources.organisation import Organisation
from resources.rooms import GroupRoom, MeetingRoom, UserRoom
from resources.waiting_area import WaitingArea
from schemas import (
    AutomatedMessage, Break, ClinicPermissions, ClinicRole, DayHours, EntryField, OpeningHours, OrgRole, Permissions,
    WaitingAreaSettings,
)

__all__ = [
    "AutomatedMessage", "Break", "Clinic", "ClinicPermissions", "ClinicRole", "DayHours", "EntryField", "GroupRoom", "MeetingRoom",
    "Member", "OpeningHours", "OrgRole", "Organisation", "Permissions", "UserRoom", "WaitingArea",
    "WaitingAreaSettings",
]
