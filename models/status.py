"""What a running or finished task reports: its progress (a Query), status and result."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from pydantic import BaseModel, Field

from models.approval import PendingApproval
from models.kinds import TaskKind
from models.lifecycle import TaskState


class TaskResult(BaseModel):
    """A finished task's output. Output keys read as attributes: ``result.uptime_percent``."""

    task_id: str
    name: str
    kind: TaskKind
    state: TaskState = TaskState.COMPLETED
    summary: str = ""
    output: dict[str, Any] = Field(default_factory=dict)

    def __getattr__(self, item: str) -> Any:
        output = self.__dict__.get("output") or {}
        if item in output:
            return output[item]
        raise AttributeError(f"{type(self).__name__} has no attribute or output {item!r}")

    def __str__(self) -> str:
        return self.summary or repr(self)


class TaskProgress(BaseModel):
    """The workflow's own view of itself, answered by the ``progress`` Query."""

    state: TaskState
    progress: float = Field(0.0, ge=0, le=100)
    current_action: str = ""
    error: Optional[str] = None
    error_type: Optional[str] = None
    retry_count: int = 0
    started_at: Optional[datetime] = None
    partial_result: Optional[dict[str, Any]] = None
    pending_approval: Optional[PendingApproval] = None


class TaskStatus(BaseModel):
    task_id: str
    name: str = ""
    kind: Optional[TaskKind] = None
    state: TaskState
    progress: float = 0.0
    current_action: str = ""
    error: Optional[str] = None
    error_type: Optional[str] = None
    result: Optional[TaskResult] = None
    partial_result: Optional[dict[str, Any]] = None
    retry_count: int = 0
    pending_approval: Optional[PendingApproval] = Field(None, description="What the task waits for a person to approve")
    created_at: Optional[datetime] = None
    started_at: Optional[datetime] = None
    completed_at: Optional[datetime] = None


class EngineOptions(BaseModel):
    """Engine knobs that are not part of a Task."""

    history_events_per_run: int = Field(4000, ge=200, description="Continue-as-new past this many events")
