"""A drift scan of a ~300-object organisation costs a handful of API requests, not one per object."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from benchmarks.generated_spec import generated_spec
from devtools.counting_proxy import counting_proxy
from devtools.platform import running_platform
from platform_client import PlatformClient
from sync.drift import detect_drift
from sync.stack import project_stack, scratch_project

pytestmark = [pytest.mark.engine, pytest.mark.slow]

CLINICS = 60  # 301 objects: 60 clinics, 60 waiting areas, 60 people, 120 rooms and the organisation
MAX_DRIFT_REQUESTS = 12


def test_drift_scan_requests_are_bounded(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(generated_spec(CLINICS)))
    with running_platform(tmp_path / "platform") as platform, counting_proxy(platform.url) as proxy:
        stack = project_stack("scale", api_url=proxy.url, api_token=platform.operator_token, spec=str(spec),
                              state_dir=tmp_path / "state", work_dir=scratch_project(tmp_path / "project"))
        stack.up()
        proxy.reset()
        with PlatformClient(proxy.url, platform.operator_token) as client:
            report = detect_drift(stack, client, progress=lambda _line: None)
        assert report.total == 1 + 5 * CLINICS and report.managed == report.total
        assert report.in_sync
        assert proxy.total <= MAX_DRIFT_REQUESTS, proxy.by_route
        assert proxy.by_route["GET /v1/organisations"] >= 1  # the bulk tree reads
