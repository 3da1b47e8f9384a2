"""aesop's typed errors to and from Temporal's failures. Apart from models/errors.py so that code
that only raises them (the data-processing child process) does not load the Temporal runtime."""

from __future__ import annotations

from typing import Optional

from temporalio import exceptions as temporal

from models.errors import TYPED_ERRORS, AesopError, TaskCancelled, TaskFailed, TaskTimeout


def as_failure(err: AesopError) -> temporal.ApplicationError:
    """``err`` as the failure an activity, Update or workflow raises; the other side gets its class back."""
    return temporal.ApplicationError(str(err), type=type(err).__name__, non_retryable=True)


def error_from_cause(task_id: str, cause: Optional[BaseException], fallback: object = None) -> AesopError:
    """Why a task's workflow did not complete, as Temporal reports it, as aesop's typed error."""
    if isinstance(cause, temporal.CancelledError):
        error: AesopError = TaskCancelled(f"task {task_id} was cancelled")
    elif isinstance(cause, temporal.TerminatedError):
        error = TaskCancelled(f"task {task_id} was terminated: {cause.message}")
    elif isinstance(cause, temporal.TimeoutError):
        error = TaskTimeout(f"task {task_id} timed out: {cause.message}")
    elif isinstance(cause, temporal.ApplicationError) and cause.type in TYPED_ERRORS:
        error = TYPED_ERRORS[cause.type](cause.message)
    else:
        message = getattr(cause, "message", None) or str(cause or fallback)
        error = TaskFailed(message, task_id=task_id, error_type=getattr(cause, "type", None) or type(cause).__name__)
    error.task_id = task_id  # type: ignore[attr-defined]
    return error


def progress_in(cause: Optional[BaseException]) -> dict:
    """The last progress a failed task attaches to its failure (see TaskWorkflow.run); {} when none."""
    if isinstance(cause, temporal.ApplicationError) and cause.details and isinstance(cause.details[0], dict):
        return cause.details[0]
    return {}
