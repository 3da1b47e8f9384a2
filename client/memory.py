"""``aesop.memory``: permanent key/value memory that outlives tasks, kept in Temporal itself."""

from __future__ import annotations

import asyncio
import itertools
import random
import uuid
from typing import Any, Optional

from temporalio.client import Client, WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from models.memory import (
    DEFAULT_MEMORY_ID,
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

_ERRORS = {cls.__name__: cls for cls in (MemoryConflict, MemoryFull)}
RETRIES = 12  # about 15 s of backing off before a transient rejection reaches the caller


class AsyncMemory:
    def __init__(self, client: Client, task_queue: str, memory_id: str = DEFAULT_MEMORY_ID, history_events_per_run: int = 4000):
        self.client, self.task_queue, self.memory_id = client, task_queue, memory_id
        self._history_events_per_run = history_events_per_run

    async def set(self, key: str, value: Any, *, if_version: Optional[int] = None) -> int:
        """Store ``value`` (JSON) under ``key``; return its version. With ``if_version``, only
        if the entry is still at that version (0: only if absent), else MemoryConflict."""
        return await self._update(SET_UPDATE, MemoryWrite(key=key, value=value, if_version=if_version), int)

    async def delete(self, key: str) -> bool:
        return await self._update(DELETE_UPDATE, key, bool)

    async def get(self, key: str, default: Any = None) -> Any:
        entry = await self.entry(key)
        return entry.value if entry else default

    async def entry(self, key: str) -> Optional[MemoryEntry]:
        """The value with its version, for conditional writes."""
        return await self._query(GET_QUERY, key, Optional[MemoryEntry], None)

    async def list(self) -> list[str]:
        return await self._query(KEYS_QUERY, None, list[str], [])

    async def _update(self, name: str, arg: Any, result_type: type):
        update_id = str(uuid.uuid4())  # one id for every attempt: the server applies it once
        for attempt in itertools.count():
            start = WithStartWorkflowOperation(  # single use: one per attempt
                MEMORY_WORKFLOW,
                MemoryState(history_events_per_run=self._history_events_per_run),
                id=self.memory_id,
                task_queue=self.task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                static_summary="aesop permanent memory",
            )
            try:
                return await self.client.execute_update_with_start_workflow(
                    name, arg, id=update_id, start_workflow_operation=start, result_type=result_type
                )
            except WorkflowUpdateFailedError as failure:
                cause = failure.cause
                if isinstance(cause, ApplicationError) and cause.type in _ERRORS:
                    raise _ERRORS[cause.type](cause.message) from None
                if not (isinstance(cause, ApplicationError) and cause.type == "UnprocessedUpdate") or attempt >= RETRIES:
                    raise
            except RPCError as err:
                # Many writers at once: the server caps updates in flight per workflow, and an
                # update can be aborted while the memory workflow continues as new. Neither was applied.
                if err.status not in (RPCStatusCode.RESOURCE_EXHAUSTED, RPCStatusCode.UNAVAILABLE) or attempt >= RETRIES:
                    raise
            await asyncio.sleep(min(0.05 * 2**attempt, 2.0) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    async def _query(self, name: str, arg: Any, result_type: Any, when_empty: Any):
        handle = self.client.get_workflow_handle(self.memory_id)
        try:
            if arg is None:
                return await handle.query(name, result_type=result_type)
            return await handle.query(name, arg, result_type=result_type)
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:  # nothing was ever written
                return when_empty
            raise
