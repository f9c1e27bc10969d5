"""A stack of the real program for a generated spec, on a private reference platform behind a counting proxy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from pulumi import automation as auto

from devtools.counting_proxy import RequestCount, counting_proxy
from devtools.platform import RunningPlatform, running_platform
from sync.stack import project_stack, scratch_project


@contextmanager
def spec_stack(root: Path, name: str, spec: dict[str, Any]) -> Iterator[tuple[auto.Stack, RunningPlatform, RequestCount]]:
    """The stack `name` for `spec`, with its platform and the proxy counting its requests, in folders under `root`."""
    spec_path = root / f"{name}-spec.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    with running_platform(root / f"{name}-platform") as platform, counting_proxy(platform.url) as proxy:
        stack = project_stack(name, api_url=proxy.url, api_token=platform.operator_token, spec=str(spec_path),
                              state_dir=root / f"{name}-state", work_dir=scratch_project(root / f"{name}-project"))
        yield stack, platform, proxy
