"""The task lifecycle and its legal transitions, in one place (seed 002's state manager)."""

from __future__ import annotations

from enum import Enum


class TaskState(str, Enum):
    PENDING = "pending"  # started, not yet picked up by a worker
    RUNNING = "running"
    PAUSED = "paused"  # at its LLM budget, waiting for aesop.raise_budget() or a cancel
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES

    def __str__(self) -> str:
        return self.value


FINAL_STATES = frozenset({TaskState.COMPLETED, TaskState.FAILED, TaskState.CANCELLED})

ALLOWED_TRANSITIONS: dict[TaskState, frozenset[TaskState]] = {
    TaskState.PENDING: frozenset({TaskState.RUNNING, TaskState.FAILED, TaskState.CANCELLED}),
    TaskState.RUNNING: frozenset({TaskState.COMPLETED, TaskState.FAILED, TaskState.CANCELLED, TaskState.PAUSED}),
    TaskState.PAUSED: frozenset({TaskState.RUNNING, TaskState.FAILED, TaskState.CANCELLED}),
    TaskState.COMPLETED: frozenset(),
    TaskState.FAILED: frozenset(),
    TaskState.CANCELLED: frozenset(),
}


class InvalidTransition(ValueError):
    pass


def transition(current: TaskState, new: TaskState) -> TaskState:
    """Return ``new`` if the lifecycle allows ``current -> new``; raise otherwise."""
    if new not in ALLOWED_TRANSITIONS[current]:
        raise InvalidTransition(f"task cannot go from {current.value} to {new.value}")
    return new
