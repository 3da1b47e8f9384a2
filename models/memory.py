"""Permanent memory: key/value entries kept by an entity workflow in Temporal itself."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Optional

from pydantic import BaseModel, Field, field_validator

from models.errors import MemoryConflict, MemoryFull, SessionEnded  # noqa: F401 - part of memory's API

MEMORY_WORKFLOW = "AesopMemory"
DEFAULT_MEMORY_ID = "aesop-memory"
SET_UPDATE, DELETE_UPDATE = "memory_set", "memory_delete"
GET_QUERY, KEYS_QUERY = "memory_get", "memory_keys"
# Memory travels in history and across continue-as-new, where Temporal refuses payloads over 2 MB.
MAX_VALUE_BYTES = 64 * 1024
MAX_TOTAL_BYTES = 1024 * 1024
# A larger value is kept in the artifact store; memory holds {ARTIFACT_KEY: reference}.
ARTIFACT_KEY = "$aesop_artifact"


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

    def check(self, write: MemoryWrite) -> None:
        """Raise MemoryConflict or MemoryFull if ``write`` may not be applied."""
        current = self.entries.get(write.key)
        if write.if_version is not None and write.if_version != (current.version if current else 0):
            found = current.version if current else "absent"
            raise MemoryConflict(f"memory key {write.key!r} is at version {found}, not {write.if_version}")
        others = sum(len(json.dumps(e.value)) for k, e in self.entries.items() if k != write.key)
        if others + len(json.dumps(write.value)) > MAX_TOTAL_BYTES:
            raise MemoryFull(f"memory would exceed {MAX_TOTAL_BYTES:,} bytes; delete entries first")

    def apply(self, write: MemoryWrite, now: datetime) -> int:
        """Check, store and return the entry's new version."""
        self.check(write)
        current = self.entries.get(write.key)
        version = (current.version if current else 0) + 1
        self.entries[write.key] = MemoryEntry(value=write.value, version=version, updated_at=now)
        return version



# Activities through which a task reaches permanent memory (an Update needs a client).
PERMANENT_SET, PERMANENT_GET, PERMANENT_KEYS = "permanent_memory_set", "permanent_memory_get", "permanent_memory_keys"
