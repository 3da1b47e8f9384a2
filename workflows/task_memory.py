"""What a running task remembers: its session memory (workflow state) or permanent memory (activities)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Optional

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from models.memory import PERMANENT_GET, PERMANENT_KEYS, PERMANENT_SET, MemoryEntry, MemoryState, MemoryWrite
    from workflows.activity_failures import raise_typed
    from models.task import Task

MEMORY_TIMEOUT = timedelta(seconds=30)
MEMORY_RETRY = RetryPolicy(maximum_attempts=5)  # a conflict or full memory is raised non-retryable


class TaskMemory:
    def __init__(self, task: Task, session: Optional[MemoryState]):
        self.scope, self._session = task.memory_scope, session

    async def set(self, key: str, value: Any) -> int:
        write = MemoryWrite(key=key, value=value)  # ValueError when the value is over the size limit
        if self._session is not None:
            return self._session.apply(write, workflow.now())
        return await self._permanent(PERMANENT_SET, write, int)

    async def get(self, key: str) -> Optional[MemoryEntry]:
        if self._session is not None:
            return self._session.entries.get(key)
        return await self._permanent(PERMANENT_GET, key, Optional[MemoryEntry])

    async def keys(self) -> list[str]:
        if self._session is not None:
            return sorted(self._session.entries)
        return await self._permanent(PERMANENT_KEYS, None, list[str])

    async def _permanent(self, name: str, arg: Any, result_type: Any) -> Any:
        try:
            return await workflow.execute_activity(
                name, args=[] if arg is None else [arg], result_type=result_type, start_to_close_timeout=MEMORY_TIMEOUT,
                retry_policy=MEMORY_RETRY, summary=name.replace("_", " "),
            )
        except ActivityError as err:
            raise_typed(err)  # conflict, full
