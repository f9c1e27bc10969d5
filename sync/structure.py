"""An organisation's structure as the diagrams draw it: clinics, waiting areas, rooms and people, each with a status.

Built from the spec (what a preview will leave), or from the platform's bulk tree (what drift found), then marked
with what the preview changes or the drift check found. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import schemas
from resources.ownership import RESOURCE_LABEL
from sync.changes import ResourceChange

UNCHANGED = "unchanged"
PREVIEW_STATUS = {"create": "added", "update": "changed", "replace": "replaced", "delete": "removed"}
DRIFT_STATUS = {"changed": "drifted", "deleted": "deleted", "missing": "missing", "undeclared": "undeclared",
                "orphaned": "orphaned", "unmanaged": "unmanaged"}


@dataclass(frozen=True)
class Item:
    """One object of an organisation: a clinic, waiting area, room or person."""

    kind: str
    """The platform's word: Clinic, WaitingArea, MeetingRoom, GroupRoom, UserRoom, Member."""
    name: str
    """The Pulumi resource name (`metro.renal`), or the platform's name for an object no stack manages."""
    label: str
    """What people call it: the clinic's name, a person's display name."""
    clinic: str | None = None
    """The resource name of its clinic (a clinic's own name); None for organisation-wide objects."""
    roles: tuple[tuple[str | None, str], ...] = ()
    """A person's roles: (clinic resource name, role), or (None, role) for an organisation role."""
    status: str = UNCHANGED
    platform_id: str | None = None
    places: frozenset[str | None] | None = None
    """Where a person's change shows: the clinics whose roles change (None for the organisation level); None
    when it shows everywhere the person is (added, removed, replaced)."""


@dataclass(frozen=True)
class Organisation:
    """An organisation and everything in it."""

    name: str
    label: str
    items: tuple[Item, ...] = ()
    status: str = UNCHANGED
    platform_id: str | None = None

    @property
    def kind(self) -> str:
        """The platform's word, as for items."""
        return "Organisation"


def from_spec(spec: schemas.StructureSpec) -> list[Organisation]:
    """The structure a spec declares, every object unchanged."""
    return [Organisation(org.key, org.name, tuple(spec_items(org))) for org in spec.organisations]


def spec_items(org: schemas.Organisation) -> Iterable[Item]:
    """The items of one declared organisation, clinic by clinic, then organisation-wide rooms and people."""
    for clinic in org.clinics:
        at = f"{org.key}.{clinic.key}"
        yield Item("Clinic", at, clinic.name, at)
        if clinic.waiting_area is not None:
            yield Item("WaitingArea", at, clinic.waiting_area.name, at)
        for room in [*clinic.meeting_rooms, *clinic.group_rooms, *clinic.user_rooms]:
            yield Item(type(room).__name__, f"{org.key}.{room.key}", room.name or room.key, at)
    for room in [*org.meeting_rooms, *org.group_rooms, *org.user_rooms]:
        yield Item(type(room).__name__, f"{org.key}.{room.key}", room.name or room.key)
    for person in org.people:
        roles = [(None, str(role)) for role in person.org_roles]
        roles += [(f"{org.key}.{grant.clinic}", str(role)) for grant in person.clinic_roles for role in grant.roles]
        yield Item("Member", f"{org.key}.{person.key}", person.display_name, roles=tuple(roles))


def from_platform(objects: Iterable[Any]) -> list[Organisation]:
    """The structure of the platform's organisation trees (objects as the bulk read returns them)."""
    objects = list(objects)
    names = {obj.id: resource_name(obj) for obj in objects}
    orgs = {obj.id: Organisation(names[obj.id], obj.name, platform_id=obj.id)
            for obj in objects if type(obj).__name__ == "Organisation"}
    items: dict[str, list[Item]] = {org_id: [] for org_id in orgs}
    for obj in objects:
        org_id = getattr(obj, "organisation_id", None)
        if org_id in items:
            items[org_id].append(platform_item(obj, names))
    return [replace(org, items=tuple(items[org_id])) for org_id, org in orgs.items()]


def platform_item(obj: Any, names: Mapping[str, str]) -> Item:
    """One platform object as an item; its clinic and roles named as the spec names them."""
    kind = "Clinic" if type(obj).__name__.startswith("Clinic") else type(obj).__name__
    clinic = obj.id if kind == "Clinic" else getattr(obj, "clinic_id", None)
    roles = [(None, str(role)) for role in getattr(obj, "org_roles", [])]
    roles += [(names.get(grant.clinic_id, grant.clinic_id), str(role))
              for grant in getattr(obj, "clinic_roles", []) for role in grant.roles]
    label = getattr(obj, "name", None) or getattr(obj, "display_name", None) or obj.id
    return Item(kind, names[obj.id], str(label), names.get(clinic, clinic) if clinic else None, tuple(roles),
                platform_id=obj.id)


def resource_name(obj: Any) -> str:
    """The resource name its ownership labels give, else the platform's name for it."""
    return str(obj.labels.get(RESOURCE_LABEL) or getattr(obj, "name", None) or getattr(obj, "display_name", None)
               or obj.id)


