"""Pulumi dynamic resources for the platform's objects, and the program that declares them from a spec."""

from resources.clinic import Clinic
from resources.member import Member
from resources.organisation import Organisation
from resources.rooms import GroupRoom, MeetingRoom, UserRoom
from resources.waiting_area import WaitingArea

__all__ = ["Clinic", "GroupRoom", "MeetingRoom", "Member", "Organisation", "UserRoom", "WaitingArea"]
