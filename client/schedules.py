"""Recurring tasks: Temporal Schedules that start the task workflow. No scheduler of our own."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Optional

from pydantic import BaseModel
from temporalio.client import Client, Schedule, ScheduleActionStartWorkflow, ScheduleIntervalSpec, ScheduleSpec
from temporalio.service import RPCError, RPCStatusCode

from models import search_attributes as sa
from models.errors import TaskValidationError
from models.run import WORKFLOW_NAME, TaskRun

_EVERY = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def parse_every(text: str) -> timedelta:
    """'90s', '10m', '1h30m', '1d' -> timedelta."""
    match = _EVERY.match(text.strip().lower())
    if not text.strip() or not match:
        raise TaskValidationError(f"--every {text!r}: use a duration like 30s, 10m, 1h30m or 1d")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    every = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if every < timedelta(seconds=1):
        raise TaskValidationError("--every must be at least 1s")
    return every


class ScheduleInfo(BaseModel):
    schedule_id: str
    task_name: str
    every_seconds: Optional[float] = None
    next_run: Optional[datetime] = None
    recent_task_ids: list[str] = []
    paused: bool = False


async def create_schedule(client: Client, schedule_id: str, every: timedelta, task_queue: str, run: TaskRun, start_options: dict) -> str:
    action = ScheduleActionStartWorkflow(
        WORKFLOW_NAME,
        run,
        id=schedule_id,  # Temporal appends each run's time: <schedule id>-<timestamp>
        task_queue=task_queue,
        typed_search_attributes=start_options["search_attributes"],
        static_summary=start_options["static_summary"],
        static_details=start_options["static_details"],
        priority=start_options["priority"],
    )
    handle = await client.create_schedule(
        schedule_id, Schedule(action=action, spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=every)]))
    )
    return handle.id


async def list_schedules(client: Client) -> list[ScheduleInfo]:
    """aesop's schedules in the namespace (visibility: a new one shows within about a second)."""
    found = []
    async for entry in await client.list_schedules():
        action = entry.schedule.action if entry.schedule else None
        if getattr(action, "workflow", None) != WORKFLOW_NAME:
            continue  # someone else's schedule in the namespace
        try:
            described = await client.get_schedule_handle(entry.id).describe()
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:  # deleted since visibility listed it
                continue
            raise
        found.append(_info(entry.id, described))
    return found


def _info(schedule_id: str, described) -> ScheduleInfo:
    schedule, info = described.schedule, described.info
    intervals = schedule.spec.intervals
    return ScheduleInfo(
        schedule_id=schedule_id,
        task_name=schedule.action.typed_search_attributes.get(sa.TASK_NAME) or "",
        every_seconds=intervals[0].every.total_seconds() if intervals else None,
        next_run=info.next_action_times[0] if info.next_action_times else None,
        recent_task_ids=[action.action.workflow_id for action in info.recent_actions if hasattr(action.action, "workflow_id")],
        paused=schedule.state.paused,
    )
