"""This project built as a wheel and installed into a fresh virtualenv outside the repository, for tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from sync.engine import PROJECT_ROOT

RUNTIME_PACKAGES = ("schemas", "platform_client", "resources", "sync", "platform_server")
BUILD_INPUTS = ("pyproject.toml", "requirements.txt", "README.md", *RUNTIME_PACKAGES)


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run to the end; a failure shows the output."""
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, f"{command}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def built_wheel(root: Path) -> Path:
    """The wheel `pip wheel .` makes of this tree (built from a copy, so the tree gets no build/ folder).

    Offline: setuptools comes from the project's virtualenv (requirements-dev.txt), not a build environment.
    """
    source = root / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        if (PROJECT_ROOT / name).is_dir():
            shutil.copytree(PROJECT_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(PROJECT_ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-build-isolation", "--no-deps", "--no-index",
        "--wheel-dir", root / "dist", ".", cwd=source)
    (built,) = (root / "dist").glob("videocall_iac-*.whl")
    return built


def installed_venv(wheel: Path, venv: Path) -> Path:
    """A fresh virtualenv outside the repository with the wheel installed (its bin folder).

    The dependencies are not installed again: after the install, a .pth file adds the project virtualenv's
    site-packages behind the new one's, so imports of our packages resolve to the installed copies.
    """
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel,
        cwd=venv)
    site_packages = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                             cwd=venv).stdout.strip())
    dependencies = sysconfig.get_paths()["purelib"]
    (site_packages / "zz-project-dependencies.pth").write_text(f"import site; site.addsitedir({dependencies!r})\n")
    return venv / "bin"


def outside_env() -> dict[str, str]:
    """This environment without anything that would put the repository on the import path."""
    return {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "PYTHONHOME")}
