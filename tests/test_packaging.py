"""The distribution: a wheel built from this tree installs the runtime packages and `videocall-sync` into a fresh
virtualenv, where they work from any folder; development code (devtools/, tests/, benchmarks/) stays out of it,
and no runtime module imports it.
"""

from __future__ import annotations

import ast
import json
import sys
import zipfile
from pathlib import Path


from sync.engine import PROJECT_ROOT
from tests.support.installed import RUNTIME_PACKAGES, outside_env, run

DEVELOPMENT_PACKAGES = ("devtools", "tests", "benchmarks")
PACKAGE_DATA = (
    "schemas/structure-spec.schema.json",
    "platform_server/templates/base.html",
    "platform_server/templates/entry.html",
    "platform_server/templates/notice.html",
    "platform_server/templates/queue.html",
    "platform_server/assets/entry.css",
    "platform_server/assets/entry.js",
)


def test_the_wheel_holds_the_runtime_packages_their_data_and_the_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
        entry_points = next(archive.read(name).decode() for name in names if name.endswith(".dist-info/entry_points.txt"))
        metadata = next(archive.read(name).decode() for name in names if name.endswith(".dist-info/METADATA"))
    assert top_level == set(RUNTIME_PACKAGES)
    assert [data for data in PACKAGE_DATA if data not in names] == []
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert "videocall-sync = sync.__main__:main" in entry_points
    pinned = [line.strip() for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    required = [line.removeprefix("Requires-Dist: ") for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    assert len(required) == len(pinned) and "pulumi==3.272.0" in required


def test_the_installed_packages_import_from_any_folder(installed: Path, tmp_path: Path) -> None:
    probe = (
        "import importlib.resources, json, sys\n"
        "from resources import WaitingArea\n"
        "import schemas, platform_client, sync, platform_server\n"
        "import sync.__main__, platform_server.app\n"
        "files = {name: sys.modules[name].__file__ for name in %r}\n"
        "data = [str(importlib.resources.files(path.split('/')[0]).joinpath(*path.split('/')[1:]).is_file())\n"
        "        for path in %r]\n"
        "import importlib.util\n"
        "development = {name: getattr(importlib.util.find_spec(name), 'origin', None) for name in %r}\n"
        "print(json.dumps({'files': files, 'data': data, 'development': development}))\n"
    ) % (RUNTIME_PACKAGES, PACKAGE_DATA, DEVELOPMENT_PACKAGES)
    found = json.loads(run(installed / "python", "-c", probe, cwd=tmp_path, env=outside_env()).stdout)
    venv = installed.parent.resolve()
    assert all(Path(file).resolve().is_relative_to(venv) for file in found["files"].values()), found["files"]
    assert found["data"] == ["True"] * len(PACKAGE_DATA)
    # Not installed, and the repository is not on the path (a stray `tests` of some dependency would not count).
    assert not [origin for origin in found["development"].values()
                if origin and (Path(origin).resolve().is_relative_to(venv) or Path(origin).resolve().is_relative_to(PROJECT_ROOT))]


def test_videocall_sync_is_python_m_sync(installed: Path, tmp_path: Path) -> None:
    script = run(installed / "videocall-sync", "--help", cwd=tmp_path, env=outside_env())
    module = run(installed / "python", "-m", "sync", "--help", cwd=tmp_path, env=outside_env())
    assert script.stdout.replace("videocall-sync", "python -m sync") == module.stdout and "drift" in script.stdout
    assert script.stdout.startswith("usage: videocall-sync"), "it names itself as the user typed it"
    run(installed / "videocall-sync", "drift", "--help", cwd=tmp_path, env=outside_env())


def runtime_modules() -> list[str]:
    """Every module of the runtime packages, by dotted name."""
    modules = []
    for package in RUNTIME_PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


# Each module is imported in a child forked from an interpreter that has loaded only third-party libraries (to
# spare 120 start-ups of pulumi and FastAPI): the child starts with none of this project's modules loaded.
IMPORT_EACH = """
import importlib, json, os, sys
import fastapi, jinja2, pulumi, pulumi.automation, pulumi.dynamic, pydantic, requests, tenacity, uvicorn, yaml
DEVELOPMENT = set(sys.argv[1].split(","))
assert not [m for m in sys.modules if m.split(".")[0] in DEVELOPMENT | set(sys.argv[2].split(","))]
found = {}
for name in sys.argv[3:]:
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read)
        try:
            importlib.import_module(name)
            answer = sorted(m for m in sys.modules if m.split(".")[0] in DEVELOPMENT)
        except BaseException as error:
            answer = [f"import failed: {error!r}"]
        os.write(write, json.dumps(answer).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        found[name] = json.loads(pipe.read() or '["child died"]')
    os.waitpid(child, 0)
print(json.dumps(found))
"""


def test_no_runtime_module_imports_development_code(tmp_path: Path) -> None:
    modules = runtime_modules()
    assert len(modules) > 50 and "sync.__main__" in modules and "platform_server.app" in modules
    result = run(sys.executable, "-c", IMPORT_EACH, ",".join(DEVELOPMENT_PACKAGES), ",".join(RUNTIME_PACKAGES),
                 *modules, cwd=tmp_path, env={**outside_env(), "PYTHONPATH": str(PROJECT_ROOT)})
    found = json.loads(result.stdout)
    assert sorted(found) == sorted(modules)
    assert {name: loaded for name, loaded in found.items() if loaded} == {}


def test_no_runtime_source_names_development_code() -> None:
    """Imports inside functions too, which importing a module does not run."""
    named = []
    for package in RUNTIME_PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                targets = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                           else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
                named += [f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} {target}" for target in targets
                          if target.split(".")[0] in DEVELOPMENT_PACKAGES]
    assert named == []
