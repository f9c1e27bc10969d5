"""`python -m sync adopt`: spec entries for an organisation's objects that no stack manages, to adopt them with `up`."""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

import schemas
from platform_client import PlatformClient
from platform_client.models import (
    ClinicWithWaitingArea, GroupRoom, MeetingRoom, Member, OrganisationTree, PlatformObject, UserRoom, WaitingArea,
)
from resources.errors import OrganisationNotVisible
from resources.ownership import OWNERSHIP_LABELS, RESOURCE_LABEL, STACK_LABEL
from schemas.waiting_area import WEEKDAYS
from sync.options import add_platform_arguments, resolve_platform

KEY_LENGTH = 63
# Lists of spec entries are matched by these fields when entries are merged into a spec.
IDENTITY_FIELDS = ("key", "clinic")
Room = MeetingRoom | GroupRoom | UserRoom
ROOM_MODELS: dict[type, type[BaseModel]] = {
    MeetingRoom: schemas.MeetingRoom, GroupRoom: schemas.GroupRoom, UserRoom: schemas.UserRoom,
}


def unmanaged(obj: PlatformObject) -> bool:
    """Whether no stack manages the object (it has no stack ownership label)."""
    return STACK_LABEL not in obj.labels


def slug(text: str, kind: str) -> str:
    """A spec key made from a name: lowercase ASCII words joined by hyphens, starting with a letter."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if not words or not words[0].isalpha():
        words = f"{kind}-{words}".strip("-")
    return words[:KEY_LENGTH].rstrip("-")


def unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… : the first key not yet taken (and now taken)."""
    key, number = base, 2
    while key in taken:
        suffix = f"-{number}"
        key, number = base[:KEY_LENGTH - len(suffix)].rstrip("-") + suffix, number + 1
    taken.add(key)
    return key


def user_labels(obj: PlatformObject) -> dict[str, str]:
    """The object's labels without the ownership labels (the program writes those)."""
    return {name: value for name, value in obj.labels.items() if name not in OWNERSHIP_LABELS}


