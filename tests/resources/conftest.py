"""Engine fixtures: a private reference platform and the real project program run by `pulumi` in a scratch folder."""

from __future__ import annotations

from collections.abc import Iterator
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi import automation as auto

from devtools.platform import RunningPlatform, running_platform
from platform_client import PlatformClient
from sync.engine import PROJECT_ROOT
from sync.stack import project_stack, scratch_project, workspace_options

EXAMPLE_SPEC = PROJECT_ROOT / "examples" / "metro-health.yaml"


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


def inline_stack(program: Any, platform: RunningPlatform, state_dir: Path, name: str = "inline") -> auto.Stack:
    """A stack whose program is a Python function (resources declared from code, without a spec)."""
    workspace = workspace_options(state_dir, project="videocall-iac")
    stack = auto.create_or_select_stack(name, project_name="videocall-iac", program=program, opts=workspace)
    stack.set_all_config({
        "videocall:apiUrl": auto.ConfigValue(platform.url),
        "videocall:apiToken": auto.ConfigValue(platform.operator_token, secret=True),
    })
    return stack


EXAMPLE = yaml.safe_load(EXAMPLE_SPEC.read_text())


def declared_counts(spec: dict) -> Counter[str]:
    """How many objects of each kind the spec declares."""
    counts: Counter[str] = Counter()
    for org in spec["organisations"]:
        counts["organisation"] += 1
        counts["member"] += len(org.get("people", []))
        counts["user_room"] += len(org.get("user_rooms", []))
        counts["meeting_room"] += len(org.get("meeting_rooms", []))
        counts["group_room"] += len(org.get("group_rooms", []))
        for clinic in org.get("clinics", []):
            counts["clinic"] += 1
            counts["waiting_area"] += 1 if clinic.get("waiting_area") else 0
            counts["user_room"] += len(clinic.get("user_rooms", []))
            counts["meeting_room"] += len(clinic.get("meeting_rooms", []))
            counts["group_room"] += len(clinic.get("group_rooms", []))
    return counts


def platform_counts(tree) -> Counter[str]:
    """How many objects of each kind the platform holds for the organisation."""
    return Counter({
        "organisation": 1,
        "clinic": len(tree.clinics),
        "waiting_area": sum(1 for clinic in tree.clinics if clinic.waiting_area),
        "meeting_room": len(tree.meeting_rooms),
        "group_room": len(tree.group_rooms),
        "user_room": len(tree.user_rooms),
        "member": len(tree.members),
    })
