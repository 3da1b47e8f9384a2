"""Task: what a user asks aesop to do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from models.config import TaskConfig
from models.errors import TaskValidationError
from models.kinds import TaskKind, infer_kind
from models.report import ReportConfig

MemoryScope = Literal["session", "permanent"]
Priority = Literal["low", "medium", "high", "urgent"]
# Temporal's priority_key: lower runs first (1-5, 3 by default).
PRIORITY_KEYS: dict[str, int] = {"urgent": 1, "high": 2, "medium": 3, "low": 4}
MAX_INPUTS_BYTES = 256 * 1024


class Task(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,199}$")
    description: str = Field("", max_length=10_000)
    config: TaskConfig = Field(default_factory=TaskConfig)
    inputs: dict[str, Any] = Field(default_factory=dict)
    memory_scope: MemoryScope = "session"
    kind: Optional[TaskKind] = Field(None, description="Inferred from the inputs when not given")
    priority: Priority = "medium"
    agent_id: Optional[str] = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")
    report: Optional[ReportConfig] = Field(None, description="Send a report when the task ends")

    @field_validator("inputs")
    @classmethod
    def _inputs_are_small_json(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            size = len(json.dumps(value))
        except (TypeError, ValueError) as err:
            raise ValueError(f"inputs must be JSON-serialisable: {err}") from None
        if size > MAX_INPUTS_BYTES:
            # Inputs travel through workflow history, where Temporal refuses payloads over 2 MB.
            raise ValueError(
                f"inputs are {size:,} bytes; the limit is {MAX_INPUTS_BYTES:,}: pass large data as files or URLs"
            )
        return value

    @property
    def resolved_kind(self) -> TaskKind:
        return self.kind or infer_kind(self.inputs)

    @classmethod
    def from_file(cls, path: str | Path) -> "Task":
        """Load a Task from a YAML or JSON file; errors name the file."""
        path = Path(path)
        try:
            text = path.read_text()
        except OSError as err:
            raise TaskValidationError(f"cannot read task file {path}: {err.strerror}") from None
        try:
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as err:
            raise TaskValidationError(f"{path} is not valid {path.suffix[1:] or 'YAML'}: {err}") from None
        if not isinstance(data, dict):
            raise TaskValidationError(f"{path} must hold a mapping of Task fields")
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            raise TaskValidationError(f"{path}: {err}") from None
