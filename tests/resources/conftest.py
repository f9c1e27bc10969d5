"""Engine fixtures: a private reference platform and the real project program run by `pulumi` in a scratch folder."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi import automation as auto

from platform_client import PlatformClient
from sync.engine import PROJECT_ROOT, VENV
from sync.stack import project_stack
from tests.support.platform import RunningPlatform, running_platform

EXAMPLE_SPEC = PROJECT_ROOT / "examples" / "metro-health.yaml"


def scratch_project(folder: Path) -> Path:
    """A project folder whose program is this repository's, so stack files stay out of the repository."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.yaml").write_text(textwrap.dedent(f"""\
        name: videocall-iac
        main: {PROJECT_ROOT}
        runtime:
          name: python
          options:
            toolchain: pip
            virtualenv: {VENV}
        """))
    return folder


@dataclass
class Deployment:
    """A stack of the real program against a private platform, and a client to look behind its back."""

    stack: auto.Stack
    platform: RunningPlatform
    client: PlatformClient
    spec_path: Path
    state_dir: Path

    def write_spec(self, spec: dict[str, Any]) -> None:
        """Replace the stack's spec file."""
        self.spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))

    def organisation_tree(self, name: str = "Metro Health") -> Any:
        """The platform's whole tree of the organisation with that name."""
        org = next(org for org in self.client.organisations.list() if org.name == name)
        return self.client.organisations.tree(org.id)

    def state_text(self) -> str:
        """The exported deployment (the state file's content) as JSON text."""
        return json.dumps(self.stack.export_stack().deployment)


def load_example() -> dict[str, Any]:
    """The example spec as plain data, to edit in tests."""
    return yaml.safe_load(EXAMPLE_SPEC.read_text())


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """The example spec's stack on a private platform (nothing applied yet)."""
    root = tmp_path_factory.mktemp("deployment")
    with running_platform(root / "platform") as platform:
        spec_path = root / "spec.yaml"
        spec_path.write_text(EXAMPLE_SPEC.read_text())
        stack = project_stack(
            "test", api_url=platform.url, api_token=platform.operator_token, spec=str(spec_path),
            state_dir=root / "state", work_dir=scratch_project(root / "project"),
        )
        client = PlatformClient(platform.url, platform.operator_token)
        yield Deployment(stack, platform, client, spec_path, root / "state")
        client.close()
