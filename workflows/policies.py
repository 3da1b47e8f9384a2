"""Retry policies and timeouts, named once, derived from a task's config."""

from __future__ import annotations

from datetime import timedelta

from temporalio.common import RetryPolicy

from models.config import TaskConfig
from models.errors import NON_RETRYABLE_TYPES

HEARTBEAT_TIMEOUT = timedelta(seconds=2)
ACTIVITY_GRACE = timedelta(seconds=5)  # on top of an activity's own request timeout


def activity_retry_policy(config: TaskConfig) -> RetryPolicy:
    """max_retries extra attempts, retry_delay_seconds apart (constant, as the seed describes).

    A retry is a request too, so the delay is never shorter than requests_per_second allows.
    """
    delay = config.retry_delay_seconds
    if config.requests_per_second:
        delay = max(delay, 1 / config.requests_per_second)
    return RetryPolicy(
        initial_interval=timedelta(seconds=max(delay, 0.001)),
        backoff_coefficient=1.0,
        maximum_attempts=config.max_retries + 1,
        non_retryable_error_types=list(NON_RETRYABLE_TYPES),
    )


# Reports: a webhook that is briefly down gets ~30 s (6 attempts); the outcome never waits longer.
REPORT_TIMEOUT = timedelta(seconds=30)
REPORT_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), backoff_coefficient=2.0, maximum_attempts=6)
