"""What a running or finished task reports: its progress (a Query), status and result."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, Field

from models.approval import PendingApproval
from models.artifacts import ArtifactRef
from models.composition import SubtaskInfo
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

    def save_report(self, path: str | Path) -> Path:
        """Copy the report file the task wrote (data processing) to ``path`` on this machine."""
        if not self.output.get("report"):
            raise ValueError(f"task {self.name!r} ({self.kind.value}) wrote no report file")
        ref = ArtifactRef.model_validate(self.output["report"])
        path, suffix = Path(path), Path(ref.name).suffix
        if path.suffix.lower() != suffix:
            raise ValueError(f"the report is a {suffix} file ({ref.content_type}); save it under a name ending in {suffix}")
        data = ref.read_bytes()
        if hashlib.sha256(data).hexdigest() != ref.sha256:
            raise ValueError(f"the stored report {ref.uri} does not match its digest: it was changed after the task")
        path.write_bytes(data)
        return path


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
    subtasks: list[SubtaskInfo] = Field(default_factory=list)


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
    parent_task_id: Optional[str] = Field(None, description="The task that started this one as a subtask")
    subtasks: list[SubtaskInfo] = Field(default_factory=list, description="Tasks this one started, in order")
    created_at: Optional[datetime] = None
    started_at: Optional[datetime] = None
    completed_at: Optional[datetime] = None


class EngineOptions(BaseModel):
    """Engine knobs that are not part of a Task."""

    history_events_per_run: int = Field(4000, ge=200, description="Continue-as-new past this many events")
