"""Data types shared by the client, the workflows and the activities."""

from models.config import TaskConfig
from models.errors import (
    AesopError,
    PolicyViolation,
    TaskCancelled,
    TaskFailed,
    TaskNotFound,
    TaskTimeout,
    TaskValidationError,
    TemporalUnreachable,
    UnsupportedConfigError,
)
from models.kinds import TaskKind
from models.lifecycle import TaskState
from models.monitoring import Alert
from models.status import TaskResult, TaskStatus
from models.task import Task

__all__ = [
    "AesopError",
    "Alert",
    "PolicyViolation",
    "Task",
    "TaskCancelled",
    "TaskConfig",
    "TaskFailed",
    "TaskKind",
    "TaskNotFound",
    "TaskResult",
    "TaskState",
    "TaskStatus",
    "TaskTimeout",
    "TaskValidationError",
    "TemporalUnreachable",
    "UnsupportedConfigError",
]
