"""The program's end-of-run wait covers every outstanding output at once, and leaves failures to the SDK."""

from __future__ import annotations

import asyncio

from pulumi.runtime.settings import SETTINGS

from resources.sdk_overhead import settled_outputs


async def outputs_finishing(count: int, fail_at: int | None = None) -> list[asyncio.Future[int]]:
    """`count` tracked outputs that finish one by one, the one at `fail_at` with an error."""
    loop = asyncio.get_running_loop()
    futures: list[asyncio.Future[int]] = [loop.create_future() for _ in range(count)]
    with SETTINGS.lock:
        SETTINGS.outputs.update(futures)

    async def finish() -> None:
        for index, future in enumerate(futures):
            await asyncio.sleep(0)
            if index == fail_at:
                future.set_exception(RuntimeError("registration failed"))
            else:
                future.set_result(index)

    asyncio.ensure_future(finish())
    return futures


def test_waits_until_every_output_is_done() -> None:
    async def scenario() -> list[asyncio.Future[int]]:
        futures = await outputs_finishing(2_000)
        await settled_outputs()
        return futures

    futures = asyncio.run(scenario())
    try:
        assert all(future.done() for future in futures)
    finally:
        SETTINGS.outputs.difference_update(futures)


def test_stops_at_the_first_failure() -> None:
    async def scenario() -> list[asyncio.Future[int]]:
        futures = await outputs_finishing(100, fail_at=10)
        await settled_outputs()
        return futures

    futures = asyncio.run(scenario())
    try:
        assert futures[10].exception() is not None
        assert not all(future.done() for future in futures)  # the SDK's own loop reports it
    finally:
        SETTINGS.outputs.difference_update(futures)
