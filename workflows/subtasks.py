"""A task run as a child workflow of the running task: under its parent in the web UI, cancelled
with it, and its failure back as aesop's typed error."""

from __future__ import annotations

import asyncio
from typing import Callable

from temporalio import workflow
from temporalio.exceptions import ChildWorkflowError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from models.composition import SubtaskInfo, spent_in
    from models.errors import AesopError, TaskCancelled, TaskFailed, TaskValidationError
    from models.failures import error_from_cause, progress_in
    from models.lifecycle import TaskState
    from models.run import MAX_SUBTASK_DEPTH, WORKFLOW_NAME, TaskRun
    from models.status import TaskResult
    from models.task import Task
    from models.task_start import start_options
    from models.validation import validate_for_kind


async def run_subtask(task: Task, parent_run: TaskRun, info_sink: Callable[[SubtaskInfo], None]) -> TaskResult:
    """Start ``task`` as a child, report it through ``info_sink`` (kept up to date), await its result."""
    if parent_run.depth >= MAX_SUBTASK_DEPTH:
        raise TaskValidationError(
            f"subtask {task.name!r} would be nested {parent_run.depth + 1} deep; the limit is {MAX_SUBTASK_DEPTH}"
        )
    parent = workflow.info()
    task_id = f"{parent.workflow_id}.{task.name}-{workflow.uuid4().hex[:8]}"
    info = SubtaskInfo(task_id=task_id, name=task.name, kind=task.resolved_kind.value, state=TaskState.PENDING)
    info_sink(info)
    try:
        validate_for_kind(task)
        handle = await workflow.start_child_workflow(
            WORKFLOW_NAME, TaskRun(task=task, engine=parent_run.engine, depth=parent_run.depth + 1), id=task_id,
            task_queue=parent.task_queue, result_type=TaskResult, parent_close_policy=ParentClosePolicy.REQUEST_CANCEL, **start_options(task),
        )
        info.state = TaskState.RUNNING
        result = await handle
    except ChildWorkflowError as err:
        error = typed(task_id, err.cause)
        info.spent = spent_in(progress_in(err.cause).get("partial_result"))
        info.state = TaskState.CANCELLED if isinstance(error, TaskCancelled) else TaskState.FAILED
        info.error, info.error_type = str(error), type(error).__name__
        current = asyncio.current_task()
        if isinstance(error, TaskCancelled) and current is not None and current.cancelling():
            raise asyncio.CancelledError()  # the parent is being cancelled: it ends cancelled, not failed
        raise error from None
    except AesopError as err:  # refused before it started
        info.state, info.error, info.error_type = TaskState.FAILED, str(err), type(err).__name__
        raise
    except BaseException:  # this task was cancelled: the child gets the cancellation too
        info.state = TaskState.CANCELLED
        raise
    info.state, info.summary, info.spent = TaskState.COMPLETED, result.summary, spent_in(result.output)
    return result


def typed(task_id: str, cause: BaseException | None) -> AesopError:
    """The child's failure as the error class it raised, naming the child."""
    error = error_from_cause(task_id, cause)
    message = f"subtask {task_id}: {error}"
    if isinstance(error, TaskFailed):
        return TaskFailed(message, task_id=task_id, error_type=error.error_type)
    return type(error)(message)
