"""What Pulumi costs per resource, and what batching one clinic's objects into one resource would save.

Usage: .venv/bin/python -m benchmarks.batching [--objects 1000]

The same state health service (benchmarks/generated_spec.py) is declared twice with resources that call no
API (benchmarks/null_provider.py), so every second is the engine's, the SDK's and the provider process's:
- per object: one resource per platform object, with the program's dependencies (clinics on their
  organisation, people on clinics, rooms on people), as resources/program.py declares them;
- per clinic: one resource per clinic (the clinic, its waiting area and its rooms), one for each
  organisation, one for its people and one for its organisation-level rooms; references by spec key.
Prints up from empty, a no-change preview and destroy for each, with CPU seconds by process.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from benchmarks.generated_spec import health_service
from benchmarks.null_provider import NullObject
from benchmarks.process_tree import watched
from resources.sdk_overhead import remove_sdk_overhead
from sync.stack import workspace_options

ROLES = ("engine", "driver", "provider")
"""Inline programs run in this (driver) process."""


def per_object(spec: dict[str, Any]) -> Callable[[], None]:
    """A program with one resource per platform object."""
    def program() -> None:
        remove_sdk_overhead()
        for org in spec["organisations"]:
            key = org["key"]
            parent = NullObject(key, {"name": org["name"]})
            clinics = {c["key"]: NullObject(f"{key}.{c['key']}", {"name": c["name"], "org": parent.id})
                       for c in org["clinics"]}
            for c in org["clinics"]:
                NullObject(f"{key}.{c['key']}.area", {**c["waiting_area"], "clinic": clinics[c["key"]].id})
            people = {p["key"]: NullObject(f"{key}.{p['key']}", {
                **{k: v for k, v in p.items() if k != "clinic_roles"},
                "clinic_roles": [{"clinic": clinics[r["clinic"]].id, "roles": r["roles"]} for r in p["clinic_roles"]],
            }) for p in org["people"]}
            for c in org["clinics"]:
                for room in c["meeting_rooms"]:
                    NullObject(f"{key}.{room['key']}", {**room, "members": [people[m].id for m in room["members"]]})
            for room in org["group_rooms"]:
                NullObject(f"{key}.{room['key']}", {**room, "org": parent.id})
            for c in org["clinics"]:
                for room in c.get("user_rooms", []):
                    NullObject(f"{key}.{room['key']}", {**room, "owner": people[room["owner"]].id})
    return program


def per_clinic(spec: dict[str, Any]) -> Callable[[], None]:
    """A program with one resource per clinic, organisation, organisation's people and organisation's rooms."""
    def program() -> None:
        remove_sdk_overhead()
        for org in spec["organisations"]:
            key = org["key"]
            parent = NullObject(key, {"name": org["name"]})
            for clinic in org["clinics"]:
                NullObject(f"{key}.{clinic['key']}", {**clinic, "org": parent.id})
            NullObject(f"{key}.people", {"people": org["people"], "org": parent.id})
            NullObject(f"{key}.rooms", {"group_rooms": org["group_rooms"], "org": parent.id})
    return program


def measure(shape: str, program: Callable[[], None], root: Path) -> list[str]:
    """Up, no-change preview and destroy of one program shape; one table row each."""
    workspace = workspace_options(root / f"state-{shape}", project="videocall-bench")
    stack = auto.create_or_select_stack(shape, project_name="videocall-bench", program=program, opts=workspace)
    rows = []
    for step, run in (("up from empty", stack.up), ("no-change preview", stack.preview), ("destroy", stack.destroy)):
        started = time.perf_counter()
        with watched() as usage:
            result = run(color="never")
        seconds = time.perf_counter() - started
        summary = result.change_summary if isinstance(result, auto.PreviewResult) else result.summary.resource_changes
        resources = sum((summary or {}).values()) - 1  # the stack itself
        cpu = " | ".join(f"{usage.cpu_seconds.get(role, 0.0):.1f}" for role in ROLES)
        rows.append(f"| {shape} | {resources:,} | {step} | {seconds:.1f} | {1000 * seconds / resources:.1f} | {cpu} | "
                    f"{usage.peak_mb:.0f} |")
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    """Measure both shapes and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", type=int, default=1000, help="platform objects in the generated spec")
    args = parser.parse_args()
    os.environ.setdefault("PULUMI_CONFIG_PASSPHRASE", "videocall-iac-benchmark")
    spec = health_service(args.objects)
    header = ["| resources | count | step | seconds | ms/resource | " + " | ".join(ROLES) + " CPU s | peak MB |",
              "|---|---:|---|---:|---:|" + "---:|" * len(ROLES) + "---:|"]
    print("\n".join(header), flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for shape, program in (("per-object", per_object(spec)), ("per-clinic", per_clinic(spec))):
            measure(shape, program, Path(folder))


if __name__ == "__main__":
    main()
