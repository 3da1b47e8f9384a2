"""Determinism guard: real histories replay against the current workflow code."""

from __future__ import annotations

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from examples.local_site import Reply
from models.errors import TaskCancelled
from tests.test_monitoring import monitor
from worker import ALL_WORKFLOWS


async def test_completed_failed_and_cancelled_histories_replay(env, aesop, site):
    path = site.script("replay", lambda n: Reply(status=503) if n == 2 else Reply(delay=0.3 if n == 3 else 0))
    done = await aesop.execute_task_async(monitor(site.url(path), threshold_ms=200, max_retries=0, requests_per_second=5))
    await done.result()
    cancelled = await aesop.execute_task_async(monitor(site.url("/slow?ms=5000"), max_duration_seconds=30))
    await aesop.cancel_task(cancelled.id)
    with pytest.raises(TaskCancelled):
        await cancelled.result()

    await assert_replays(env, done.id, cancelled.id)


async def assert_replays(env, *task_ids: str) -> None:
    """Raises on any nondeterminism, as a worker answering a query on a closed task would."""
    replayer = Replayer(workflows=ALL_WORKFLOWS, data_converter=pydantic_data_converter)
    for task_id in task_ids:
        await replayer.replay_workflow(await env.client.get_workflow_handle(task_id).fetch_history())
