"""Values as a reviewer reads them: spec keys instead of ids, changed leaves only, spec-only fields left out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from resources.ownership import OWNERSHIP_LABELS, RESOURCE_LABEL
from resources.provider import UNKNOWN
from sync.changes import BOOKKEEPING, normalised

SPEC_ONLY = frozenset({"key", "allow_entry_link_change", "allow_disable_with_callers"})
"""Switches of the spec that never reach the platform."""
RENAMED = {"clinic_id": "clinic", "organisation_id": "organisation", "owner_member_id": "owner",
           "member_ids": "members"}
"""Id-valued properties under the spec's word for them."""
OWNERSHIP = "ownership labels"
ORGANISATION_WIDE = "(organisation-wide)"
"""A room without a clinic belongs to its whole organisation."""

Names = Mapping[str, str]
"""Platform id → the spec key of the object (or, unmanaged, the platform's display name)."""


def names_from_state(resources: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Id → spec key of every resource the stack's state records (its outputs hold `key`)."""
    return {r["id"]: str(r["outputs"]["key"]) for r in resources
            if r.get("id") and (r.get("outputs") or {}).get("key")}


def names_from_objects(objects: Iterable[Any]) -> dict[str, str]:
    """Id → name of platform objects: the spec key their ownership labels give, else their display name."""
    names = {}
    for obj in objects:
        resource = (getattr(obj, "labels", None) or {}).get(RESOURCE_LABEL, "")
        names[obj.id] = resource.split(".", 1)[-1] if resource else str(
            getattr(obj, "name", None) or getattr(obj, "display_name", None) or obj.id)
    return names


def readable(values: Mapping[str, Any], names: Names, *, ownership: bool = False) -> dict[str, Any]:
    """Platform values in the spec's words; ownership labels folded into one value when `ownership`, else dropped."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in BOOKKEEPING or name in SPEC_ONLY:
            continue
        if name == "labels" and isinstance(value, Mapping):
            if ownership:
                out[OWNERSHIP] = "/".join(str(value[k]) for k in OWNERSHIP_LABELS if value.get(k)) or None
            value = {k: v for k, v in value.items() if k not in OWNERSHIP_LABELS}
        out[RENAMED.get(name, name)] = shaped(name, value, names)
    return out


def shaped(name: str, value: Any, names: Names) -> Any:
    """Lists a reviewer compares item by item become mappings: clinic roles by clinic, entry fields by label."""
    if name == "clinic_roles" and isinstance(value, list):
        if any(grant.get("clinic_id") == UNKNOWN for grant in value):  # clinics made in this run have no id yet
            return [{"clinic": named(grant.get("clinic_id"), names), "roles": grant.get("roles")} for grant in value]
        return {named(grant.get("clinic_id"), names): sorted(grant.get("roles") or []) for grant in value}
    if name == "entry_fields" and isinstance(value, list):
        return {field.get("label"): {k: v for k, v in field.items() if k != "label"} for field in value}
    if name == "clinic_id" and value is None:
        return ORGANISATION_WIDE
    return named(value, names)


def named(value: Any, names: Names) -> Any:
    """The value with every id the names know replaced by its name; lists of names sorted."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, dict):
        return {key: named(item, names) for key, item in value.items()}
    if isinstance(value, list):
        items = [named(item, names) for item in value]
        return sorted(items) if all(isinstance(item, str) for item in items) else items
    return value


def rows(before: Mapping[str, Any], after: Mapping[str, Any], names: Names, *,
         ownership: bool = False) -> list[tuple[str, Any, Any]]:
    """(property path, before, after) for every changed leaf, in the spec's words."""
    return leaf_diff("", readable(before, names, ownership=ownership), readable(after, names, ownership=ownership))


def leaf_diff(prefix: str, before: Any, after: Any) -> list[tuple[str, Any, Any]]:
    """Rows for every differing leaf, descending into mappings (`opening_hours.friday.close`); lists stay whole."""
    if normalised(before) == normalised(after):
        return []
    sides = (before, after)
    if any(isinstance(side, dict) for side in sides) and all(isinstance(side, dict) or side is None for side in sides):
        if prefix and None in sides and is_record(before or after):
            return [(prefix, before, after)]  # a day, an entry field or the labels added or removed whole: one row
        before, after = before or {}, after or {}
        found: list[tuple[str, Any, Any]] = []
        for key in sorted(set(before) | set(after), key=str):
            found += leaf_diff(f"{prefix}.{key}" if prefix else str(key), before.get(key), after.get(key))
        return found
    return [(prefix, before, after)]


def is_record(value: dict[Any, Any]) -> bool:
    """Whether a mapping holds no mappings (a day's hours, an entry field), so it reads best as one value."""
    return not any(isinstance(item, dict) for item in value.values())
