"""Reads a task's status: cheap ``describe`` first, a Query only while a worker holds it."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import Client, WorkflowExecutionStatus, WorkflowFailureError, WorkflowHandle

from client.failures import not_found_as, task_error
from models import search_attributes as sa
from models.failures import progress_in
from models.kinds import TaskKind
from models.lifecycle import TaskState
from models.run import PROGRESS_QUERY
from models.status import TaskProgress, TaskResult, TaskStatus

QUERY_TIMEOUT = timedelta(seconds=5)
CLOSED_QUERY_TIMEOUT = timedelta(seconds=2)  # a closed task is only queryable while some worker runs


async def describe_or_raise(handle: WorkflowHandle):
    with not_found_as(f"no task with id {handle.id!r}"):
        return await handle.describe()


async def _progress(handle: WorkflowHandle, timeout: timedelta) -> TaskProgress | None:
    try:
        return await handle.query(PROGRESS_QUERY, result_type=TaskProgress, rpc_timeout=timeout)
    except Exception:  # no worker, or a continue-as-new in between: status falls back to describe
        return None


async def read_status(client: Client, task_id: str) -> TaskStatus:
    handle = client.get_workflow_handle(task_id, result_type=TaskResult)
    desc = await describe_or_raise(handle)
    attrs = desc.typed_search_attributes
    kind = attrs.get(sa.TASK_KIND)
    status = TaskStatus(
        task_id=task_id,
        name=attrs.get(sa.TASK_NAME) or "",
        kind=TaskKind(kind) if kind else None,
        state=TaskState.PENDING,
        created_at=desc.start_time,
        completed_at=desc.close_time,
        parent_task_id=desc.parent_id,
    )
    if desc.status == WorkflowExecutionStatus.RUNNING:
        if attrs.get(sa.TASK_STATE) == TaskState.PENDING.value:
            status.current_action = "waiting for a worker"
            return status
        _apply(status, await _progress(handle, QUERY_TIMEOUT))
        if status.state != TaskState.PAUSED:
            status.state = TaskState.RUNNING
        return status
    if desc.status == WorkflowExecutionStatus.COMPLETED:
        result = await handle.result()
        status.state, status.result, status.progress = TaskState.COMPLETED, result, 100.0
        _apply(status, await _progress(handle, CLOSED_QUERY_TIMEOUT))
        status.state, status.progress = TaskState.COMPLETED, 100.0
        return status
    if desc.status in (WorkflowExecutionStatus.CANCELED, WorkflowExecutionStatus.TERMINATED):
        _apply(status, await _progress(handle, CLOSED_QUERY_TIMEOUT))
        status.state = TaskState.CANCELLED
        if desc.status == WorkflowExecutionStatus.TERMINATED:
            status.error, status.error_type = "terminated", "Terminated"
        return status
    try:  # failed or timed out
        await handle.result()
    except WorkflowFailureError as failure:
        error = task_error(task_id, failure)
        details = progress_in(failure.cause)
        if details:
            _apply(status, TaskProgress.model_validate(details))
        status.error, status.error_type = str(error), type(error).__name__
    status.state = TaskState.FAILED
    return status


def _apply(status: TaskStatus, progress: TaskProgress | None) -> None:
    if progress is None:
        return
    status.state = progress.state
    status.progress = progress.progress
    status.current_action = progress.current_action
    status.error, status.error_type = progress.error, progress.error_type
    status.retry_count = progress.retry_count
    status.started_at = progress.started_at
    status.partial_result = progress.partial_result
    status.pending_approval = progress.pending_approval
    status.subtasks = progress.subtasks
