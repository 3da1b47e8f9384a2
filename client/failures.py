"""Turns Temporal's failure shapes back into aesop's typed errors."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from temporalio.client import WorkflowFailureError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.exceptions import ApplicationError, CancelledError, TerminatedError, TimeoutError

from models.errors import TYPED_ERRORS, AesopError, TaskCancelled, TaskFailed, TaskNotFound, TaskTimeout


@contextmanager
def not_found_as(message: str) -> Iterator[None]:
    """The server's NOT_FOUND becomes TaskNotFound(message); other RPC errors pass unchanged."""
    try:
        yield
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            raise TaskNotFound(message) from None
        raise


def task_error(task_id: str, failure: WorkflowFailureError) -> AesopError:
    cause = failure.cause
    if isinstance(cause, CancelledError):
        error: AesopError = TaskCancelled(f"task {task_id} was cancelled")
    elif isinstance(cause, TerminatedError):
        error = TaskCancelled(f"task {task_id} was terminated: {cause.message}")
    elif isinstance(cause, TimeoutError):
        error = TaskTimeout(f"task {task_id} timed out: {cause.message}")
    elif isinstance(cause, ApplicationError) and cause.type in TYPED_ERRORS:
        error = TYPED_ERRORS[cause.type](cause.message)
    else:
        message = getattr(cause, "message", None) or str(cause or failure)
        error = TaskFailed(message, task_id=task_id, error_type=getattr(cause, "type", None) or type(cause).__name__)
    error.task_id = task_id  # type: ignore[attr-defined]
    return error


def failure_details(failure: WorkflowFailureError) -> dict:
    """The workflow's last progress, which it attaches to the failure it raises."""
    cause = failure.cause
    if isinstance(cause, ApplicationError) and cause.details and isinstance(cause.details[0], dict):
        return cause.details[0]
    return {}
