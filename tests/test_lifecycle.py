"""Lifecycle as a user sees it: pending, running, cancelled, failed; from Python and the stock CLI."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid

import pytest

from client import Aesop, AsyncAesop, Task, TaskConfig
from examples.local_site import Reply
from models.errors import PolicyViolation, TaskCancelled, TaskNotFound, TaskValidationError, TemporalUnreachable
from models.lifecycle import TaskState
from tests.conftest import devserver
from tests.test_monitoring import monitor
from worker import running_worker


def temporal_cli(env, *args: str) -> str:
    address = env.client.service_client.config.target_host
    done = subprocess.run(
        [devserver.temporal_binary(), *args, "--address", address], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def eventually(check, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.2)


async def test_task_is_pending_until_a_worker_picks_it_up(env, site):
    queue = f"later-{uuid.uuid4().hex[:6]}"
    aesop = AsyncAesop(env.client, task_queue=queue)
    execution = await aesop.execute_task_async(monitor(site.url("/"), max_duration_seconds=1))
    await asyncio.sleep(0.5)
    pending = await execution.status()
    assert pending.state == TaskState.PENDING and pending.current_action == "waiting for a worker"

    async with running_worker(env.client, queue):
        result = await execution.result()
    assert result.state == TaskState.COMPLETED


async def test_cancel_from_client_ends_task_within_two_seconds(aesop, site):
    execution = await aesop.execute_task_async(monitor(site.url("/slow?ms=20000"), max_duration_seconds=60))
    await eventually(lambda: _state_is(execution, TaskState.RUNNING))
    started = time.monotonic()
    await aesop.cancel_task(execution.id)
    with pytest.raises(TaskCancelled):
        await execution.result()
    assert time.monotonic() - started < 2
    assert (await execution.status()).state == TaskState.CANCELLED


async def test_cancel_from_temporal_cli_ends_task_as_cancelled(env, aesop, site):
    execution = await aesop.execute_task_async(monitor(site.url("/"), requests_per_second=1, max_duration_seconds=60))
    await eventually(lambda: _state_is(execution, TaskState.RUNNING))
    temporal_cli(env, "workflow", "cancel", "--workflow-id", execution.id)
    with pytest.raises(TaskCancelled):
        await execution.result()
    assert (await execution.status()).state == TaskState.CANCELLED


async def test_failed_tasks_are_listed_by_state_with_the_stock_cli(env, aesop, site):
    name = f"blocked_{uuid.uuid4().hex[:6]}"
    target = site.url("/", host="ads.localhost")
    path = site.script(name, lambda n: Reply(status=302, headers={"Location": target}))
    task = monitor(site.url(path), blocked_domains=["ads.localhost"]).model_copy(update={"name": name})
    execution = await aesop.execute_task_async(task)
    with pytest.raises(PolicyViolation):
        await execution.result()

    async def listed() -> bool:
        out = temporal_cli(env, "workflow", "list", "--query", f"TaskState='failed' AND TaskName='{name}'")
        return execution.id in out

    assert await eventually(listed)


async def test_invalid_task_is_refused_before_anything_starts(env, aesop):
    name = f"invalid_{uuid.uuid4().hex[:6]}"
    bad = Task(name=name, config=TaskConfig(viewport_width=800), inputs={"url": "https://example.com", "checks": ["uptime"]})
    with pytest.raises(TaskValidationError, match="viewport_width"):
        await aesop.execute_task_async(bad)
    blocked = Task(name=name, config=TaskConfig(blocked_domains=["example.com"]), inputs={"url": "https://example.com", "checks": ["uptime"]})
    with pytest.raises(PolicyViolation):
        await aesop.execute_task_async(blocked)
    await asyncio.sleep(1)  # visibility is eventually consistent; give a stray start time to show
    assert [w async for w in env.client.list_workflows(f"TaskName='{name}'")] == []


async def test_unknown_task_id_raises_not_found(aesop):
    with pytest.raises(TaskNotFound):
        await aesop.get_task_status("no-such-task")


async def test_unreachable_server_gives_one_clear_line():
    with pytest.raises(TemporalUnreachable) as caught:
        await AsyncAesop.connect("127.0.0.1:1")
    message = str(caught.value)
    assert "127.0.0.1:1" in message and "\n" not in message and "tonic" not in message


async def test_sync_api_as_in_the_seeds(env, worker, site):
    from tests.conftest import TASK_QUEUE

    def seed_code() -> tuple:
        aesop = Aesop(client=env.client, task_queue=TASK_QUEUE)
        result = aesop.execute_task(monitor(site.url("/"), max_duration_seconds=1))
        execution = aesop.execute_task_async(monitor(site.url("/status/500"), max_retries=0, max_duration_seconds=1))
        alerts = []
        execution.on_alert(lambda alert: alerts.append(alert))
        while True:
            status = aesop.get_task_status(execution.id)
            if status.state == "completed":
                break
            time.sleep(0.2)
        execution.result()
        long_one = aesop.execute_task_async(monitor(site.url("/"), max_duration_seconds=60))
        aesop.cancel_task(long_one.id)
        cancelled = long_one
        try:
            cancelled.result()
        except TaskCancelled:
            pass
        return result, status, alerts, aesop.get_task_status(cancelled.id)

    result, status, alerts, cancelled = await asyncio.to_thread(seed_code)
    assert result.uptime_percent == 100.0
    assert status.result.checks_total >= 1 and status.result.uptime_percent == 0.0
    assert [a.kind for a in alerts] == ["down"] and alerts[0].metrics["status_code"] == 500
    assert cancelled.state == TaskState.CANCELLED


async def _state_is(execution, state: TaskState) -> bool:
    return (await execution.status()).state == state
