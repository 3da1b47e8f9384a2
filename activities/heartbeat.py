"""Run an activity's work while heartbeating, so cancellation reaches it within ~2 s."""

from __future__ import annotations

import asyncio
from typing import Awaitable, TypeVar

from temporalio import activity

T = TypeVar("T")

HEARTBEAT_EVERY_SECONDS = 0.5


async def with_heartbeats(work: Awaitable[T], every: float = HEARTBEAT_EVERY_SECONDS) -> T:
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=every)
            if done:
                return task.result()
            activity.heartbeat()
    finally:
        # Reached with the task still running only when this activity was cancelled.
        task.cancel()
