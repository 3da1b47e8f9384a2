"""Permanent memory as an entity workflow: Updates write, Queries read, one writer at a time."""

from __future__ import annotations

import json
from typing import Optional

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from workflows.history import history_full
    from models.memory import (
        DELETE_UPDATE,
        GET_QUERY,
        KEYS_QUERY,
        MAX_TOTAL_BYTES,
        MEMORY_WORKFLOW,
        SET_UPDATE,
        MemoryConflict,
        MemoryEntry,
        MemoryFull,
        MemoryState,
        MemoryWrite,
    )


@workflow.defn(name=MEMORY_WORKFLOW)
class MemoryWorkflow:
    @workflow.init
    def __init__(self, state: MemoryState) -> None:
        self.state = state

    @workflow.run
    async def run(self, state: MemoryState) -> None:
        await workflow.wait_condition(self._history_full)
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(self.state)

    @workflow.update(name=SET_UPDATE)
    def set(self, write: MemoryWrite) -> int:
        """Store the value; return its new version."""
        self._check(write)  # again here: the validator may have run before an earlier write applied
        current = self.state.entries.get(write.key)
        version = (current.version if current else 0) + 1
        self.state.entries[write.key] = MemoryEntry(value=write.value, version=version, updated_at=workflow.now())
        return version

    @set.validator
    def _validate_set(self, write: MemoryWrite) -> None:
        self._check(write)  # rejected writes leave no trace in history

    @workflow.update(name=DELETE_UPDATE)
    def delete(self, key: str) -> bool:
        return self.state.entries.pop(key, None) is not None

    @workflow.query(name=GET_QUERY)
    def get(self, key: str) -> Optional[MemoryEntry]:
        return self.state.entries.get(key)

    @workflow.query(name=KEYS_QUERY)
    def keys(self) -> list[str]:
        return sorted(self.state.entries)

    def _check(self, write: MemoryWrite) -> None:
        current = self.state.entries.get(write.key)
        if write.if_version is not None and write.if_version != (current.version if current else 0):
            found = current.version if current else "absent"
            raise ApplicationError(
                f"memory key {write.key!r} is at version {found}, not {write.if_version}",
                type=MemoryConflict.__name__,
                non_retryable=True,
            )
        others = sum(len(json.dumps(e.value)) for k, e in self.state.entries.items() if k != write.key)
        if others + len(json.dumps(write.value)) > MAX_TOTAL_BYTES:
            raise ApplicationError(
                f"memory would exceed {MAX_TOTAL_BYTES:,} bytes; delete entries first", type=MemoryFull.__name__, non_retryable=True
            )

    def _history_full(self) -> bool:
        return history_full(self.state.history_events_per_run)
