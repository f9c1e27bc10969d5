"""Issue 10's benchmark: up, no-change preview, one change, drift scan and destroy of a state health service,
each beside its floor measured in the same run, at several sizes.

Usage: .venv/bin/python -m benchmarks.up_and_preview [--objects 100 1000 3000] [--parallelism 4]

The floor is a bare requests.Session client (benchmarks/floor.py) making the same creates and deletes with
the same parallelism as Pulumi's (a dynamic-provider process serves 4 calls at once). Each size gets a
private reference platform behind a request-counting proxy. Peak memory is of every process of the run but
the platform (engine, program, providers and this one); CPU seconds are per process role.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pulumi import automation as auto

from benchmarks.floor import FloorClient, floor_destroy, floor_up
from benchmarks.generated_spec import health_service
from benchmarks.process_tree import watched
from devtools.counting_proxy import RequestCount, counting_proxy
from devtools.platform import running_platform
from platform_client import PlatformClient
from sync.drift import detect_drift
from sync.stack import project_stack, scratch_project

ROLES = ("engine", "program", "provider", "platform", "driver")


@dataclass
class Figure:
    """One timed step: seconds, API requests, peak memory and CPU seconds per process role."""

    step: str
    objects: int
    seconds: float
    requests: int
    peak_mb: float
    cpu: dict[str, float] = field(default_factory=dict)
    load: float = 0.0
    """The machine's 1-minute load average when the step ended (2 cores shared with other work)."""
    floor: float | None = None
    target: str = ""
    met: bool | None = None


def timed(step: str, objects: int, proxy: RequestCount, run: Callable[[], Any]) -> Figure:
    """Run one step, counting its requests, time, memory and CPU."""
    proxy.reset()
    started = time.perf_counter()
    with watched() as usage:
        run()
    seconds = time.perf_counter() - started
    return Figure(step, objects, seconds, proxy.total, usage.peak_mb, dict(usage.cpu_seconds), os.getloadavg()[0])


def measure(objects: int, parallelism: int, root: Path) -> list[Figure]:
    """Every step at one size, floors first, on a private platform."""
    spec = health_service(objects)
    spec_path = root / f"spec-{objects}.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    with running_platform(root / f"platform-{objects}") as platform, counting_proxy(platform.url) as proxy:
        floor = FloorClient(proxy.url, platform.operator_token, parallelism, stack=f"floor-{objects}")
        floor_spec = health_service(objects, prefix="floor")
        paths: list[str] = []
        floor_create = timed("floor up", objects, proxy, lambda: paths.extend(floor_up(floor, floor_spec)))
        floor_delete = timed("floor destroy", objects, proxy, lambda: floor_destroy(floor, paths))

        stack = project_stack(f"bench{objects}", api_url=proxy.url, api_token=platform.operator_token,
                              spec=str(spec_path), state_dir=root / f"state-{objects}",
                              work_dir=scratch_project(root / f"project-{objects}"))
        up = timed("up from empty", objects, proxy, lambda: checked(stack.up(color="never"), create=objects + 1))
        preview = timed("no-change preview", objects, proxy, lambda: stack.preview(color="never"))
        spec["organisations"][0]["clinics"][0]["name"] += " (renamed)"
        spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
        change = timed("one-property up", objects, proxy, lambda: checked(stack.up(color="never"), update=1))
        with PlatformClient(proxy.url, platform.operator_token) as client:
            drift = timed("sync drift", objects, proxy, lambda: detect_drift(stack, client, progress=lambda _line: None))
        destroy = timed("destroy", objects, proxy, lambda: checked(stack.destroy(color="never"), delete=objects + 1))
    up.floor, destroy.floor = floor_create.seconds, floor_delete.seconds
    return [floor_create, up, preview, change, drift, floor_delete, destroy]


def checked(result: auto.UpResult | auto.DestroyResult, **expected: int) -> None:
    """Fail loudly if a step did not do what it should (a fast wrong answer is no figure)."""
    changes = {op: count for op, count in (result.summary.resource_changes or {}).items() if op != "same"}
    assert changes == expected, f"expected {expected}, got {changes}"


def judge(figures: list[Figure]) -> None:
    """Set each figure's target from issue 10 and whether it is met."""
    for figure in figures:
        thousand = figure.objects == 1000
        if figure.step in ("up from empty", "destroy") and thousand and figure.floor:
            figure.target, figure.met = "<= 3x floor", figure.seconds <= 3 * figure.floor
        elif figure.step in ("no-change preview", "one-property up") and thousand:
            figure.target, figure.met = "<= 8 s", figure.seconds <= 8
        elif figure.step == "sync drift" and thousand:
            figure.target, figure.met = "<= 5 s, <= 10 req.", figure.seconds <= 5 and figure.requests <= 10
        elif figure.step == "sync drift" and figure.objects == 3000:
            figure.target, figure.met = "<= 12 s", figure.seconds <= 12
        if figure.step == "up from empty" and thousand:
            peak = max(f.peak_mb for f in figures if f.objects == 1000 and not f.step.startswith("floor"))
            figure.target += ("; " if figure.target else "") + f"peak {peak:.0f} MB <= 600"
            figure.met = bool(figure.met) and peak <= 600


def table(figures: list[Figure]) -> str:
    """The figures as a Markdown table (the README's and docs/performance.md's)."""
    rows = ["| objects | step | seconds | floor | x floor | ms/object | requests | peak MB | target | met |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for f in figures:
        ratio = f"{f.seconds / f.floor:.1f}x" if f.floor else ""
        floor = f"{f.floor:.1f}" if f.floor else ""
        met = "" if f.met is None else ("yes" if f.met else "**no**")
        rows.append(f"| {f.objects:,} | {f.step} | {f.seconds:.1f} | {floor} | {ratio} | "
                    f"{1000 * f.seconds / f.objects:.1f} | {f.requests:,} | {f.peak_mb:.0f} | {f.target} | {met} |")
    return "\n".join(rows)


def cpu_table(figures: list[Figure]) -> str:
    """CPU seconds per process role for each step."""
    rows = ["| objects | step | wall s | " + " | ".join(ROLES) + " | load |", "|---:|---|---:|" + "---:|" * (len(ROLES) + 1)]
    for f in figures:
        rows.append(f"| {f.objects:,} | {f.step} | {f.seconds:.1f} | "
                    + " | ".join(f"{f.cpu.get(role, 0.0):.1f}" for role in ROLES) + f" | {f.load:.1f} |")
    return "\n".join(rows)


def main() -> None:
    """Run every size and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", type=int, nargs="+", default=[100, 1000, 3000], help="sizes to measure")
    parser.add_argument("--parallelism", type=int, default=4, help="threads of the floor client (default: 4)")
    args = parser.parse_args()
    os.environ.setdefault("PULUMI_CONFIG_PASSPHRASE", "videocall-iac-benchmark")
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as folder:
        for objects in args.objects:
            measured = measure(objects, args.parallelism, Path(folder))
            for figure in measured:
                print(f"{figure.objects:>6} {figure.step:<18} {figure.seconds:7.1f} s {figure.requests:>6} requests "
                      f"{figure.peak_mb:6.0f} MB", flush=True)
            figures += measured
    judge(figures)
    print(f"\n{os.cpu_count()} cores; floor: bare requests.Session, {args.parallelism} threads\n")
    print(table(figures))
    print("\nCPU seconds by process, and the machine's load average as each step ended:\n")
    print(cpu_table(figures))


if __name__ == "__main__":
    main()
