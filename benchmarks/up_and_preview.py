"""Time `pulumi up`, a no-change `preview`, a drift scan and `destroy` for the example and a ~300-resource spec.

Usage: .venv/bin/python -m benchmarks.up_and_preview [--clinics 60]
Prints one line per step: spec, step, resources, seconds (and API requests for the drift scan).
Starts a private reference platform behind a request-counting proxy.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.generated_spec import generated_spec
from platform_client import PlatformClient
from sync.drift import detect_drift
from sync.engine import PROJECT_ROOT
from sync.stack import project_stack
from sync.stack import scratch_project
from tests.support.counting_proxy import counting_proxy
from tests.support.platform import running_platform


def measure(label: str, spec_text: str, root: Path) -> None:
    """Up, no-change preview and destroy of one spec, each timed."""
    spec = root / f"{label}.yaml"
    spec.write_text(spec_text)
    with running_platform(root / f"{label}-platform") as platform, counting_proxy(platform.url) as proxy:
        stack = project_stack(label, api_url=proxy.url, api_token=platform.operator_token, spec=str(spec),
                              state_dir=root / f"{label}-state", work_dir=scratch_project(root / f"{label}-project"))
        for step in ("up", "preview", "drift", "destroy"):
            proxy.reset()
            started = time.perf_counter()
            if step == "drift":
                with PlatformClient(proxy.url, platform.operator_token) as client:
                    count = detect_drift(stack, client, progress=lambda _line: None).total
            elif step == "preview":
                count = sum(stack.preview().change_summary.values())
            else:
                count = sum((getattr(stack, step)().summary.resource_changes or {}).values())
            seconds = time.perf_counter() - started
            print(f"{label:>10}  {step:<8} {count:>5} resources  {seconds:7.1f} s  {proxy.total:>5} API requests",
                  flush=True)


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
