"""Permanent memory as an entity workflow: Updates write, Queries read, one writer at a time."""

from __future__ import annotations

from typing import Optional

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.history import history_full
    from models.memory import (
        DELETE_UPDATE,
        GET_QUERY,
        KEYS_QUERY,
        MEMORY_WORKFLOW,
        SET_UPDATE,
        MemoryConflict,
        MemoryEntry,
        MemoryFull,
        MemoryState,
        MemoryWrite,
    )
    from models.failures import as_failure


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
        try:  # checked again here: the validator may have run before an earlier write applied
            return self.state.apply(write, workflow.now())
        except (MemoryConflict, MemoryFull) as err:
            raise as_failure(err) from None

    @set.validator
    def _validate_set(self, write: MemoryWrite) -> None:
        try:  # rejected writes leave no trace in history
            self.state.check(write)
        except (MemoryConflict, MemoryFull) as err:
            raise as_failure(err) from None

    @workflow.update(name=DELETE_UPDATE)
    def delete(self, key: str) -> bool:
        return self.state.entries.pop(key, None) is not None

    @workflow.query(name=GET_QUERY)
    def get(self, key: str) -> Optional[MemoryEntry]:
        return self.state.entries.get(key)

    @workflow.query(name=KEYS_QUERY)
    def keys(self) -> list[str]:
        return sorted(self.state.entries)

    def _history_full(self) -> bool:
        return history_full(self.state.history_events_per_run)
