"""Time `pulumi up` and a no-change `pulumi preview` for the example spec and a generated ~300-resource spec.

Usage: .venv/bin/python -m benchmarks.up_and_preview [--clinics 60]
Prints one line per step: spec, step, resources, seconds. Starts a private reference platform.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.generated_spec import generated_spec
from sync.engine import PROJECT_ROOT
from sync.stack import project_stack
from sync.stack import scratch_project
from tests.support.platform import running_platform


def measure(label: str, spec_text: str, root: Path) -> None:
    """Up, no-change preview and destroy of one spec, each timed."""
    spec = root / f"{label}.yaml"
    spec.write_text(spec_text)
    with running_platform(root / f"{label}-platform") as platform:
        stack = project_stack(label, api_url=platform.url, api_token=platform.operator_token, spec=str(spec),
                              state_dir=root / f"{label}-state", work_dir=scratch_project(root / f"{label}-project"))
        for step in ("up", "preview", "destroy"):
            started = time.perf_counter()
            result = getattr(stack, step)()
            seconds = time.perf_counter() - started
            if step == "preview":
                count = sum(result.change_summary.values())
            else:
                count = sum((result.summary.resource_changes or {}).values())
            print(f"{label:>10}  {step:<8} {count:>5} resources  {seconds:7.1f} s", flush=True)


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clinics", type=int, default=60, help="clinics in the generated spec (5 resources each)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        measure("example", (PROJECT_ROOT / "examples" / "metro-health.yaml").read_text(), root)
        measure("generated", yaml.safe_dump(generated_spec(args.clinics)), root)


if __name__ == "__main__":
    main()
