"""Aesop: the blocking API of the seeds, driving AsyncAesop on a private event-loop thread."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from typing import Any, Awaitable, Callable, Optional, TypeVar

from temporalio.client import Client

from client.aesop import AsyncAesop, AsyncTaskExecution
from client.memory import AsyncMemory
from client.schedules import ScheduleInfo
from models.agents import AgentStats, TaskSummary
from models.memory import MemoryEntry
from models.monitoring import Alert
from models.status import EngineOptions, TaskResult, TaskStatus
from models.task import Task

T = TypeVar("T")


class _LoopThread:
    """One event loop in a daemon thread; Temporal's client lives on it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="aesop-client", daemon=True)
        self._thread.start()

    def run(self, work: Awaitable[T], timeout: Optional[float] = None) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout)

    def call(self, fn: Callable[[], Any]) -> None:
        self.loop.call_soon_threadsafe(fn)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)


class TaskExecution:
    def __init__(self, loop: _LoopThread, inner: AsyncTaskExecution):
        self._loop, self._inner = loop, inner
        self.id = inner.id
        self.memory = Memory(loop, inner.memory)  # the task's session memory while it runs

    def on_alert(self, handler: Callable[[Alert], None]) -> None:
        """``handler(alert)`` runs in a worker thread, once per alert, in order."""

        async def in_thread(alert: Alert) -> None:
            await asyncio.to_thread(handler, alert)

        self._loop.call(lambda: self._inner.on_alert(in_thread))

    def status(self) -> TaskStatus:
        return self._loop.run(self._inner.status())

    def result(self, timeout: Optional[float] = None) -> TaskResult:
        return self._loop.run(self._inner.result(), timeout)

    wait = result

    def cancel(self) -> None:
        self._loop.run(self._inner.cancel())


class Memory:
    """``aesop.memory`` for plain code: set, get, entry, delete, list."""

    def __init__(self, loop: _LoopThread, inner: AsyncMemory):
        self._loop, self._inner = loop, inner

    def set(self, key: str, value: Any, *, if_version: Optional[int] = None) -> int:
        return self._loop.run(self._inner.set(key, value, if_version=if_version))

    def get(self, key: str, default: Any = None) -> Any:
        return self._loop.run(self._inner.get(key, default))

    def entry(self, key: str) -> Optional[MemoryEntry]:
        return self._loop.run(self._inner.entry(key))

    def delete(self, key: str) -> bool:
        return self._loop.run(self._inner.delete(key))

    def list(self) -> list[str]:
        return self._loop.run(self._inner.list())

    def session(self, task_id: str) -> "Memory":
        """The session memory of a running task (``memory_scope="session"``)."""
        return Memory(self._loop, self._inner.session(task_id))


class Aesop:
    """``Aesop()`` connects to localhost:7233/default unless TEMPORAL_* settings say otherwise."""

    def __init__(
        self,
        target_host: Optional[str] = None,
        namespace: Optional[str] = None,
        *,
        task_queue: Optional[str] = None,
        client: Optional[Client] = None,
        engine: Optional[EngineOptions] = None,
    ):
        self._loop = _LoopThread()
        try:
            if client is not None:
                self._async = AsyncAesop(client, task_queue=task_queue, engine=engine)
            else:
                self._async = self._loop.run(AsyncAesop.connect(target_host, namespace, task_queue=task_queue, engine=engine))
        except BaseException:
            self._loop.close()
            raise
        self.memory = Memory(self._loop, self._async.memory)

    def execute_task(self, task: Task, *, task_id: Optional[str] = None) -> TaskResult:
        return self._loop.run(self._async.execute_task(task, task_id=task_id))

    def execute_task_async(self, task: Task, *, task_id: Optional[str] = None) -> TaskExecution:
        return TaskExecution(self._loop, self._loop.run(self._async.execute_task_async(task, task_id=task_id)))

    def execution(self, task_id: str) -> TaskExecution:
        return TaskExecution(self._loop, self._async.execution(task_id))

    def get_task_status(self, task_id: str) -> TaskStatus:
        return self._loop.run(self._async.get_task_status(task_id))

    def list_tasks(self, state=None, agent_id: Optional[str] = None, name: Optional[str] = None, limit: int = 100) -> list[TaskSummary]:
        return self._loop.run(self._async.list_tasks(state, agent_id, name, limit))

    def get_pending_tasks(self, agent_id: Optional[str] = None) -> list[TaskSummary]:
        return self._loop.run(self._async.get_pending_tasks(agent_id))

    def get_failed_tasks(self, agent_id: Optional[str] = None) -> list[TaskSummary]:
        return self._loop.run(self._async.get_failed_tasks(agent_id))

    def get_agent_stats(self, agent_id: str) -> AgentStats:
        return self._loop.run(self._async.get_agent_stats(agent_id))

    def schedule_task(self, task: Task, every: timedelta, *, schedule_id: Optional[str] = None) -> str:
        return self._loop.run(self._async.schedule_task(task, every, schedule_id=schedule_id))

    def list_schedules(self) -> list[ScheduleInfo]:
        return self._loop.run(self._async.list_schedules())

    def delete_schedule(self, schedule_id: str) -> None:
        self._loop.run(self._async.delete_schedule(schedule_id))

    def cancel_task(self, task_id: str) -> None:
        self._loop.run(self._async.cancel_task(task_id))

    def approve(self, task_id: str, approval_id: Optional[str] = None, note: str = "") -> None:
        self._loop.run(self._async.approve(task_id, approval_id, note))

    def reject(self, task_id: str, reason: str = "", approval_id: Optional[str] = None) -> None:
        self._loop.run(self._async.reject(task_id, reason, approval_id))

    def raise_budget(self, task_id: str, *, max_llm_tokens: Optional[int] = None, max_cost_usd: Optional[float] = None) -> str:
        return self._loop.run(self._async.raise_budget(task_id, max_llm_tokens=max_llm_tokens, max_cost_usd=max_cost_usd))

    def close(self) -> None:
        self._loop.close()

    def __enter__(self) -> "Aesop":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
