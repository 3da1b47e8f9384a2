"""A task's browser, seen from the workflow: the first batch picks a worker, the rest follow it.

The first browser activity goes to the shared task queue; whichever worker takes it opens
the task's context and answers with its own queue, where every later batch is sent. If that
worker dies, the heartbeat (or start) timeout says so and the next batch goes to the shared
queue again; the worker that takes it rebuilds the context from the last checkpoint.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Optional, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, TimeoutError, TimeoutType

with workflow.unsafe.imports_passed_through():
    from models.browser import CLOSE_SESSION, RUN_ACTIONS, BatchResult, BrowserBatch, SessionResult
    from models.config import TaskConfig
    from models.errors import TYPED_ERRORS, ActionFailed, BrowserUnavailable

R = TypeVar("R", bound=SessionResult)

# A live worker starts a batch on its own queue in milliseconds; this long means it is gone.
SESSION_START_TIMEOUT = timedelta(seconds=10)
# Longer than the monitor's: a worker busy with many pages may heartbeat late, and a false
# "lost" costs a context rebuild. Cancellation does not wait for it (see close()).
BROWSER_HEARTBEAT_TIMEOUT = timedelta(seconds=5)
BATCH_TIMEOUT = timedelta(minutes=10)  # one slice plus the longest single action
CLOSE_TIMEOUT = timedelta(seconds=5)
MAX_WORKERS_LOST = 5
# The workflow retries (max_retries, retry_delay_seconds) so that a lost worker and a failed
# action are told apart; Temporal's own retry would send the retry to the dead worker's queue.
ONE_ATTEMPT = RetryPolicy(maximum_attempts=1)


class BrowserSession:
    def __init__(self, task_id: str, config: TaskConfig):
        self.task_id, self.config = task_id, config
        self.queue: Optional[str] = None
        self.retries = 0
        self.workers_lost = 0

    async def run(self, batch: BrowserBatch, summary: str, at_most_once: bool = False) -> BatchResult:
        result = await self.call(RUN_ACTIONS, batch, BatchResult, summary, at_most_once)
        if batch.close_at_end and result.next_index == batch.start + len(batch.actions):
            self.queue = None  # the worker closed the context after the last action
        return result

    async def call(self, activity: str, arg, result_type: type[R], summary: str, at_most_once: bool = False) -> R:
        """Run a browser activity where the task's context lives, recovering from a lost worker.

        ``at_most_once``: never run it again (an approved side effect); a lost worker or a
        failure is reported as ActionFailed saying it may or may not have happened.
        """
        while True:
            try:
                result = await workflow.execute_activity(
                    activity,
                    arg,
                    task_queue=self.queue,  # None: the shared queue, any worker
                    result_type=result_type,
                    start_to_close_timeout=BATCH_TIMEOUT,
                    schedule_to_start_timeout=SESSION_START_TIMEOUT if self.queue else None,
                    heartbeat_timeout=BROWSER_HEARTBEAT_TIMEOUT,
                    retry_policy=ONE_ATTEMPT,
                    summary=summary,
                )
            except ActivityError as err:
                if at_most_once and _may_have_happened(err):
                    self._follow_context(err)
                    raise ActionFailed(f"it may or may not have happened, and is not repeated: {_reason(err)}") from None
                await self._recover(err)
                continue
            self.queue = result.session_queue
            return result

    async def _recover(self, err: ActivityError) -> None:
        """Return to try again, or raise the task's typed error."""
        cause = err.cause
        self._follow_context(err)
        if isinstance(cause, TimeoutError):
            if self.workers_lost > MAX_WORKERS_LOST:
                raise BrowserUnavailable(f"lost {self.workers_lost} browser workers in a row: {cause.message}")
            workflow.logger.warning("browser worker lost (%s); resuming on another", cause.message)
            return
        if not isinstance(cause, ApplicationError):
            raise err
        error_type = TYPED_ERRORS.get(cause.type or "", ActionFailed)
        if cause.non_retryable or not error_type.retryable or self.retries >= self.config.max_retries:
            error = error_type(cause.message)
            if isinstance(error, ActionFailed) and len(cause.details) > 1:
                error.index = cause.details[1]  # where a playbook stopped working
            raise error
        self.retries += 1
        await workflow.sleep(timedelta(seconds=self.config.retry_delay_seconds))

    def _follow_context(self, err: ActivityError) -> None:
        """Where the task's context is after a failed batch: on a lost worker, nowhere; else the
        error names its worker's queue, where a retry or the close goes."""
        if isinstance(err.cause, TimeoutError):
            self.workers_lost += 1
            self.queue = None
        elif isinstance(err.cause, ApplicationError) and err.cause.details:
            self.queue = err.cause.details[0]

    async def close(self) -> None:
        """Close the context now (end, failure, cancellation): not waiting for a heartbeat."""
        if self.queue is None:
            return
        try:
            await workflow.execute_activity(
                CLOSE_SESSION, self.task_id, task_queue=self.queue,
                start_to_close_timeout=CLOSE_TIMEOUT, retry_policy=ONE_ATTEMPT, summary="close browser",
            )
        except ActivityError:
            pass  # the worker is gone, and its browser with it
        self.queue = None


def _reason(err: ActivityError) -> str:
    return getattr(err.cause, "message", None) or str(err.cause or err)


def _may_have_happened(err: ActivityError) -> bool:
    """A lost worker or a retryable failure: the action may have been done (typed refusals were not)."""
    cause = err.cause
    if isinstance(cause, TimeoutError):
        return cause.type != TimeoutType.SCHEDULE_TO_START  # never picked up: never started
    if isinstance(cause, ApplicationError):
        return not cause.non_retryable and TYPED_ERRORS.get(cause.type or "", ActionFailed).retryable
    return True