def marked_by_preview(orgs: Sequence[Organisation], changes: Iterable[ResourceChange],
                      names: Mapping[str, str]) -> list[Organisation]:
    """The spec's structure with what a preview adds, changes and replaces marked, and what it removes put back."""
    changes = list(changes)
    statuses = {(change.kind, change.name): PREVIEW_STATUS[change.op] for change in changes}
    places = {change.name: member_places(change.name, change.properties, names) for change in changes
              if change.kind == "Member" and change.op == "update"}
    removed = [removed_item(change, names) for change in changes if change.op == "delete"]
    return marked(orgs, lambda item: statuses.get((item.kind, item.name)), removed,
                  lambda item: places.get(item.name) if item.kind == "Member" else None)


def member_places(name: str, properties: Iterable[Any], names: Mapping[str, str]) -> frozenset[str | None] | None:
    """The clinics whose roles a person's change alters (None for anything else about them); None if not known."""
    org, places = name.split(".", 1)[0], set()
    for prop in properties:
        if prop.name != "clinic_roles":
            places.add(None)
            continue
        before, after = grants(prop.before), grants(prop.after)
        for clinic_id in {*before, *after}:
            if before.get(clinic_id) != after.get(clinic_id):
                if clinic_id not in names:
                    return None
                places.add(f"{org}.{names[clinic_id]}")
    return frozenset(places) or None


def grants(value: Any) -> dict[Any, frozenset[str]]:
    """Clinic id → roles of a platform `clinic_roles` value."""
    return {grant.get("clinic_id"): frozenset(grant.get("roles") or []) for grant in value or []
            if isinstance(grant, Mapping)}


def removed_item(change: ResourceChange, names: Mapping[str, str]) -> Item:
    """An object the preview deletes, drawn from its recorded inputs (`names`: platform id → spec key)."""
    org, before = change.name.split(".", 1)[0], change.before

    def at(clinic_id: Any) -> str | None:
        return f"{org}.{names[clinic_id]}" if isinstance(clinic_id, str) and clinic_id in names else None

    roles = [(None, str(role)) for role in before.get("org_roles") or []]
    roles += [(at(grant.get("clinic_id")), str(role)) for grant in before.get("clinic_roles") or []
              for role in grant.get("roles") or []]
    clinic = change.name if change.kind in ("Clinic", "WaitingArea") else at(before.get("clinic_id"))
    label = before.get("name") or before.get("display_name") or change.name
    return Item(change.kind, change.name, str(label), clinic, tuple(roles), "removed", change.platform_id)


def marked_by_drift(orgs: Sequence[Organisation], findings: Iterable[Any],
                    names: Mapping[str, str] | None = None) -> list[Organisation]:
    """The structure with each drift finding's object marked (drifted, orphaned, unmanaged, missing, …)."""
    findings = list(findings)
    places = {(f.platform_id, f.name): member_places(f.name, f.changes, names or {}) for f in findings
              if f.object_kind == "Member" and f.kind == "changed"}
    places_by_id = {pid: where for (pid, _), where in places.items() if pid}
    places_by_name = {name: where for (_, name), where in places.items()}
    by_id = {f.platform_id: DRIFT_STATUS.get(f.kind, f.kind) for f in findings if f.platform_id}
    by_name = {(f.object_kind, f.name): DRIFT_STATUS.get(f.kind, f.kind) for f in findings}

    def status(item: Item | Organisation) -> str | None:
        return by_id.get(item.platform_id) or by_name.get((item.kind, item.name))

    drawn = {(org.platform_id, ("Organisation", org.name)) for org in orgs}
    drawn |= {(item.platform_id, (item.kind, item.name)) for org in orgs for item in org.items}
    ids, keys = {pid for pid, _ in drawn if pid}, {key for _, key in drawn}
    absent = [Item(f.object_kind, f.name, f.name, f.name if f.object_kind in ("Clinic", "WaitingArea") else None,
                   status=DRIFT_STATUS.get(f.kind, f.kind), platform_id=f.platform_id) for f in findings
              if f.platform_id not in ids and (f.object_kind, f.name) not in keys]
    return marked(orgs, status, absent, lambda item: places_by_id.get(item.platform_id, places_by_name.get(
        item.name)) if item.kind == "Member" else None)


def marked(orgs: Sequence[Organisation], status: Callable[[Item | Organisation], str | None],
           extra: Iterable[Item], places: Callable[[Item], frozenset[str | None] | None]) -> list[Organisation]:
    """Each object with the status (and places) the callables give, and `extra` objects added where they belong."""
    extra = list(extra)
    out = []
    for org in orgs:
        items = [replace(item, status=status(item) or item.status, places=places(item)) for item in org.items]
        items += [item for item in extra if item.kind != "Organisation" and owner(item, orgs) == org.name]
        out.append(replace(org, items=tuple(items), status=status(org) or org.status))
    out += [Organisation(item.name, item.label, status=item.status) for item in extra if item.kind == "Organisation"]
    strays = tuple(item for item in extra if item.kind != "Organisation" and owner(item, orgs) is None)
    if strays:  # objects of an organisation that is not drawn
        out.append(Organisation("(other)", "other organisations", strays))
    return out


def owner(item: Item, orgs: Sequence[Organisation]) -> str | None:
    """The organisation an added object belongs to: its name's prefix, or the only organisation there is."""
    prefix = item.name.split(".", 1)[0]
    if any(org.name == prefix for org in orgs):
        return prefix
    return orgs[0].name if len(orgs) == 1 else None
