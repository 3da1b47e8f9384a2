"""The workflow's input: the Task plus what the engine carries between runs."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, Field

from models.agent import AgentState
from models.memory import MemoryState
from models.monitoring import MonitorState
from models.report import TimelineEntry
from models.status import EngineOptions
from models.task import Task


class TaskRun(BaseModel):
    task: Task
    engine: EngineOptions = Field(default_factory=EngineOptions)
    monitor_state: Optional[MonitorState] = None
    agent_state: Optional[AgentState] = None
    session_memory: Optional[MemoryState] = Field(None, description="Carried across continue-as-new")
    depth: int = Field(0, ge=0, description="0 for a task started by a client; a subtask's is its parent's + 1")

    @property
    def continued(self) -> Optional[MonitorState | AgentState]:
        """The state a previous run handed on (continue-as-new), if any."""
        return self.monitor_state or self.agent_state
    timeline: list[TimelineEntry] = Field(default_factory=list, description="Carried across continue-as-new")


# Names that the client and the workflow must agree on.
WORKFLOW_NAME = "AesopTask"
PROGRESS_QUERY = "progress"
ALERTS_QUERY = "alerts_after"
MAX_SUBTASK_DEPTH = 3  # a subtask's subtask's subtask, no deeper: an agent cannot recurse without end
