"""Recurring tasks are Temporal Schedules that start the ordinary task workflow."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from client.schedules import parse_every
from models.errors import TaskNotFound, TaskValidationError
from models.lifecycle import TaskState
from tests.test_lifecycle import eventually
from tests.test_monitoring import monitor


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("10m", 600), ("1h30m", 5400), ("1d", 86400)])
def test_every_parses_durations(text, seconds):
    assert parse_every(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "soon", "5", "0s", "1w"])
def test_every_refuses_nonsense(text):
    with pytest.raises(TaskValidationError):
        parse_every(text)


async def test_scheduled_one_shot_check_runs_and_schedule_deletes(env, aesop, site):
    name = f"hourly_{uuid.uuid4().hex[:6]}"
    task = monitor(site.url("/")).model_copy(update={"name": name, "inputs": {"url": site.url("/"), "checks": ["uptime"], "max_checks": 1}})
    schedule_id = await aesop.schedule_task(task, timedelta(hours=1))

    async def listed():
        return {info.schedule_id: info for info in await aesop.list_schedules()}.get(schedule_id)

    info = await eventually(listed)
    assert info and info.task_name == name and info.every_seconds == 3600

    await env.client.get_schedule_handle(schedule_id).trigger()  # run now rather than in an hour

    async def completed_runs():
        return await aesop.list_tasks(state=TaskState.COMPLETED, name=name)

    runs = await eventually(completed_runs)
    assert len(runs) == 1 and runs[0].task_id.startswith(schedule_id) and site.count("/") == 1

    await aesop.delete_schedule(schedule_id)

    async def gone():
        return schedule_id not in {info.schedule_id for info in await aesop.list_schedules()}

    assert await eventually(gone)
    with pytest.raises(TaskNotFound):
        await aesop.delete_schedule(schedule_id)


async def test_invalid_task_cannot_be_scheduled(aesop):
    from client import Task, TaskConfig

    bad = Task(name="x", config=TaskConfig(max_pages=3), inputs={"url": "https://example.com", "checks": ["uptime"]})
    with pytest.raises(TaskValidationError):
        await aesop.schedule_task(bad, timedelta(minutes=5))
