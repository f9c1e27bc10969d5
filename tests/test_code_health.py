"""The code stays free of the mistakes a linter finds at once: unused imports, undefined names, syntax errors."""

from __future__ import annotations

import subprocess
import sys

from sync.engine import PROJECT_ROOT


def test_pyflakes_rules_pass() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "F,E9", "--extend-exclude", ".venv,.pulumi-engine", "--output-format", "concise", "."],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
