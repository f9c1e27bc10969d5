"""Pulumi SDK (3.272) costs per declared resource that buy nothing here, removed once per program run.

- The SDK sends four or more debug lines to the engine for every resource it registers, each a
  synchronous gRPC call on the program's event loop; they show only with `pulumi --debug`.
- It records the Python call stack of every declaration (each frame's file turned into a URI) in the
  state; nothing here reads it, and it is a third of each resource's state.
- It works out each resource class's output types from its annotations (`typing.get_type_hints`) once
  per resource instead of once per class.
- At the end of a program the SDK waits for every outstanding output with `asyncio.wait(...,
  FIRST_COMPLETED)` in a loop, re-arming all of them after each completion: quadratic in the number of
  outputs (about 25 per resource), half of the program's CPU at 1,000 resources. The same outputs are
  awaited here first, all at once; the SDK's own loop then finds them done and keeps its error handling.

Set VIDEOCALL_SDK_DIAGNOSTICS=1 to keep the debug lines and call stacks. docs/performance.md has the
measurements.
"""

from __future__ import annotations

import asyncio
import functools
import os
from typing import Any

import pulumi._types
import pulumi.log
import pulumi.runtime.resource
import pulumi.runtime.stack
from pulumi.runtime.proto import source_pb2
from pulumi.runtime.settings import SETTINGS

DIAGNOSTICS_VARIABLE = "VIDEOCALL_SDK_DIAGNOSTICS"

_sdk_wait_for_rpcs = pulumi.runtime.stack.wait_for_rpcs
_sdk_resource_types = pulumi._types.resource_types


def remove_sdk_overhead() -> None:
    """Make the SDK's per-resource work proportionate; debug lines and call stacks stay with VIDEOCALL_SDK_DIAGNOSTICS=1."""
    if os.environ.get(DIAGNOSTICS_VARIABLE, "").strip().lower() not in ("1", "true", "yes"):
        pulumi.log.debug = _dropped
        pulumi.runtime.resource._get_stack_trace = source_pb2.StackTrace
    pulumi._types.resource_types = functools.cache(_sdk_resource_types)
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
