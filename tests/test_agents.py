"""Seed 003: priorities, agents, and statistics straight from Temporal's visibility store."""

from __future__ import annotations

import uuid

import pytest

from client import AsyncAesop
from examples.local_site import Reply
from models.errors import PolicyViolation
from models.lifecycle import TaskState
from tests.test_lifecycle import eventually
from tests.test_monitoring import monitor


def for_agent(task, agent_id: str, priority: str, **inputs):
    return task.model_copy(update={"agent_id": agent_id, "priority": priority, "inputs": {**task.inputs, **inputs}})


async def test_agent_tasks_listed_and_summarised(env, aesop, site):
    agent = f"agent-{uuid.uuid4().hex[:6]}"
    flaky = site.script(f"{agent}-flaky", lambda n: Reply(status=503) if n == 1 else Reply())
    to_ads = site.script(f"{agent}-ads", lambda n: Reply(status=302, headers={"Location": site.url("/", host="ads.localhost")}))

    fine = await aesop.execute_task_async(for_agent(monitor(site.url("/")), agent, "high", max_checks=2))
    retried = await aesop.execute_task_async(
        for_agent(monitor(site.url(flaky), retry_delay_seconds=0.1), agent, "low", max_checks=1)
    )
    failing = await aesop.execute_task_async(
        for_agent(monitor(site.url(to_ads), blocked_domains=["ads.localhost"]), agent, "urgent", max_checks=1)
    )
    nobody = AsyncAesop(env.client, task_queue=f"no-worker-{agent}")
    waiting = await nobody.execute_task_async(for_agent(monitor(site.url("/")), agent, "low"))
    other = await aesop.execute_task_async(for_agent(monitor(site.url("/")), "someone-else", "low", max_checks=1))
    await fine.result(), await retried.result(), await other.result()
    with pytest.raises(PolicyViolation):
        await failing.result()

    async def all_visible():
        stats = await aesop.get_agent_stats(agent)
        return stats if stats.total == 4 and stats.by_state["pending"] == 1 and stats.by_state["running"] == 0 else None

    stats = await eventually(all_visible)
    assert stats, await aesop.get_agent_stats(agent)
    assert stats.by_state == {"pending": 1, "running": 0, "paused": 0, "completed": 2, "failed": 1, "cancelled": 0}
    assert stats.by_priority == {"high": 1, "low": 2, "urgent": 1}
    assert stats.success_rate == pytest.approx(2 / 3, abs=1e-3)
    assert stats.total_retries == 1 and stats.tasks_retried == 1
    assert 0 < stats.mean_execution_seconds <= stats.p95_execution_seconds < 30

    assert [t.task_id for t in await aesop.get_pending_tasks(agent)] == [waiting.id]
    failed = await aesop.get_failed_tasks(agent)
    assert [t.task_id for t in failed] == [failing.id] and failed[0].priority == "urgent"
    assert {t.task_id for t in await aesop.list_tasks(state=TaskState.COMPLETED, agent_id=agent)} == {fine.id, retried.id}

    urgent = await env.client.get_workflow_handle(failing.id).describe()
    assert urgent.raw_description.workflow_execution_info.priority.priority_key == 1  # Temporal's own priority
    await nobody.cancel_task(waiting.id)
