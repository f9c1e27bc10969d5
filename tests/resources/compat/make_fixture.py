"""Write the state-compatibility fixture: the example applied by this version, its stack export and platform database.

Run from the project root when the fixture must be remade (never in tests):
    .venv/bin/python -m tests.resources.compat.make_fixture
The test `test_state_compatibility.py` refreshes and destroys this old stack with today's code.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from devtools.platform import running_platform
from platform_server.app import DATABASE_FILE
from sync.stack import project_stack, scratch_project
from tests.support.applied import EXAMPLE

FIXTURE = Path(__file__).resolve().parent
STACK_NAME = "compat"
OPERATOR_TOKEN = "vct_fixture_state_compatibility_only"  # opens only this fixture's private test platform
PASSPHRASE = "videocall-iac-tests"  # the test suite's (tests/conftest.py); the state holds no secret of value


def without_source_positions(value: Any) -> Any:
    """The export without the engine's source positions, which hold this machine's paths."""
    if isinstance(value, dict):
        return {key: without_source_positions(item) for key, item in value.items()
                if key not in ("sourcePosition", "stackTrace")}
    if isinstance(value, list):
        return [without_source_positions(item) for item in value]
    return value


def main() -> None:
    """Apply the example to a fresh private platform and keep the stack export and the platform's database."""
    os.environ["PULUMI_CONFIG_PASSPHRASE"] = PASSPHRASE
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        spec = root / "spec.yaml"
        shutil.copy(EXAMPLE, spec)
        with running_platform(root / "platform", operator_token=OPERATOR_TOKEN) as platform:
            stack = project_stack(STACK_NAME, api_url=platform.url, api_token=platform.operator_token,
                                  spec=str(spec), state_dir=root / "state", work_dir=scratch_project(root / "project"))
            stack.up()
            deployment = stack.export_stack()
        with sqlite3.connect(root / "platform" / DATABASE_FILE) as source, \
                sqlite3.connect(FIXTURE / DATABASE_FILE) as copy:
            source.backup(copy)  # one file, with whatever the write-ahead log still held
    (FIXTURE / "stack.json").write_text(json.dumps(without_source_positions(deployment.deployment), indent=1,
                                                   sort_keys=True) + "\n")
    shutil.copy(EXAMPLE, FIXTURE / "spec.yaml")
    (FIXTURE / "made-by.txt").write_text(f"made by commit {commit} with make_fixture.py\n")
    print("fixture written:", ", ".join(sorted(path.name for path in FIXTURE.iterdir())))


if __name__ == "__main__":
    main()
