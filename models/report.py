"""End-of-task reports (seed 002): metrics and outcome, rendered and sent through channels."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

ReportFormat = Literal["markdown", "html", "json"]


class ReportConfig(BaseModel):
    """Per task. Reports carry metrics and the result, never the task's inputs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    formats: list[ReportFormat] = Field(default_factory=lambda: ["markdown", "json"], min_length=1)
    directory: Optional[str] = Field(None, description="Write <task id>.<ext> here, on the worker")
    webhook_url: Optional[str] = Field(None, pattern=r"^https?://", description="POST the JSON report here")

    @model_validator(mode="after")
    def _has_a_channel(self) -> "ReportConfig":
        if not self.directory and not self.webhook_url:
            raise ValueError("a report needs a channel: set directory, webhook_url or both")
        return self


class TimelineEntry(BaseModel):
    at: datetime
    event: str


class TaskReport(BaseModel):
    task_id: str
    name: str
    kind: str
    state: str
    started_at: datetime
    ended_at: datetime
    duration_seconds: float
    retries: int
    error: Optional[str] = None
    error_type: Optional[str] = None
    summary: str = ""
    metrics: dict[str, Any] = Field(default_factory=dict)
    timeline: list[TimelineEntry] = Field(default_factory=list)


class ReportDelivery(BaseModel):
    report: TaskReport
    config: ReportConfig