def declared(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a spec entry that differ from the spec model's defaults (an entry states only those)."""
    def default(name: str) -> Any:
        value = model.model_fields[name].get_default(call_default_factory=True)
        return value.model_dump(mode="json", exclude_none=True) if isinstance(value, BaseModel) else value

    return {name: value for name, value in data.items()
            if name not in model.model_fields or model.model_fields[name].is_required() or value != default(name)}


class Keys:
    """Spec keys of an organisation's objects: managed ones keep theirs, unmanaged ones get new unique ones."""

    def __init__(self, org_key: str, existing: dict[str, Any] | None) -> None:
        self.org_key = org_key
        existing = existing or {}
        self.taken: dict[str, set[str]] = {
            "clinic": {clinic["key"] for clinic in existing.get("clinics", [])},
            "person": {person["key"] for person in existing.get("people", [])},
            "room": {room["key"] for scope in [existing, *existing.get("clinics", [])]
                     for kind in ("meeting_rooms", "group_rooms", "user_rooms") for room in scope.get(kind, [])},
        }
        self.by_id: dict[str, str] = {}

    def assign(self, objects: list[tuple[PlatformObject, str]], kind: str) -> None:
        """Key each (object, name): managed ones first, from their resource label, so new keys never take theirs."""
        for obj, name in sorted(objects, key=lambda pair: unmanaged(pair[0])):
            resource = obj.labels.get(RESOURCE_LABEL, "")
            if not unmanaged(obj) and resource.startswith(f"{self.org_key}."):
                self.by_id[obj.id] = resource.split(".", 1)[1]
                self.taken[kind].add(self.by_id[obj.id])
            else:
                self.by_id[obj.id] = unique(slug(name, kind), self.taken[kind])


def spec_entries(tree: OrganisationTree, spec: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Spec entries (in a spec's shape) for every unmanaged object of the tree, or None when all are managed.

    Keys are unique against `spec` (the stack's spec data); entries for a managed organisation, clinic or
    person carry only their key and what is new, to be merged into the spec's entry with that key.
    """
    org = tree.organisation
    spec_orgs = (spec or {}).get("organisations", [])
    if unmanaged(org):
        org_key = unique(slug(org.name, "organisation"), {o["key"] for o in spec_orgs})
        entry: dict[str, Any] = declared(schemas.Organisation, {
            "key": org_key, "name": org.name, "timezone": org.timezone,
            "information": org.information.model_dump(mode="json", exclude_none=True), "labels": user_labels(org)})
    else:
        org_key = org.labels.get(RESOURCE_LABEL, "")
        entry = {"key": org_key}
    keys = Keys(org_key, next((o for o in spec_orgs if o["key"] == org_key), None))
    keys.assign([(clinic, clinic.name) for clinic in tree.clinics], "clinic")
    keys.assign([(member, member.display_name) for member in tree.members], "person")
    keys.assign([(room, room.name) for room in (*tree.meeting_rooms, *tree.group_rooms, *tree.user_rooms)], "room")

    clinics = [c for c in (clinic_entry(clinic, tree, keys, org.timezone) for clinic in tree.clinics) if c]
    people = [p for p in (person_entry(member, tree, keys) for member in tree.members) if p]
    rooms = org_room_entries(tree, keys)
    entry |= {name: items for name, items in (("clinics", clinics), ("people", people), *rooms.items()) if items}
    if set(entry) == {"key"}:
        return None
    return {"version": 1, "organisations": [entry]}


def clinic_entry(clinic: ClinicWithWaitingArea, tree: OrganisationTree, keys: Keys, org_timezone: str) -> dict[str, Any]:
    """A clinic's entry (whole if unmanaged, else its key and what in it is unmanaged); {} when nothing is."""
    key = keys.by_id[clinic.id]
    entry: dict[str, Any] = {"key": key}
    if unmanaged(clinic):
        entry |= declared(schemas.Clinic, {"name": clinic.name, "labels": user_labels(clinic)})
        if clinic.timezone != org_timezone:
            entry["timezone"] = clinic.timezone
    if clinic.waiting_area is not None and unmanaged(clinic.waiting_area):
        entry["waiting_area"] = waiting_area_entry(clinic.waiting_area, keys)
    in_clinic = {
        "meeting_rooms": [room for room in tree.meeting_rooms if room.clinic_id == clinic.id],
        "group_rooms": [room for room in tree.group_rooms if room.clinic_id == clinic.id],
        "user_rooms": [room for room in tree.user_rooms if (room.clinic_id or home_clinic(room, tree)) == clinic.id],
    }
    for kind, rooms in in_clinic.items():
        items = [room_entry(room, keys) for room in rooms if unmanaged(room)]
        if items:
            entry[kind] = items
    return entry if len(entry) > 1 else {}


def waiting_area_entry(area: WaitingArea, keys: Keys) -> dict[str, Any]:
    """A waiting area's settings in the spec's shape (clinic ids become clinic keys; defaults left out)."""
    hours = {day: {"open": h.open, "close": h.close, **({"breaks": [b.model_dump() for b in h.breaks]} if h.breaks else {})}
             for day, h in area.opening_hours.items()}
    return declared(schemas.WaitingArea, {
        "name": area.name, "enabled": area.enabled, "disabled_message": area.disabled_message,
        "opening_hours": {day: hours[day] for day in WEEKDAYS if day in hours},
        "confirm_call_entry": area.confirm_call_entry, "show_queue_position": area.show_queue_position,
        "entry_fields": [declared(schemas.EntryField, f.model_dump()) for f in area.entry_fields],
        "automated_messages": [m.model_dump() for m in area.automated_messages],
        "shared_for_transfers": area.shared_for_transfers, "support_information": area.support_information,
        "call_locks": area.call_locks, "joining": area.joining.model_dump(mode="json"),
        "connection_check": area.connection_check,
        "new_caller_alerts": [alert.model_dump(mode="json", exclude_none=True) for alert in area.new_caller_alerts],
        "labels": user_labels(area),
    })


def room_entry(room: Room, keys: Keys) -> dict[str, Any]:
    """A meeting, group or user room's entry (member and owner ids become person keys)."""
    data: dict[str, Any] = {"key": keys.by_id[room.id], "name": room.name}
    if isinstance(room, UserRoom):
        data["owner"] = keys.by_id[room.owner_member_id]
    data |= {"max_participants": room.max_participants, "labels": user_labels(room)}
    if isinstance(room, MeetingRoom):
        data["members"] = [keys.by_id[member_id] for member_id in room.member_ids if member_id in keys.by_id]
    return declared(ROOM_MODELS[type(room)], data)


def org_room_entries(tree: OrganisationTree, keys: Keys) -> dict[str, list[dict[str, Any]]]:
    """Entries of the unmanaged rooms at organisation scope, by spec list name."""
    return {
        "meeting_rooms": [room_entry(r, keys) for r in tree.meeting_rooms if r.clinic_id is None and unmanaged(r)],
        "group_rooms": [room_entry(r, keys) for r in tree.group_rooms if r.clinic_id is None and unmanaged(r)],
    }


def home_clinic(room: UserRoom, tree: OrganisationTree) -> str | None:
    """The clinic a user room made before rooms had clinics goes to: the owner's first clinic where they work."""
    owner = next((member for member in tree.members if member.id == room.owner_member_id), None)
    return next((entry.clinic_id for entry in (owner.clinic_roles if owner else [])
                 if set(entry.roles) & {"admin", "clerk", "team_member", "reception"}), None)


def clinic_role_entry(entry: Any, member: Member, keys: Keys) -> dict[str, Any]:
    """A clinic role entry in the spec's shape: `reception` read as team_member, member-level permissions moved here."""
    roles = list(dict.fromkeys("team_member" if role == "reception" else role for role in entry.roles))
    staff = bool(set(roles) & {"admin", "clerk", "team_member"})
    granted = {name: True for name, value in entry.permissions.model_dump().items() if value}
    granted |= {name: True for name, value in member.permissions.model_dump().items() if value and staff}
    return {"clinic": keys.by_id[entry.clinic_id], "roles": roles, **({"permissions": granted} if granted else {})}


def person_entry(member: Member, tree: OrganisationTree, keys: Keys) -> dict[str, Any]:
    """A person's entry (whole if unmanaged; for a managed person only roles in unmanaged clinics); {} if none."""
    new_clinics = {clinic.id for clinic in tree.clinics if unmanaged(clinic)}
    roles = [clinic_role_entry(entry, member, keys) for entry in member.clinic_roles
             if entry.clinic_id in keys.by_id and (unmanaged(member) or entry.clinic_id in new_clinics)]
    key = keys.by_id[member.id]
    if not unmanaged(member):
        return {"key": key, "clinic_roles": roles} if roles else {}
    return declared(schemas.Person, {
        "key": key, "email": member.email, "display_name": member.display_name, "org_roles": list(member.org_roles),
        "clinic_roles": roles, "labels": user_labels(member),
    })


def merged(spec: Any, entries: Any) -> Any:
    """The spec with the entries merged in: list items with the same key (or clinic) merge, others are added."""
    if isinstance(spec, dict) and isinstance(entries, dict):
        return {**spec, **{name: merged(spec[name], value) if name in spec else value for name, value in entries.items()}}
    if isinstance(spec, list) and isinstance(entries, list):
        result = list(spec)
        for item in entries:
            index = next((i for i, old in enumerate(result) if identity(old) is not None and identity(old) == identity(item)), None)
            if index is None:
                result.append(item)
            else:
                result[index] = merged(result[index], item)
        return result
    return entries


def identity(item: Any) -> tuple[str, Any] | None:
    """What names a list item of a spec (its key, or the clinic of a clinic role entry)."""
    if isinstance(item, dict):
        return next(((name, item[name]) for name in IDENTITY_FIELDS if name in item), None)
    return None


def find_organisation(client: PlatformClient, wanted: str) -> str:
    """The id of the organisation with that id or exact name."""
    for org in client.organisations.list():
        if wanted in (org.id, org.name):
            return org.id
    raise OrganisationNotVisible(f"no organisation with the id or name '{wanted}' is visible to this token")


def rendered(entries: dict[str, Any], tree: OrganisationTree) -> str:
    """The entries as YAML, under a comment saying where they go and how to adopt them."""
    org = tree.organisation
    return (
        f"# Spec entries for the objects of '{org.name}' ({org.id}) that no stack manages, from `python -m sync adopt`.\n"
        "# Merge them into the stack's spec (an entry whose key exists there adds to that entry), then adopt them:\n"
        "#   pulumi config set videocall:adoptExisting true && pulumi up && pulumi config rm videocall:adoptExisting\n"
        + yaml.safe_dump(entries, sort_keys=False, allow_unicode=True)
    )


def adopt(args: argparse.Namespace) -> int:
    """Read the organisation tree in one request, write entries for its unmanaged objects; exit 0, or 1 on error."""
    with resolve_platform(args).client() as client:
        tree = client.organisations.tree(find_organisation(client, args.organisation))
    spec = yaml.safe_load(Path(args.spec).read_text(encoding="utf-8")) if args.spec else None
    entries = spec_entries(tree, spec)
    if entries is None:
        print(f"every object of '{tree.organisation.name}' is managed by a stack: nothing to adopt", file=sys.stderr)
        return 0
    if spec is None and not unmanaged(tree.organisation):
        print("note: give --spec (the stack's spec) to check these entries merged into it", file=sys.stderr)
    else:
        try:
            schemas.validate_spec_data(merged(spec, entries) if spec is not None else entries)
        except schemas.SpecError as error:
            print(f"adopt: the entries do not validate{' merged into ' + args.spec if args.spec else ''}:\n{error}",
                  file=sys.stderr)
            return 1
    text = rendered(entries, tree)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote spec entries for {tree.organisation.name} to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def register(subparsers: Any) -> None:
    """Add the `adopt` command."""
    parser = subparsers.add_parser("adopt", help="spec entries for unmanaged objects", description=__doc__)
    add_platform_arguments(parser)
    parser.add_argument("--organisation", required=True, help="platform id or exact name of the organisation")
    parser.add_argument("--out", type=Path, help="write the entries to this file (default: standard output)")
    parser.add_argument("--spec", help="the stack's spec: new keys avoid its keys, and the entries are checked merged into it")
    parser.set_defaults(run=adopt)
