"""AsyncAesop: the asyncio API. ``Aesop`` (client/sync.py) wraps it for plain code."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any, Optional

from pydantic import ValidationError

from temporalio.client import Client, WorkflowFailureError, WorkflowUpdateFailedError
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from client.agents import LIST_LIMIT, agent_stats, list_tasks, task_query
from client.alerts import AlertHandler, follow_alerts
from client.connection import connect, default_task_queue
from client.failures import not_found_as, task_error
from client.memory import AsyncMemory
from client.schedules import ScheduleInfo, create_schedule, list_schedules
from client.status import read_status
from models import search_attributes as sa
from models.agents import AgentStats, TaskSummary
from models.approval import APPROVE_UPDATE, REJECT_UPDATE, Decision
from models.budget import RAISE_BUDGET_UPDATE, BudgetRaise
from models.errors import AesopError, ApprovalNotPending, TaskValidationError
from models.lifecycle import TaskState
from models.run import WORKFLOW_NAME, TaskRun
from models.status import EngineOptions, TaskResult, TaskStatus
from models.task import Task
from models.task_start import start_options
from models.validation import validate_for_kind


class AsyncTaskExecution:
    """A started task: its id, its status, its result and its alerts."""

    def __init__(self, aesop: "AsyncAesop", task_id: str):
        self.aesop, self.id = aesop, task_id
        self._followers: list[asyncio.Task] = []
        self.memory = aesop.memory.session(task_id)  # the task's session memory while it runs

    def on_alert(self, handler: AlertHandler) -> None:
        """Call ``handler(alert)`` once for every alert this task raises, in order."""
        follower = asyncio.ensure_future(follow_alerts(self.aesop.client, self.id, handler))
        self._followers.append(follower)

    async def status(self) -> TaskStatus:
        return await self.aesop.get_task_status(self.id)

    async def result(self) -> TaskResult:
        """Wait for the end; alert handlers have had every alert by the time this returns."""
        try:
            return await self.aesop.wait_for_result(self.id)
        finally:
            await asyncio.gather(*self._followers, return_exceptions=True)

    async def cancel(self) -> None:
        await self.aesop.cancel_task(self.id)


class AsyncAesop:
    def __init__(self, client: Client, *, task_queue: Optional[str] = None, engine: Optional[EngineOptions] = None):
        self.client = client
        self.task_queue = task_queue or default_task_queue()
        self.engine = engine or EngineOptions()
        self.memory = AsyncMemory(client, self.task_queue, history_events_per_run=self.engine.history_events_per_run)

    @classmethod
    async def connect(
        cls, target_host: Optional[str] = None, namespace: Optional[str] = None, *, task_queue: Optional[str] = None, engine: Optional[EngineOptions] = None
    ) -> "AsyncAesop":
        return cls(await connect(target_host, namespace), task_queue=task_queue, engine=engine)

    async def execute_task(self, task: Task, *, task_id: Optional[str] = None) -> TaskResult:
        execution = await self.execute_task_async(task, task_id=task_id)
        return await execution.result()

    async def execute_task_async(self, task: Task, *, task_id: Optional[str] = None) -> AsyncTaskExecution:
        """Validate, then start. Invalid tasks raise before anything reaches the server."""
        if not isinstance(task, Task):
            raise TaskValidationError(f"expected a Task, got {type(task).__name__}")
        validate_for_kind(task)
        task_id = task_id or f"{task.name}-{uuid.uuid4().hex[:12]}"
        try:
            await self.client.start_workflow(
                WORKFLOW_NAME,
                TaskRun(task=task, engine=self.engine),
                id=task_id,
                task_queue=self.task_queue,
                result_type=TaskResult,
                **start_options(task),
            )
        except WorkflowAlreadyStartedError:
            raise TaskValidationError(f"a task with id {task_id!r} already exists") from None
        except RPCError as err:
            if "search attribute" in str(err).lower():
                raise AesopError(
                    f"the namespace lacks aesop's search attributes ({err}); register them with "
                    + " ".join(
                        f"`temporal operator search-attribute create --name {k.name} --type {k.indexed_value_type.name.title()}`"
                        for k in sa.ALL
                    )
                ) from None
            raise
        return AsyncTaskExecution(self, task_id)

    def execution(self, task_id: str) -> AsyncTaskExecution:
        """A handle on a task started earlier (by id)."""
        return AsyncTaskExecution(self, task_id)

    async def wait_for_result(self, task_id: str) -> TaskResult:
        handle = self.client.get_workflow_handle(task_id, result_type=TaskResult)
        try:
            with not_found_as(f"no task with id {task_id!r}"):
                return await handle.result()
        except WorkflowFailureError as failure:
            raise task_error(task_id, failure) from None

    async def get_task_status(self, task_id: str) -> TaskStatus:
        return await read_status(self.client, task_id)

    async def list_tasks(
        self, state: Optional[TaskState] = None, agent_id: Optional[str] = None, name: Optional[str] = None, limit: int = 100
    ) -> list[TaskSummary]:
        """Tasks from Temporal's visibility store, newest first (eventually consistent: ~1 s)."""
        return await list_tasks(self.client, task_query(state, agent_id, name), limit)

    async def get_pending_tasks(self, agent_id: Optional[str] = None) -> list[TaskSummary]:
        """Tasks started but not yet picked up by a worker."""
        return await self.list_tasks(TaskState.PENDING, agent_id, limit=LIST_LIMIT)

    async def get_failed_tasks(self, agent_id: Optional[str] = None) -> list[TaskSummary]:
        return await self.list_tasks(TaskState.FAILED, agent_id, limit=LIST_LIMIT)

    async def get_agent_stats(self, agent_id: str) -> AgentStats:
        return agent_stats(agent_id, await self.list_tasks(agent_id=agent_id, limit=LIST_LIMIT))

    async def schedule_task(self, task: Task, every: timedelta, *, schedule_id: Optional[str] = None) -> str:
        """Start ``task`` every ``every`` (a Temporal Schedule; overlapping runs are skipped)."""
        validate_for_kind(task)
        schedule_id = schedule_id or f"{task.name}-every-{int(every.total_seconds())}s-{uuid.uuid4().hex[:6]}"
        run = TaskRun(task=task, engine=self.engine)
        return await create_schedule(self.client, schedule_id, every, self.task_queue, run, start_options(task))

    async def list_schedules(self) -> list[ScheduleInfo]:
        return await list_schedules(self.client)

    async def delete_schedule(self, schedule_id: str) -> None:
        """Stop future runs; runs already started go on."""
        with not_found_as(f"no schedule with id {schedule_id!r}"):
            await self.client.get_schedule_handle(schedule_id).delete()

    async def cancel_task(self, task_id: str) -> None:
        with not_found_as(f"no task with id {task_id!r}"):
            await self.client.get_workflow_handle(task_id).cancel()

    async def approve(self, task_id: str, approval_id: Optional[str] = None, note: str = "") -> None:
        """Let the task do what waits for approval (``status.pending_approval``)."""
        await self._decide(APPROVE_UPDATE, task_id, Decision(approval_id=approval_id, approved=True, note=note))

    async def reject(self, task_id: str, reason: str = "", approval_id: Optional[str] = None) -> None:
        """Refuse it: the agent is told, with the reason, and carries on without it."""
        await self._decide(REJECT_UPDATE, task_id, Decision(approval_id=approval_id, approved=False, note=reason))

    async def raise_budget(
        self, task_id: str, *, max_llm_tokens: Optional[int] = None, max_cost_usd: Optional[float] = None
    ) -> str:
        """Raise a running task's LLM limits; a task paused at its budget (``on_budget_exhausted="pause"``)
        goes on. Returns the limits now in force."""
        try:
            new = BudgetRaise(max_llm_tokens=max_llm_tokens, max_cost_usd=max_cost_usd)
        except ValidationError as err:
            raise TaskValidationError(f"raise_budget: {err.errors()[0]['msg']}") from None
        return await self._task_update(task_id, RAISE_BUDGET_UPDATE, new, TaskValidationError, "its budget can no longer change")

    async def _decide(self, update: str, task_id: str, decision: Decision) -> None:
        await self._task_update(task_id, update, decision, ApprovalNotPending, "nothing waits for approval")

    async def _task_update(self, task_id: str, update: str, arg: Any, refused: type[Exception], ended: str) -> str:
        """A validated Update on a running task; ``refused`` when the task turns it down or has ended."""
        with not_found_as(f"no task with id {task_id!r}"):
            try:
                return await self.client.get_workflow_handle(task_id).execute_update(update, arg, result_type=str)
            except WorkflowUpdateFailedError as failure:
                raise refused(getattr(failure.cause, "message", None) or str(failure)) from None
            except RPCError as err:
                if err.status == RPCStatusCode.NOT_FOUND and "completed" in err.message:
                    raise refused(f"task {task_id} has ended: {ended}") from None
                raise
