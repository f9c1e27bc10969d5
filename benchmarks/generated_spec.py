"""A generated structure spec of a chosen size, for benchmarks and scale tests."""

from __future__ import annotations

from typing import Any


def generated_spec(clinics: int, organisation: str = "scale") -> dict[str, Any]:
    """One organisation with `clinics` clinics, each with a waiting area, an admin, a meeting room and a group room.

    That is 1 + 5 × clinics resources (301 for 60 clinics).
    """
    hours = {"open": "08:00", "close": "17:00", "breaks": [{"start": "12:00", "end": "12:30"}]}
    return {
        "version": 1,
        "organisations": [{
            "key": organisation,
            "name": f"{organisation.title()} Health Service",
            "people": [
                {"key": f"admin-{n}", "email": f"admin-{n}@{organisation}.example", "display_name": f"Admin {n}",
                 "org_roles": ["admin"] if n == 0 else [],
                 "clinic_roles": [{"clinic": f"clinic-{n}", "roles": ["admin"], "permissions": {"meeting_rooms": True}}]}
                for n in range(clinics)
            ],
            "clinics": [
                {"key": f"clinic-{n}", "name": f"{organisation.title()} clinic {n}",
                 "waiting_area": {"name": f"Waiting area {n}",
                                  "opening_hours": {day: hours for day in ("monday", "wednesday", "friday")}},
                 "meeting_rooms": [{"key": f"team-{n}", "name": f"Team room {n}", "members": [f"admin-{n}"]}],
                 "group_rooms": [{"key": f"group-{n}", "name": f"Group room {n}", "max_participants": 12}]}
                for n in range(clinics)
            ],
        }],
    }


OBJECTS_PER_ORGANISATION = 500


def health_service(objects: int, prefix: str = "state") -> dict[str, Any]:
    """A state health service of exactly `objects` platform objects, in the mix of issue 10's 1,000.

    One organisation per 500 objects; of each organisation's objects 15 % are clinics, as many waiting
    areas, 30 % meeting rooms (two per clinic, its admins as members), 10 % group rooms, 10 % user
    rooms and about 20 % people (1,000 objects: 2, 150, 150, 300, 100, 100 and 198).
    """
    count = max(1, round(objects / OBJECTS_PER_ORGANISATION))
    sizes = [objects // count + (1 if n < objects % count else 0) for n in range(count)]
    return {"version": 1, "organisations": [_organisation(f"{prefix}-{n}", size) for n, size in enumerate(sizes)]}


def _organisation(key: str, objects: int) -> dict[str, Any]:
    """One organisation of `objects` objects (itself included)."""
    children = objects - 1
    clinics = max(1, round(children * 0.15))
    group_rooms = user_rooms = round(clinics * 2 / 3)
    people = children - 4 * clinics - group_rooms - user_rooms
    assert people >= max(clinics, user_rooms, 1), f"{objects} objects are too few for an organisation"
    hours = {"open": "08:00", "close": "17:00", "breaks": [{"start": "12:00", "end": "12:30"}]}
    title = key.replace("-", " ").title()
    admins = {c: [f"p-{p}" for p in range(people) if p % clinics == c][:2] for c in range(clinics)}
    return {
        "key": key,
        "name": f"{title} Health Service",
        "people": [
            {"key": f"p-{p}", "email": f"p-{p}@{key}.example", "display_name": f"Person {p}",
             "org_roles": ["admin"] if p == 0 else [],
             "clinic_roles": [{"clinic": f"c-{p % clinics}", "roles": ["admin"],
                               "permissions": {"meeting_rooms": True, "user_room": p < user_rooms}}]}
            for p in range(people)
        ],
        "clinics": [
            {"key": f"c-{c}", "name": f"{title} clinic {c}",
             "waiting_area": {"name": f"Waiting area {c}",
                              "opening_hours": {day: hours for day in ("monday", "wednesday", "friday")}},
             "meeting_rooms": [{"key": f"team-{c}-{n}", "name": f"Team room {c}.{n}", "members": admins[c]}
                               for n in range(2)],
             # a user room belongs to its owner's clinic: person p works in clinic p % clinics
             "user_rooms": [{"key": f"room-{u}", "owner": f"p-{u}", "name": f"Room of person {u}"}
                            for u in range(user_rooms) if u % clinics == c]}
            for c in range(clinics)
        ],
        "group_rooms": [{"key": f"group-{g}", "name": f"Group room {g}", "max_participants": 12}
                        for g in range(group_rooms)],
    }
