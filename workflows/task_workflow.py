"""One Task, one workflow: lifecycle, status Query, search attributes, errors, continue-as-new."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Optional

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from models import search_attributes as sa
    from models.errors import AesopError
    from models.lifecycle import TaskState, transition
    from models.monitoring import Alert, MonitorInputs
    from models.report import ReportDelivery, TaskReport, TimelineEntry
    from models.run import ALERTS_QUERY, PROGRESS_QUERY, WORKFLOW_NAME, TaskRun
    from models.status import TaskProgress, TaskResult
    from models.validation import validate_for_kind
    from models.browser import PlaybookInputs
    from workflows.monitoring import MonitorRunner, monitor_runner
    from models.research import ResearchInputs
    from workflows.playbook import playbook_runner
    from models.summarize import SummarizeInputs
    from models.agent import AgentInputs, AgentState
    from models.approval import APPROVE_UPDATE, REJECT_UPDATE, Decision
    from workflows.agent import agent_runner
    from workflows.research import research_runner
    from workflows.summarize import summarize_runner
    from models.data_processing import DataInputs
    from workflows.data_processing import data_runner
    from models.composition import PipelineInputs
    from workflows.pipeline import pipeline_runner
    from workflows.policies import REPORT_RETRY, REPORT_TIMEOUT
    from workflows.time_limit import within_time_limit
    from models.errors import SessionEnded
    from models.failures import as_failure
    from models.memory import DELETE_UPDATE, GET_QUERY, KEYS_QUERY, SET_UPDATE, MemoryEntry, MemoryState, MemoryWrite
    from workflows.task_memory import TaskMemory
    from models.budget import RAISE_BUDGET_UPDATE, BudgetRaise, limits
    from workflows.task_budget import TaskBudget


# Each kind's runner: run() -> (summary, output), partial_result(), metrics(), retry_count,
# duration_is_window.
RUNNERS = {
    MonitorInputs: monitor_runner,
    PlaybookInputs: playbook_runner,
    ResearchInputs: research_runner,
    SummarizeInputs: summarize_runner,
    AgentInputs: agent_runner,
    DataInputs: data_runner,
    PipelineInputs: pipeline_runner,
}


@workflow.defn(name=WORKFLOW_NAME)
class TaskWorkflow:
    @workflow.init  # session memory exists before the first Update can arrive
    def __init__(self, run: TaskRun) -> None:
        self._state = TaskState.PENDING
        self._progress = 0.0
        self._action = "waiting for a worker"
        self._error: Optional[str] = None
        self._error_type: Optional[str] = None
        self._started_at: Optional[datetime] = None
        self._runner: Optional[MonitorRunner] = None
        self._timeline: list[TimelineEntry] = []
        self._scope = run.task.memory_scope
        # Session memory, while the task runs; permanent memory is the memory workflow's.
        self._memory = (run.session_memory or MemoryState()) if self._scope == "session" else None
        self._budget = TaskBudget(run.task.config, self._budget_paused)

    @workflow.run
    async def run(self, run: TaskRun) -> TaskResult:
        task = run.task
        self._timeline = list(run.timeline)
        if run.continued is not None:  # a continued run: already running
            self._state = TaskState.RUNNING
            self._started_at = run.continued.started_at
        else:
            self._set_state(TaskState.RUNNING)
            self._started_at = workflow.now()
        try:
            inputs = validate_for_kind(task)
            summary, output = await self._run_kind(run, inputs)
        except asyncio.CancelledError:
            self._set_state(TaskState.CANCELLED)
            self._report(self._progress, "cancelled")
            await self._send_report(task)
            raise
        except AesopError as err:
            self._fail(str(err), type(err).__name__)
            await self._send_report(task)
            raise ApplicationError(str(err), self.progress().model_dump(mode="json"), type=type(err).__name__, non_retryable=True) from None
        self._set_state(TaskState.COMPLETED)
        self._report(100.0, "completed")
        await self._send_report(task, summary)
        return TaskResult(
            task_id=workflow.info().workflow_id, name=task.name, kind=task.resolved_kind, summary=summary, output=output
        )

    async def _run_kind(self, run: TaskRun, inputs) -> tuple[str, dict]:
        """Hand the task to its kind's runner: ``run()`` returns (summary, output)."""
        def next_run(state) -> TaskRun:
            key = "agent_state" if isinstance(state, AgentState) else "monitor_state"
            task = run.task.model_copy(update={"config": self._budget.config})  # with any raised limits
            return run.model_copy(update={key: state, "task": task, "timeline": self._timeline, "session_memory": self._memory})

        self._runner = RUNNERS[type(inputs)](run, inputs, self._report, next_run)
        self._runner.memory = TaskMemory(run.task, self._memory)
        self._runner.budget = self._budget
        if self._runner.duration_is_window:  # monitoring: the runner ends the watch itself
            return await self._runner.run()
        limit = run.task.config.max_duration_seconds
        if limit is not None and self._started_at is not None:  # a continued run has spent some already
            limit = max(0.001, limit - (workflow.now() - self._started_at).total_seconds())
        return await within_time_limit(self._runner.run(), limit, run.task.config.max_duration_seconds)

    def _retry_count(self) -> int:
        return self._runner.retry_count if self._runner else 0

    def _partial_result(self) -> Optional[dict]:
        return self._runner.partial_result() if self._runner else None

    @workflow.query(name=PROGRESS_QUERY)
    def progress(self) -> TaskProgress:
        return TaskProgress(
            state=self._state,
            progress=self._progress,
            current_action=self._action,
            error=self._error,
            error_type=self._error_type,
            retry_count=self._retry_count(),
            started_at=self._started_at,
            partial_result=self._partial_result(),
            pending_approval=getattr(self._runner, "pending_approval", None),
            subtasks=list(getattr(self._runner, "subtasks", [])),
        )

    @workflow.update(name=APPROVE_UPDATE)
    def approve(self, decision: Decision) -> str:
        return self._runner.decide(decision.model_copy(update={"approved": True}))  # type: ignore[union-attr]

    @workflow.update(name=REJECT_UPDATE)
    def reject(self, decision: Decision) -> str:
        return self._runner.decide(decision.model_copy(update={"approved": False}))  # type: ignore[union-attr]

    @approve.validator
    def _validate_approve(self, decision: Decision) -> None:
        self._check_decision(decision)

    @reject.validator
    def _validate_reject(self, decision: Decision) -> None:
        self._check_decision(decision)

    def _check_decision(self, decision: Decision) -> None:
        """Refused before it enters history: nothing pending, or another approval's id."""
        pending = getattr(self._runner, "pending_approval", None)
        if pending is None:
            raise ValueError("this task is not waiting for an approval")
        if decision.approval_id not in (None, pending.id):
            raise ValueError(f"approval {decision.approval_id!r} is not pending (pending: {pending.id!r}, {pending.proposal})")

    @workflow.update(name=SET_UPDATE)
    def memory_set(self, write: MemoryWrite) -> int:
        try:
            return self._session_memory().apply(write, workflow.now())
        except AesopError as err:
            raise as_failure(err) from None

    @memory_set.validator
    def _validate_memory_set(self, write: MemoryWrite) -> None:
        try:
            self._session_memory().check(write)
        except AesopError as err:
            raise as_failure(err) from None

    @workflow.update(name=DELETE_UPDATE)
    def memory_delete(self, key: str) -> bool:
        try:
            return self._session_memory().entries.pop(key, None) is not None
        except AesopError as err:
            raise as_failure(err) from None

    @workflow.query(name=GET_QUERY)
    def memory_get(self, key: str) -> Optional[MemoryEntry]:
        return self._memory.entries.get(key) if self._memory else None

    @workflow.query(name=KEYS_QUERY)
    def memory_keys(self) -> list[str]:
        return sorted(self._memory.entries) if self._memory else []

    def _session_memory(self) -> MemoryState:
        if self._scope != "session":
            raise SessionEnded(f"task {workflow.info().workflow_id} keeps permanent memory: use aesop.memory")
        if self._memory is None:
            raise SessionEnded(f"task {workflow.info().workflow_id} has ended: its session memory is cleared")
        return self._memory

    @workflow.update(name=RAISE_BUDGET_UPDATE)
    def raise_budget(self, new: BudgetRaise) -> str:
        return limits(self._budget.raise_to(new))

    @raise_budget.validator
    def _validate_raise_budget(self, new: BudgetRaise) -> None:
        if self._state.is_final:
            raise ValueError(f"task {workflow.info().workflow_id} has ended: its budget can no longer change")
        self._budget.check(new)

    def _budget_paused(self, reason: Optional[str]) -> None:
        if reason:
            self._set_state(TaskState.PAUSED)
            self._report(self._progress, f"paused: {reason}; raise it with aesop.raise_budget() or cancel the task")
        else:
            self._set_state(TaskState.RUNNING)
            self._report(self._progress, f"going on with {limits(self._budget.config)}")

    @workflow.query(name=ALERTS_QUERY)
    def alerts_after(self, seq: int) -> list[Alert]:
        """Alerts with a sequence number above ``seq``: the client's on_alert cursor."""
        alerts = getattr(self._runner, "alerts", [])  # kinds without alerts have none
        return [alert for alert in alerts if alert.seq > seq]

    def _report(self, progress: float, action: str) -> None:
        self._progress, self._action = progress, action
        workflow.set_current_details(f"**{self._state.value}** · {progress:.0f}% · {action}")

    async def _send_report(self, task, summary: str = "") -> None:
        """Deliver the end-of-task report, if the task asks for one; never changes the outcome."""
        if task.report is None:
            return
        now = workflow.now()
        report = TaskReport(
            task_id=workflow.info().workflow_id,
            name=task.name,
            kind=task.resolved_kind.value,
            state=self._state.value,
            started_at=self._started_at,
            ended_at=now,
            duration_seconds=round((now - self._started_at).total_seconds(), 3),
            retries=self._retry_count(),
            error=self._error,
            error_type=self._error_type,
            summary=summary,
            metrics=self._runner.metrics() if self._runner else {},
            timeline=self._timeline,
        )
        try:
            await workflow.execute_activity(
                "deliver_report",
                ReportDelivery(report=report, config=task.report),
                result_type=list[str],
                start_to_close_timeout=REPORT_TIMEOUT,
                retry_policy=REPORT_RETRY,
                summary="deliver report",
            )
        except ActivityError as err:
            workflow.logger.warning("report for %s not delivered: %s", report.task_id, err.cause or err)

    def _set_state(self, new: TaskState) -> None:
        self._state = transition(self._state, new)
        self._timeline.append(TimelineEntry(at=workflow.now(), event=new.value))
        updates = [sa.TASK_STATE.value_set(new.value)]
        if new == TaskState.RUNNING and self._started_at is None:
            updates.append(sa.TASK_STARTED_AT.value_set(workflow.now()))
        elif new.is_final:
            updates.append(sa.TASK_RETRIES.value_set(self._retry_count()))
            self._memory = None  # session memory lives as long as the task
        workflow.upsert_search_attributes(updates)

    def _fail(self, message: str, error_type: str) -> None:
        self._error, self._error_type = message, error_type
        self._set_state(TaskState.FAILED)
        self._timeline.append(TimelineEntry(at=workflow.now(), event=f"{error_type}: {message}"))
        self._report(self._progress, f"failed: {message}")
