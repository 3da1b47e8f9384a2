"""Permanent memory: key/value entries kept by an entity workflow in Temporal itself."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Optional

from pydantic import BaseModel, Field, field_validator

from models.errors import AesopError

MEMORY_WORKFLOW = "AesopMemory"
DEFAULT_MEMORY_ID = "aesop-memory"
SET_UPDATE, DELETE_UPDATE = "memory_set", "memory_delete"
GET_QUERY, KEYS_QUERY = "memory_get", "memory_keys"
# Memory travels in history and across continue-as-new, where Temporal refuses payloads over 2 MB.
MAX_VALUE_BYTES = 64 * 1024
MAX_TOTAL_BYTES = 1024 * 1024


class MemoryConflict(AesopError):
    """A conditional write found another version than it expected: re-read and retry."""


class MemoryFull(AesopError):
    """The value, or memory as a whole, is over its size limit."""


class MemoryEntry(BaseModel):
    value: Any
    version: int
    updated_at: datetime


class MemoryWrite(BaseModel):
    key: str = Field(min_length=1, max_length=200)
    value: Any = None
    if_version: Optional[int] = Field(
        None, ge=0, description="Write only if the entry is at this version (0: only if absent)"
    )

    @field_validator("value")
    @classmethod
    def _small_json(cls, value: Any) -> Any:
        size = len(json.dumps(value))
        if size > MAX_VALUE_BYTES:
            raise ValueError(f"a memory value is {size:,} bytes; the limit is {MAX_VALUE_BYTES:,}")
        return value


class MemoryState(BaseModel):
    entries: dict[str, MemoryEntry] = Field(default_factory=dict)
    history_events_per_run: int = 4000
