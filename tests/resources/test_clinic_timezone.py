"""The organisation's timezone is the default of clinics created later, as on the platform: changing it changes no clinic."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from devtools.platform import running_platform
from platform_client import PlatformClient
from sync.stack import project_stack, scratch_project

pytestmark = [pytest.mark.engine, pytest.mark.slow]


def spec(timezone: str, clinics: list[dict[str, str]]) -> dict:
    """One organisation with these clinics and their admin."""
    return {"version": 1, "organisations": [{
        "key": "tz", "name": "Timezone Health", "timezone": timezone, "clinics": clinics,
        "people": [{"key": "ada", "email": "ada@tz.example", "display_name": "Ada", "org_roles": ["admin"],
                    "clinic_roles": [{"clinic": clinic["key"], "roles": ["admin"]} for clinic in clinics]}],
    }]}


def test_an_organisation_timezone_change_leaves_existing_clinics_alone(tmp_path: Path) -> None:
    with running_platform(tmp_path / "platform") as platform, \
            PlatformClient(platform.url, platform.operator_token) as client:
        path = tmp_path / "spec.yaml"
        path.write_text(yaml.safe_dump(spec("Australia/Perth", [{"key": "north", "name": "TZ North"}])))
        stack = project_stack("tz", api_url=platform.url, api_token=platform.operator_token, spec=str(path),
                              state_dir=tmp_path / "state", work_dir=scratch_project(tmp_path / "project"))
        stack.up()
        org = next(client.organisations.list())
        assert [c.timezone for c in client.organisations.tree(org.id).clinics] == ["Australia/Perth"]

        clinics = [{"key": "north", "name": "TZ North"}, {"key": "south", "name": "TZ South"}]
        path.write_text(yaml.safe_dump(spec("Australia/Darwin", clinics)))
        stack.up()
        timezones = {c.name: c.timezone for c in client.organisations.tree(org.id).clinics}
        assert timezones == {"TZ North": "Australia/Perth", "TZ South": "Australia/Darwin"}

        refreshed = stack.refresh().summary.resource_changes or {}
        assert set(refreshed) <= {"same"}, refreshed
        planned = stack.preview().change_summary
        assert {op for op, count in planned.items() if count and op != "same"} == set(), planned
        stack.destroy()
