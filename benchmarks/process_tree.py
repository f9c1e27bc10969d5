"""Peak memory and CPU time of this process and everything it starts (engine, program, providers, platform)."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.25


@dataclass
class TreeUsage:
    """What a process tree used while watched: peak resident memory of all its processes, CPU by role."""

    peak_bytes: int = 0
    cpu_seconds: Counter[str] = field(default_factory=Counter)
    """CPU seconds per role (engine, program, provider, platform, …), of processes seen while watched."""
    since: int = 0
    """When watching began, in clock ticks since boot (the unit of a process's start time)."""
    _last: dict[tuple[int, int], tuple[str, float]] = field(default_factory=dict)

    @property
    def peak_mb(self) -> float:
        """Peak resident memory of all the processes at once, in MB."""
        return self.peak_bytes / 1e6

    def sample(self, root: int) -> None:
        """Add one sample of the tree under `root`; the platform's memory is not the tool's, so not in the peak."""
        total = 0
        for process, (role, cpu, rss) in _tree(root).items():
            total += rss if role != "platform" else 0
            previous = self._last.get(process)
            if previous is not None or process[1] >= self.since:  # a process older than the block: from now on
                self.cpu_seconds[role] += cpu - (previous[1] if previous else 0.0)
            self._last[process] = (role, cpu)
        self.peak_bytes = max(self.peak_bytes, total)


@contextmanager
def watched() -> Iterator[TreeUsage]:
    """Sample this process's tree every 0.25 s during the block (CPU counted for processes seen, to their last sample)."""
    usage, stop, root = TreeUsage(since=_ticks_since_boot()), threading.Event(), os.getpid()
    for process, (role, cpu, _rss) in _tree(root).items():
        usage._last[process] = (role, cpu)

    def loop() -> None:
        while not stop.wait(SAMPLE_SECONDS):
            usage.sample(root)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield usage
    finally:
        stop.set()
        thread.join()
        usage.sample(root)


def _tree(root: int) -> dict[tuple[int, int], tuple[str, float, int]]:
    """(role, CPU seconds, resident bytes) of `root` and its descendants, by (pid, start time) so a reused pid is
    a new process; found through /proc/<pid>/task/*/children."""
    found: dict[tuple[int, int], tuple[str, float, int]] = {}
    queue = [root]
    while queue:
        pid = queue.pop()
        proc = Path(f"/proc/{pid}")
        try:
            raw = (proc / "stat").read_text()
            fields = raw[raw.rindex(")") + 2:].split()
            key = (pid, int(fields[19]))
            if key not in _roles:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                if not cmdline:
                    continue  # exiting: its last CPU is not worth a wrong role
                _roles[key] = role_of(cmdline)
            for task in (proc / "task").iterdir():
                queue += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
        found[key] = (_roles[key], (int(fields[11]) + int(fields[12])) / TICK, int(fields[21]) * PAGE)
    return found


_roles: dict[tuple[int, int], str] = {}


def _ticks_since_boot() -> int:
    """Now, in clock ticks since boot."""
    return int(float(Path("/proc/uptime").read_text().split()[0]) * TICK)


def role_of(cmdline: str) -> str:
    """A process's part in a run, from its command line."""
    for needle, role in (("pulumi-language-python-exec", "program"), ("pulumi.dynamic", "provider"),
                         ("pulumi-resource-pulumi-python", "provider"), ("pulumi-language-python", "language host"),
                         ("platform_server", "platform"), ("bin/pulumi ", "engine")):
        if needle in cmdline:
            return role
    return "driver"
