"""Pulumi SDK (3.272) costs per declared resource that buy nothing here, removed once per program run.

- The SDK sends four or more debug lines to the engine for every resource it registers, each a
  synchronous gRPC call on the program's event loop; they show only with `pulumi --debug`. Set
  VIDEOCALL_SDK_DEBUG_LOGS=1 to keep them.
- At the end of a program the SDK waits for every outstanding output with `asyncio.wait(...,
  FIRST_COMPLETED)` in a loop, re-arming all of them after each completion: quadratic in the number of
  outputs (about 15 per resource), half of the program's CPU at 1,000 resources. The same outputs are
  awaited here first, all at once; the SDK's own loop then finds them done and keeps its error handling.

docs/performance.md has the measurements.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pulumi.log
import pulumi.runtime.stack
from pulumi.runtime.settings import SETTINGS

KEEP_DEBUG_LOGS_VARIABLE = "VIDEOCALL_SDK_DEBUG_LOGS"

_sdk_wait_for_rpcs = pulumi.runtime.stack.wait_for_rpcs


def remove_sdk_overhead() -> None:
    """Drop the SDK's debug lines (unless VIDEOCALL_SDK_DEBUG_LOGS=1) and wait for outputs in linear time."""
    if os.environ.get(KEEP_DEBUG_LOGS_VARIABLE, "").strip().lower() not in ("1", "true", "yes"):
        pulumi.log.debug = _dropped
    pulumi.runtime.stack.wait_for_rpcs = wait_for_rpcs


def _dropped(*_args: Any, **_kwargs: Any) -> None:
    """A debug line not sent."""


async def wait_for_rpcs(await_all_outstanding_tasks: bool = True) -> None:
    """The SDK's wait, after waiting for every outstanding output at once."""
    if await_all_outstanding_tasks:
        await settled_outputs()
    await _sdk_wait_for_rpcs(await_all_outstanding_tasks)


async def settled_outputs() -> None:
    """Wait until every output the program made is done, or one fails (the SDK's loop then reports it)."""
    while True:
        with SETTINGS.lock:
            pending = [task for task in SETTINGS.outputs if not task.done()]
        if not pending:
            return
        done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
        if any(not task.cancelled() and task.exception() is not None for task in done):
            return
