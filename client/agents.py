"""Listings and statistics from Temporal's visibility store: no second database."""

from __future__ import annotations

import math
from collections import Counter
from typing import Optional

from temporalio.client import Client, WorkflowExecution, WorkflowExecutionStatus

from models import search_attributes as sa
from models.agents import AgentStats, TaskSummary
from models.lifecycle import TaskState
from models.run import WORKFLOW_NAME

LIST_LIMIT = 10_000  # statistics read at most this many tasks per call

_CLOSED_STATES = {
    WorkflowExecutionStatus.COMPLETED: TaskState.COMPLETED,
    WorkflowExecutionStatus.FAILED: TaskState.FAILED,
    WorkflowExecutionStatus.TIMED_OUT: TaskState.FAILED,
    WorkflowExecutionStatus.CANCELED: TaskState.CANCELLED,
    WorkflowExecutionStatus.TERMINATED: TaskState.CANCELLED,
}


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def task_query(state: Optional[TaskState] = None, agent_id: Optional[str] = None, name: Optional[str] = None) -> str:
    """A visibility query over tasks: one row per task (earlier continue-as-new runs left out)."""
    clauses = [f"WorkflowType = {_quote(WORKFLOW_NAME)}", "ExecutionStatus != 'ContinuedAsNew'"]
    if state is not None:
        clauses.append(f"{sa.TASK_STATE.name} = {_quote(TaskState(state).value)}")
    if agent_id is not None:
        clauses.append(f"{sa.AGENT_ID.name} = {_quote(agent_id)}")
    if name is not None:
        clauses.append(f"{sa.TASK_NAME.name} = {_quote(name)}")
    return " AND ".join(clauses)


def summarize(execution: WorkflowExecution) -> TaskSummary:
    attrs = execution.typed_search_attributes
    state = _CLOSED_STATES.get(execution.status) or TaskState(attrs.get(sa.TASK_STATE) or TaskState.PENDING.value)
    return TaskSummary(
        task_id=execution.id,
        name=attrs.get(sa.TASK_NAME) or "",
        state=state,
        priority=attrs.get(sa.TASK_PRIORITY) or "medium",
        agent_id=attrs.get(sa.AGENT_ID),
        created_at=execution.start_time,
        started_at=attrs.get(sa.TASK_STARTED_AT),
        completed_at=execution.close_time,
        retries=attrs.get(sa.TASK_RETRIES) or 0,
    )


async def list_tasks(client: Client, query: str, limit: int = LIST_LIMIT) -> list[TaskSummary]:
    return [summarize(execution) async for execution in client.list_workflows(query, limit=limit)]


def agent_stats(agent_id: str, tasks: list[TaskSummary]) -> AgentStats:
    by_state = Counter(task.state.value for task in tasks)
    finished = sum(by_state[s.value] for s in (TaskState.COMPLETED, TaskState.FAILED, TaskState.CANCELLED))
    durations = sorted(d for d in (task.execution_seconds for task in tasks) if d is not None)
    return AgentStats(
        agent_id=agent_id,
        total=len(tasks),
        by_state={state.value: by_state[state.value] for state in TaskState},
        by_priority=dict(Counter(task.priority for task in tasks)),
        success_rate=round(by_state[TaskState.COMPLETED.value] / finished, 4) if finished else None,
        mean_execution_seconds=round(sum(durations) / len(durations), 3) if durations else None,
        p95_execution_seconds=round(durations[math.ceil(0.95 * len(durations)) - 1], 3) if durations else None,
        total_retries=sum(task.retries for task in tasks),
        tasks_retried=sum(1 for task in tasks if task.retries),
    )
