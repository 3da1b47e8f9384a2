"""Turns Temporal's failure shapes back into aesop's typed errors."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from temporalio.client import WorkflowFailureError
from temporalio.service import RPCError, RPCStatusCode

from models.errors import AesopError, TaskNotFound
from models.failures import error_from_cause


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
    return error_from_cause(task_id, failure.cause, failure)
