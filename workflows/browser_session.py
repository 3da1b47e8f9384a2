"""A task's browser, seen from the workflow: claim a worker, run batches there, recover.

Batches go to the queue of the worker that holds the task's context. If that worker
dies, the heartbeat (or start) timeout says so; the next batch claims another worker,
which rebuilds the context from the last checkpoint.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Optional, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, TimeoutError

with workflow.unsafe.imports_passed_through():
    from models.browser import BatchResult, BrowserBatch
    from models.config import TaskConfig
    from models.errors import TYPED_ERRORS, ActionFailed, BrowserUnavailable
    from workflows.policies import HEARTBEAT_TIMEOUT

T = TypeVar("T")

CLAIM_ACTIVITY = "claim_browser_session"
RUN_ACTIVITY = "run_browser_actions"
CLOSE_ACTIVITY = "close_browser_session"
CLAIM_TIMEOUT = timedelta(seconds=10)
# A live worker starts a batch in milliseconds; this long without a start means it is gone.
SESSION_START_TIMEOUT = timedelta(seconds=10)
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

    async def run(self, batch: BrowserBatch, summary: str) -> BatchResult:
        return await self.call(RUN_ACTIVITY, batch, BatchResult, summary)

    async def call(self, activity: str, arg, result_type: type[T], summary: str) -> T:
        """Run a browser activity where the task's context lives, recovering from a lost worker."""
        while True:
            if self.queue is None:
                self.queue = await workflow.execute_activity(
                    CLAIM_ACTIVITY, start_to_close_timeout=CLAIM_TIMEOUT, result_type=str, summary="claim a browser"
                )
            try:
                return await workflow.execute_activity(
                    activity,
                    arg,
                    task_queue=self.queue,
                    result_type=result_type,
                    start_to_close_timeout=BATCH_TIMEOUT,
                    schedule_to_start_timeout=SESSION_START_TIMEOUT,
                    heartbeat_timeout=HEARTBEAT_TIMEOUT,
                    retry_policy=ONE_ATTEMPT,
                    summary=summary,
                )
            except ActivityError as err:
                await self._recover(err)

    async def _recover(self, err: ActivityError) -> None:
        """Return to try again, or raise the task's typed error."""
        cause = err.cause
        if isinstance(cause, TimeoutError):
            self.workers_lost += 1
            self.queue = None
            if self.workers_lost > MAX_WORKERS_LOST:
                raise BrowserUnavailable(f"lost {self.workers_lost} browser workers in a row: {cause.message}")
            workflow.logger.warning("browser worker lost (%s); resuming on another", cause.message)
            return
        if not isinstance(cause, ApplicationError):
            raise err
        error_type = TYPED_ERRORS.get(cause.type or "", ActionFailed)
        if cause.non_retryable or not error_type.retryable or self.retries >= self.config.max_retries:
            raise error_type(cause.message)
        self.retries += 1
        await workflow.sleep(timedelta(seconds=self.config.retry_delay_seconds))

    async def close(self) -> None:
        if self.queue is None:
            return
        try:
            await workflow.execute_activity(
                CLOSE_ACTIVITY, self.task_id, task_queue=self.queue,
                start_to_close_timeout=CLOSE_TIMEOUT, retry_policy=ONE_ATTEMPT, summary="close browser",
            )
        except ActivityError:
            pass  # the worker is gone, and its browser with it
