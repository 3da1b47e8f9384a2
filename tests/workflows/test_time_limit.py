"""max_duration_seconds as a limit: work past it is cancelled and the task times out."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from temporalio import activity, workflow
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from activities.heartbeat import with_heartbeats
from workflows.time_limit import within_time_limit

with workflow.unsafe.imports_passed_through():  # the same class the helper raises
    from models.errors import TaskTimeout

cancelled = asyncio.Event()


@activity.defn
async def work_for(seconds: float) -> str:
    try:
        await with_heartbeats(asyncio.sleep(seconds))
    except asyncio.CancelledError:
        cancelled.set()
        raise
    return "done"


@workflow.defn
class LimitedWork:
    @workflow.run
    async def run(self, work_seconds: float, limit_seconds: float) -> str:
        step = workflow.execute_activity(
            work_for, work_seconds, start_to_close_timeout=timedelta(seconds=60), heartbeat_timeout=timedelta(seconds=2)
        )
        try:
            return await within_time_limit(step, limit_seconds)
        except TaskTimeout as err:
            raise ApplicationError(str(err), type=TaskTimeout.__name__, non_retryable=True) from None


async def run_limited(env, work_seconds: float, limit_seconds: float) -> str:
    queue = f"limit-{uuid.uuid4().hex[:6]}"
    async with Worker(env.client, task_queue=queue, workflows=[LimitedWork], activities=[work_for]):
        return await env.client.execute_workflow(
            LimitedWork.run, args=[work_seconds, limit_seconds], id=queue, task_queue=queue
        )


async def test_work_within_the_limit_returns_its_result(env):
    assert await run_limited(env, 0.1, 10) == "done"


async def test_work_past_the_limit_is_cancelled_and_times_out(env):
    cancelled.clear()
    with pytest.raises(WorkflowFailureError) as caught:
        await run_limited(env, 60, 1)
    assert caught.value.cause.type == "TaskTimeout"
    assert "max_duration_seconds=1" in caught.value.cause.message
    await asyncio.wait_for(cancelled.wait(), 3)  # the running activity heard the cancel
