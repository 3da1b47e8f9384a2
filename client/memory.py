"""``aesop.memory``: permanent key/value memory that outlives tasks, kept in Temporal itself;
``aesop.memory.session(task_id)``: one task's session memory, held by its workflow until it ends.

Values too large for history go to the artifact store; memory keeps a reference and ``get``
follows it, so callers see the value either way.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import uuid
from typing import Any, Optional

from temporalio.client import Client, WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from activities.artifacts import ArtifactStore, LocalArtifactStore
from models.artifacts import ArtifactRef
from models.errors import TYPED_ERRORS
from models.memory import (
    ARTIFACT_KEY,
    DEFAULT_MEMORY_ID,
    DELETE_UPDATE,
    GET_QUERY,
    KEYS_QUERY,
    MEMORY_WORKFLOW,
    SET_UPDATE,
    MemoryEntry,
    MemoryState,
    MAX_VALUE_BYTES,
    MemoryWrite,
    SessionEnded,
)

RETRIES = 12  # about 15 s of backing off before a transient rejection reaches the caller


class AsyncMemory:
    def __init__(
        self,
        client: Client,
        task_queue: str,
        memory_id: str = DEFAULT_MEMORY_ID,
        history_events_per_run: int = 4000,
        *,
        artifacts: Optional[ArtifactStore] = None,
        session: bool = False,
    ):
        self.client, self.task_queue, self.memory_id = client, task_queue, memory_id
        self._history_events_per_run = history_events_per_run
        self._artifacts, self._session = artifacts, session

    def session(self, task_id: str) -> "AsyncMemory":
        """The session memory of a running task (``memory_scope="session"``)."""
        return AsyncMemory(self.client, self.task_queue, task_id, artifacts=self._artifacts, session=True)

    @property
    def artifacts(self) -> ArtifactStore:
        if self._artifacts is None:
            self._artifacts = LocalArtifactStore()
        return self._artifacts

    async def set(self, key: str, value: Any, *, if_version: Optional[int] = None) -> int:
        """Store ``value`` (JSON) under ``key``; return its version. With ``if_version``, only
        if the entry is still at that version (0: only if absent), else MemoryConflict."""
        data = json.dumps(value).encode()
        if len(data) > MAX_VALUE_BYTES:
            ref = self.artifacts.put(f"memory-{self.memory_id}", f"{key}.json", data, "application/json")
            value = {ARTIFACT_KEY: ref.model_dump(mode="json")}
        return await self._update(SET_UPDATE, MemoryWrite(key=key, value=value, if_version=if_version), int)

    async def delete(self, key: str) -> bool:
        return await self._update(DELETE_UPDATE, key, bool)

    async def get(self, key: str, default: Any = None) -> Any:
        entry = await self.entry(key)
        return entry.value if entry else default

    async def entry(self, key: str) -> Optional[MemoryEntry]:
        """The value with its version, for conditional writes."""
        entry = await self._query(GET_QUERY, key, Optional[MemoryEntry], None)
        if entry is not None and isinstance(entry.value, dict) and set(entry.value) == {ARTIFACT_KEY}:
            ref = ArtifactRef.model_validate(entry.value[ARTIFACT_KEY])
            entry = entry.model_copy(update={"value": json.loads(self.artifacts.get(ref))})
        return entry

    async def list(self) -> list[str]:
        return await self._query(KEYS_QUERY, None, list[str], [])

    async def _update(self, name: str, arg: Any, result_type: type):
        update_id = str(uuid.uuid4())  # one id for every attempt: the server applies it once
        if self._session:
            return await self._session_update(name, arg, update_id, result_type)
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
                _raise_typed(failure)
                cause = failure.cause
                if not (isinstance(cause, ApplicationError) and cause.type == "UnprocessedUpdate") or attempt >= RETRIES:
                    raise
            except RPCError as err:
                # Many writers at once: the server caps updates in flight per workflow, and an
                # update can be aborted while the memory workflow continues as new. Neither was applied.
                if err.status not in (RPCStatusCode.RESOURCE_EXHAUSTED, RPCStatusCode.UNAVAILABLE) or attempt >= RETRIES:
                    raise
            await asyncio.sleep(min(0.05 * 2**attempt, 2.0) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    async def _session_update(self, name: str, arg: Any, update_id: str, result_type: type):
        handle = self.client.get_workflow_handle(self.memory_id)
        try:
            return await handle.execute_update(name, arg, id=update_id, result_type=result_type)
        except WorkflowUpdateFailedError as failure:
            _raise_typed(failure)
            raise
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND or "already completed" in str(err):
                raise SessionEnded(f"task {self.memory_id} is not running: its session memory is gone") from None
            raise

    async def _query(self, name: str, arg: Any, result_type: Any, when_empty: Any):
        handle = self.client.get_workflow_handle(self.memory_id)
        try:
            if arg is None:
                return await handle.query(name, result_type=result_type)
            return await handle.query(name, arg, result_type=result_type)
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                if self._session:
                    raise SessionEnded(f"there is no task {self.memory_id}") from None
                return when_empty  # nothing was ever written
            raise


def _raise_typed(failure: WorkflowUpdateFailedError) -> None:
    """A refused write (conflict, full, session ended) as its own class."""
    cause = failure.cause
    if isinstance(cause, ApplicationError) and cause.type in TYPED_ERRORS:
        raise TYPED_ERRORS[cause.type](cause.message) from None
