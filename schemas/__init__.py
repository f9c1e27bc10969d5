"""Desired state of a telehealth video-call platform's structure, and the rules checked before provisioning.

Public API: `load_spec`, `validate_spec_text`, `validate_spec_data`, `SpecError`/`SpecFileError`/`SpecIssue`,
the models (`StructureSpec` down to `Break`), and `WaitingAreaDeclarations` for resources declared in Python.
"""

from .declarations import WaitingAreaDeclarations
from .issues import SpecError, SpecFileError, SpecIssue
from .loading import load_spec, validate_spec_data, validate_spec_text
from .information import OrganisationInformation, SupportContact
from .organisation import Clinic, Organisation
from .people import ClinicPermissions, ClinicRoles, Permissions, Person
from .rooms import GroupRoom, MeetingRoom, UserRoom
from .spec import StructureSpec
from .people import ClinicRole, OrgRole
from .rooms import GROUP_ROOM_MAX, SMALL_ROOM_MAX
from .waiting_area import AutomatedMessage, Break, DayHours, EntryField, OpeningHours, WaitingArea, WaitingAreaSettings

__all__ = [
    "GROUP_ROOM_MAX", "SMALL_ROOM_MAX", "AutomatedMessage", "Break", "Clinic", "ClinicPermissions", "ClinicRole", "ClinicRoles", "DayHours", "EntryField", "GroupRoom", "MeetingRoom",
    "OpeningHours", "OrgRole", "Organisation", "OrganisationInformation", "SupportContact", "Permissions", "Person", "SpecError", "SpecFileError", "SpecIssue",
    "StructureSpec", "UserRoom", "WaitingArea", "WaitingAreaDeclarations", "WaitingAreaSettings", "load_spec", "validate_spec_data",
    "validate_spec_text",
]
