"""Time `schemas.load_spec` on valid generated specs of 0.5, 5 and 50 MB: size -> seconds -> peak memory.

Run: `.venv/bin/python -m benchmarks.validate_spec [--sizes 0.5 5 50] [--organisations 1]`. Each size is validated
in a fresh process, so its peak memory (max RSS, the interpreter included) is its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

MEASURE = """
import json, resource, sys, time
import schemas
wall, cpu = time.perf_counter(), time.process_time()
spec = schemas.load_spec(sys.argv[1])
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "clinics": spec.clinic_count()}))
"""

CLINIC = """\
      - key: c-{n}
        name: {org} clinic {n}
        timezone: Australia/Sydney
        labels: {{cost-centre: "cc-{n}"}}
        waiting_area:
          name: Waiting area {n}
          disabled_message: This clinic is closed today; please call reception.
          opening_hours:
            monday: {{open: "08:00", close: "17:00", breaks: [{{start: "12:00", end: "12:30"}}]}}
            tuesday: {{open: "08:00", close: "17:00"}}
            wednesday: {{open: "08:00", close: "17:00", breaks: [{{start: "12:00", end: "12:30"}}]}}
            friday: {{open: "09:00", close: "13:00"}}
          entry_fields:
            - {{label: Date of birth, type: date, required: true}}
            - {{label: Phone, type: phone}}
          automated_messages:
            - {{after_minutes: 10, text: Thank you for waiting; a clinician will be with you soon.}}
          shared_for_transfers: true
        meeting_rooms:
          - {{key: team-{n}, name: Team room {n}, members: [p-{n}-0, p-{n}-1]}}
        group_rooms:
          - {{key: group-{n}, name: Group room {n}, max_participants: 12}}
        user_rooms:
          - {{key: room-{n}, owner: p-{n}-0, name: Room of person {n}.0}}
"""

PERSON = """\
      - key: p-{n}-{i}
        email: p-{n}-{i}@{key}.example
        display_name: Person {n}.{i}
        org_roles: [{org_roles}]
        clinic_roles: [{{clinic: c-{n}, roles: [{roles}], permissions: {{meeting_rooms: true, user_room: {user_room}}}}}]
"""


def organisation(key: str, clinics: int) -> str:
    """One organisation of `clinics` clinics, two people each (an admin and a team member), a user room per clinic."""
    title = key.replace("-", " ").title()
    parts = [f"  - key: {key}\n    name: {title} Health Service\n    timezone: Australia/Sydney\n    clinics:\n"]
    parts += [CLINIC.format(n=n, org=title) for n in range(clinics)]
    parts.append("    people:\n")
    parts += [PERSON.format(n=n, i=i, key=key, org_roles="admin" if n == i == 0 else "", roles="admin" if i == 0 else "team_member",
                            user_room=str(i == 0).lower()) for n in range(clinics) for i in range(2)]
    return "".join(parts)


def spec_text(megabytes: float, organisations: int) -> str:
    """A valid spec of about `megabytes` MB spread over `organisations` organisations."""
    per_clinic = len(organisation("sizing", 2)) / 2
    clinics = max(2, round(megabytes * 1_000_000 / per_clinic / organisations))
    return "version: 1\norganisations:\n" + "".join(organisation(f"org-{o}", clinics) for o in range(organisations))


def measure(path: Path) -> dict[str, float]:
    """Validate the spec in a fresh interpreter and return its timings and peak memory."""
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", MEASURE, str(path)], cwd=root, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> None:
    """Print the table of size -> seconds -> peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.5, 5, 50], metavar="MB")
    parser.add_argument("--organisations", type=int, default=1)
    args = parser.parse_args(argv)
    print("| spec | clinics | seconds (wall) | seconds (CPU) | peak memory |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in args.sizes:
            path = Path(folder) / f"spec-{megabytes}.yaml"
            path.write_text(spec_text(megabytes, args.organisations), encoding="utf-8")
            found = measure(path)
            size = path.stat().st_size / 1_000_000
            print(f"| {size:.1f} MB, {args.organisations} organisation{'s' if args.organisations != 1 else ''} | {found['clinics']:,} "
                  f"| {found['wall']:.2f} s | {found['cpu']:.2f} s | {found['peak_mb']:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
