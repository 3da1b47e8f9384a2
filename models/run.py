"""The workflow's input: the Task plus what the engine carries between runs."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, Field

from models.monitoring import MonitorState
from models.report import TimelineEntry
from models.status import EngineOptions
from models.task import Task


class TaskRun(BaseModel):
    task: Task
    engine: EngineOptions = Field(default_factory=EngineOptions)
    monitor_state: Optional[MonitorState] = None
    timeline: list[TimelineEntry] = Field(default_factory=list, description="Carried across continue-as-new")


# Names that the client and the workflow must agree on.
WORKFLOW_NAME = "AesopTask"
PROGRESS_QUERY = "progress"
ALERTS_QUERY = "alerts_after"
