"""Task listings and per-agent statistics (seed 003), read from Temporal's visibility store."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from pydantic import BaseModel

from models.lifecycle import TaskState


class TaskSummary(BaseModel):
    task_id: str
    name: str
    state: TaskState
    priority: str
    agent_id: Optional[str] = None
    created_at: datetime
    started_at: Optional[datetime] = None
    completed_at: Optional[datetime] = None
    retries: int = 0

    @property
    def execution_seconds(self) -> Optional[float]:
        """From pick-up by a worker to the end (across continue-as-new)."""
        if self.started_at and self.completed_at:
            return (self.completed_at - self.started_at).total_seconds()
        return None


class AgentStats(BaseModel):
    agent_id: str
    total: int
    by_state: dict[str, int]
    by_priority: dict[str, int]
    success_rate: Optional[float] = None  # completed / finished
    mean_execution_seconds: Optional[float] = None
    p95_execution_seconds: Optional[float] = None
    total_retries: int = 0
    tasks_retried: int = 0
