"""When a run's history is long enough to continue as new."""

from __future__ import annotations

from temporalio import workflow


def history_full(events_per_run: int) -> bool:
    """Past ``events_per_run`` events, or when Temporal suggests it (history size)."""
    info = workflow.info()
    return info.get_current_history_length() >= events_per_run or info.is_continue_as_new_suggested()
