"""The summarize kind (the seeds' composition example)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SummarizeInputs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    max_length: int = Field(1000, gt=0, le=100_000, description="Characters; the summary never exceeds it")
    focus: str = Field("", max_length=500, description="What the summary should favour")
