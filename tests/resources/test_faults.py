"""With errors, lost responses and throttling injected, `pulumi up` still converges with no duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.counting_proxy import counting_proxy
from devtools.platform import running_platform
from platform_client import PlatformClient
from sync.stack import project_stack
from sync.stack import scratch_project
from tests.resources.conftest import EXAMPLE, declared_counts, platform_counts

pytestmark = [pytest.mark.engine, pytest.mark.slow]


def test_up_converges_under_faults(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text((Path(__file__).resolve().parents[2] / "examples" / "metro-health.yaml").read_text())
    with running_platform(tmp_path / "platform") as platform, counting_proxy(platform.url) as proxy:
        stack = project_stack(
            "faulty", api_url=proxy.url, api_token=platform.operator_token, spec=str(spec),
            state_dir=tmp_path / "state", work_dir=scratch_project(tmp_path / "project"),
        )
        # The storm a real platform can have on a bad day: 30% 5xx, 15% answers lost after commit, and a rate
        # limit the run keeps hitting. 429s cost only time: they never use up the attempts kept for real failures.
        platform.set_faults(error_rate=0.3, drop_rate=0.15, rate_limit_per_minute=20, seed=7)
        stack.up()
        platform.set_faults(error_rate=0.0, drop_rate=0.0, rate_limit_per_minute=None)
        faults_met = {status for status in proxy.by_status if status in ("429", "500", "503", "dropped")}
        assert faults_met == {"429", "500", "503", "dropped"}, proxy.by_status

        with PlatformClient(platform.url, platform.operator_token) as client:
            organisations = list(client.organisations.list())
            assert [org.name for org in organisations] == ["Metro Health"]
            assert platform_counts(client.organisations.tree(organisations[0].id)) == declared_counts(EXAMPLE)
        assert {op for op, n in stack.preview().change_summary.items() if n and op != "same"} == set()
