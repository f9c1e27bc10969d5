"""The example spec applied to a private reference platform, for engine tests that then change things."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pulumi import automation as auto

from devtools.platform import RunningPlatform, running_platform
from platform_client import PlatformClient
from sync.engine import PROJECT_ROOT
from sync.stack import project_stack, scratch_project

EXAMPLE = PROJECT_ROOT / "examples" / "metro-health.yaml"


@dataclass
class Applied:
    """A stack with the example applied: its spec file to edit, a client, and the platform."""

    stack: auto.Stack
    client: PlatformClient
    spec: Path
    platform: RunningPlatform

    @property
    def organisation_id(self) -> str:
        """The id of the (only) organisation on the platform."""
        return next(self.client.organisations.list()).id


@contextmanager
def applied_example(tmp_path: Path, stack_name: str) -> Iterator[Applied]:
    """Apply the example spec as stack `stack_name` to a new private platform, for the block's length."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(EXAMPLE.read_text())
    with running_platform(tmp_path / "platform") as platform, \
            PlatformClient(platform.url, platform.operator_token) as client:
        stack = project_stack(stack_name, api_url=platform.url, api_token=platform.operator_token, spec=str(spec),
                              state_dir=tmp_path / "state", work_dir=scratch_project(tmp_path / "project"))
        stack.up()
        yield Applied(stack, client, spec, platform)
