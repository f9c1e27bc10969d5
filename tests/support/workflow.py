"""Run the one job of a GitHub Actions workflow here as a runner would: its scripts are tested, not its strings.

`run:` steps run in bash as GitHub runs them (`bash --noprofile --norc -eo pipefail`), with the workflow's, the
job's and the step's `env`, `GITHUB_OUTPUT` and the step's `if:`; actions/github-script steps run their script
with node against the API at GITHUB_API_URL (`github_script.js`); any other action is played by a stand-in the
caller gives (`actions`), and an action without one fails its step.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

GITHUB_SCRIPT = Path(__file__).with_name("github_script.js")
STEP_TIMEOUT_SECONDS = 900
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")
TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\)|,)|(?P<name>[A-Za-z_][\w.-]*))")
OPERATORS = {"&&": " and ", "||": " or ", "!": " not "}
STATUS_FUNCTIONS = ("always", "success", "failure", "cancelled")

Action = Callable[["JobRun", dict[str, Any]], None]
"""A stand-in for a `uses:` action: it may add folders to `run.path`; raising fails the step."""


@dataclass
class StepResult:
    """What a step did: its name, `success`, `failure` or `skipped`, and what it printed."""

    name: str
    outcome: str
    output: str = ""


@dataclass
class JobRun:
    """One run of a job: its contexts, the steps' results and outputs, and the folders added to PATH."""

    workspace: Path
    contexts: dict[str, Any]
    actions: Mapping[str, Action]
    path: list[str] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    results: list[StepResult] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Whether a step failed (the job's status)."""
        return any(result.outcome == "failure" for result in self.results)

    def step(self, name: str) -> StepResult:
        """The result of the step whose name starts with `name`."""
        return next(result for result in self.results if result.name.startswith(name))

    def log(self) -> str:
        """Every step's outcome and output, for assertion messages."""
        return "\n".join(f"--- {r.name}: {r.outcome}\n{r.output}" for r in self.results)

    def lookup(self, name: str) -> Any:
        """A context value such as `secrets.X`, `steps.drift.outputs.exit_code` or `github.event.number`."""
        value: Any = {**self.contexts, "steps": {k: {"outputs": v} for k, v in self.outputs.items()}}
        for part in name.split("."):
            value = value.get(part, "") if isinstance(value, Mapping) else ""
        return value

    def hash_files(self, pattern: str) -> str:
        """hashFiles(): a hash of the file, or '' when it does not exist."""
        path = self.workspace / pattern
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""

    def evaluate(self, expression: str) -> Any:
        """The value of a GitHub expression (contexts, literals, == != && || !, status functions, hashFiles)."""
        python, position, expression = [], 0, expression.strip()
        while position < len(expression):
            token = TOKEN.match(expression, position)
            if token is None:
                raise ValueError(f"cannot read the expression {expression!r} at {position}")
            position = token.end()
            if token["string"]:
                python.append(repr(token["string"][1:-1].replace("''", "'")))
            elif token["op"]:
                python.append(OPERATORS.get(token["op"], token["op"]))
            elif token["name"] in (*STATUS_FUNCTIONS, "hashFiles"):
                python.append(f"fn_{token['name']}")
            else:
                python.append(f"lookup({token['name']!r})")
        functions = {"fn_always": lambda: True, "fn_success": lambda: not self.failed,
                     "fn_failure": lambda: self.failed, "fn_cancelled": lambda: False, "fn_hashFiles": self.hash_files}
        return eval("".join(python), {"__builtins__": {}}, {"lookup": self.lookup, **functions})  # the workflow files are ours: only tokens read above reach eval

    def expand(self, text: Any) -> str:
        """A value with each `${{ … }}` replaced by the expression's value."""
        return EXPRESSION.sub(lambda found: str(self.evaluate(found[1])), str(text))

    def should_run(self, step: dict[str, Any]) -> bool:
        """The step's `if:` (implicitly `success() && …` without a status function)."""
        condition = str(step.get("if", "success()")).strip()
        condition = EXPRESSION.fullmatch(condition)[1] if EXPRESSION.fullmatch(condition) else condition
        if not any(f"{name}(" in condition for name in STATUS_FUNCTIONS):
            condition = f"success() && ({condition})"
        return bool(self.evaluate(condition))


def run_job(workflow: Path, workspace: Path, *, contexts: dict[str, Any], actions: Mapping[str, Action],
            base_env: Mapping[str, str]) -> JobRun:
    """Run the workflow's only job in `workspace`; `contexts` holds secrets, vars, inputs and github."""
    data = yaml.safe_load(workflow.read_text())
    (job,) = data["jobs"].values()
    run = JobRun(workspace, contexts, actions)
    env = dict(base_env)
    for level in (data.get("env", {}), job.get("env", {})):
        env |= {name: run.expand(value) for name, value in level.items()}
    run.contexts["env"] = env
    for number, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses", f"step {number}")
        if not run.should_run(step):
            run.results.append(StepResult(name, "skipped"))
            continue
        step_env = env | {name: run.expand(value) for name, value in step.get("env", {}).items()}
        run.results.append(run_step(run, step, name, step_env))
    return run


def run_step(run: JobRun, step: dict[str, Any], name: str, env: dict[str, str]) -> StepResult:
    """Run one step: a script in bash, a github-script in node, or another action's stand-in."""
    temp = run.workspace.parent / f"{run.workspace.name}-runner-temp"
    temp.mkdir(exist_ok=True)
    outputs = temp / f"output-{len(run.results)}"
    outputs.write_text("")
    env = env | {"GITHUB_OUTPUT": str(outputs), "RUNNER_TEMP": str(temp), "GITHUB_WORKSPACE": str(run.workspace),
                 "PATH": os.pathsep.join([*run.path, env.get("PATH", "")])}
    if "run" in step:
        script = temp / f"step-{len(run.results)}.sh"
        script.write_text(step["run"])
        command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)]
    elif step["uses"].startswith("actions/github-script@"):
        script = temp / f"step-{len(run.results)}.js"
        script.write_text(step["with"]["script"])
        command = ["node", str(GITHUB_SCRIPT), str(script)]
    else:
        return play_action(run, step, name)
    done = subprocess.run(command, cwd=run.workspace, env=env, capture_output=True, text=True,
                          timeout=STEP_TIMEOUT_SECONDS, check=False)
    if "id" in step:
        run.outputs[step["id"]] = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return StepResult(name, "success" if done.returncode == 0 else "failure", done.stdout + done.stderr)


def play_action(run: JobRun, step: dict[str, Any], name: str) -> StepResult:
    """Run the caller's stand-in for an action (looked up by `owner/name` without the version)."""
    action = step["uses"].split("@", 1)[0]
    stand_in = run.actions.get(action)
    if stand_in is None:
        return StepResult(name, "failure", f"no stand-in for the action {action}")
    try:
        stand_in(run, step)
    except Exception as error:  # noqa: BLE001 - a failing action fails its step, as on GitHub
        return StepResult(name, "failure", str(error))
    return StepResult(name, "success")


def event_file(folder: Path, event: dict[str, Any]) -> Path:
    """The webhook payload file that GITHUB_EVENT_PATH names."""
    path = folder / "event.json"
    path.write_text(json.dumps(event))
    return path
