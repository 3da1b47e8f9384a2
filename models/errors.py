"""Typed errors shared by client, workflows and activities.

Inside Temporal an error travels as an ``ApplicationError`` whose ``type`` is
the class name below; the client turns it back into the class, so callers
catch the same types whether the check ran locally or on a worker.
"""

from __future__ import annotations

from typing import Optional


class AesopError(Exception):
    """Base of every error aesop raises on purpose."""

    retryable = False


class TaskValidationError(AesopError, ValueError):
    """A Task, its config or its inputs are malformed. Nothing was started."""


class UnsupportedConfigError(TaskValidationError):
    """A TaskConfig field was set that this kind of task cannot honour."""


class PolicyViolation(AesopError):
    """A request was refused by the task's access policy (domains, https)."""


class TaskTimeout(AesopError):
    """The task reached max_duration_seconds."""


class TaskFailed(AesopError):
    """The task ended in the failed state; ``error_type`` names the cause."""

    def __init__(self, message: str, *, task_id: str = "", error_type: str = "", details: object = None):
        super().__init__(message)
        self.task_id = task_id
        self.error_type = error_type
        self.details = details


class TaskCancelled(AesopError):
    """The task was cancelled (client, CLI or web UI)."""


class TaskNotFound(AesopError, LookupError):
    """No task with that id exists in the namespace."""


class TemporalUnreachable(AesopError, ConnectionError):
    """The Temporal server could not be reached."""


class PageLimitReached(AesopError):
    """The task reached max_pages top-level page loads."""


class ActionFailed(AesopError):
    """A browser action could not be done (element missing, timeout); retried up to max_retries."""

    retryable = True

    def __init__(self, message: str, index: Optional[int] = None):
        super().__init__(message)
        self.index = index  # the failed action's place in the task's actions, when known


class BrowserUnavailable(AesopError):
    """No Chromium could be found or started on the worker."""


class LLMNotConfigured(AesopError):
    """The worker has no LLM endpoint configured."""


class LLMRejected(AesopError):
    """The LLM endpoint refused the request (bad key, unknown model, malformed request)."""


class LLMUnavailable(AesopError):
    """The LLM endpoint is busy or down (429, 5xx, timeouts); retried."""

    retryable = True


class BudgetExceeded(AesopError):
    """The task reached max_llm_tokens or max_cost_usd."""


class ApprovalNotPending(AesopError):
    """approve/reject found no such approval waiting (decided already, timed out, or another id)."""


class AgentLoop(AesopError):
    """The agent repeated itself on an unchanged page, or ran out of steps."""


class DataProcessingError(AesopError):
    """The data cannot give what the task asks: a missing file or column, too few periods."""


class MemoryLimitExceeded(AesopError):
    """The task's work needed more memory than its max_memory_mb."""


class MemoryConflict(AesopError):
    """A conditional write found another version than it expected: re-read and retry."""


class MemoryFull(AesopError):
    """The value, or memory as a whole, is over its size limit."""


class SessionEnded(AesopError):
    """The task ended (or never started), and with it its session memory."""


NON_RETRYABLE_TYPES: dict[str, type[AesopError]] = {
    cls.__name__: cls
    for cls in (
        TaskValidationError, UnsupportedConfigError, PolicyViolation, TaskTimeout, PageLimitReached,
        LLMNotConfigured, LLMRejected, BudgetExceeded, AgentLoop, DataProcessingError, MemoryLimitExceeded,
        MemoryConflict, MemoryFull, SessionEnded,
    )
}
# Errors that travel by name and become their class again on the other side.
TYPED_ERRORS: dict[str, type[AesopError]] = {
    **NON_RETRYABLE_TYPES,
    **{cls.__name__: cls for cls in (ActionFailed, BrowserUnavailable, LLMUnavailable, TaskCancelled)},
}

