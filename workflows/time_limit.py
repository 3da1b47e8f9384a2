"""max_duration_seconds as a limit: past it the work is cancelled and the task times out."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Optional, TypeVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.errors import TaskTimeout

T = TypeVar("T")


async def within_time_limit(work: Awaitable[T], seconds: Optional[float], limit: Optional[float] = None) -> T:
    """Await ``work`` for ``seconds`` (what is left of the task's ``limit``); at the end cancel it (its activities get the cancel through heartbeats)
    and raise TaskTimeout. The workflow attaches its partial result to the failure."""
    if seconds is None:
        return await work
    task = asyncio.ensure_future(work)
    try:
        await workflow.wait_condition(task.done, timeout=seconds, timeout_summary="max_duration_seconds")
    except asyncio.TimeoutError:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        raise TaskTimeout(f"task reached its limit of max_duration_seconds={limit or seconds:g}") from None
    return task.result()
