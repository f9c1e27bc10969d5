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
                 "org_roles": ["admin"] if n == 0 else [], "clinic_roles": [{"clinic": f"clinic-{n}", "roles": ["admin"]}],
                 "permissions": {"meeting_rooms": True}}
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
