"""One Task, one workflow: lifecycle, status Query, search attributes, errors, continue-as-new."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Optional

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from models import search_attributes as sa
    from models.errors import AesopError
    from models.kinds import TaskKind
    from models.lifecycle import TaskState, transition
    from models.monitoring import Alert, MonitorInputs
    from models.run import ALERTS_QUERY, PROGRESS_QUERY, WORKFLOW_NAME, TaskRun
    from models.status import TaskProgress, TaskResult
    from models.validation import validate_for_kind
    from workflows.monitoring import MonitorRunner, initial_state


@workflow.defn(name=WORKFLOW_NAME)
class TaskWorkflow:
    def __init__(self) -> None:
        self._state = TaskState.PENDING
        self._progress = 0.0
        self._action = "waiting for a worker"
        self._error: Optional[str] = None
        self._error_type: Optional[str] = None
        self._started_at: Optional[datetime] = None
        self._monitor: Optional[MonitorRunner] = None

    @workflow.run
    async def run(self, run: TaskRun) -> TaskResult:
        task = run.task
        if run.monitor_state is not None:  # a continued run: already running
            self._state = TaskState.RUNNING
            self._started_at = run.monitor_state.started_at
        else:
            self._set_state(TaskState.RUNNING)
            self._started_at = workflow.now()
        try:
            inputs = validate_for_kind(task)
            summary, output = await self._run_kind(run, inputs)
        except asyncio.CancelledError:
            self._set_state(TaskState.CANCELLED)
            self._report(self._progress, "cancelled")
            raise
        except AesopError as err:
            self._fail(str(err), type(err).__name__)
            raise ApplicationError(str(err), self.progress().model_dump(mode="json"), type=type(err).__name__, non_retryable=True) from None
        self._set_state(TaskState.COMPLETED)
        self._report(100.0, "completed")
        return TaskResult(
            task_id=workflow.info().workflow_id, name=task.name, kind=task.resolved_kind, summary=summary, output=output
        )

    async def _run_kind(self, run: TaskRun, inputs) -> tuple[str, dict]:
        if isinstance(inputs, MonitorInputs):
            state = run.monitor_state or initial_state(run.task)
            self._monitor = MonitorRunner(run.task, inputs, state, run.engine, self._report)
            report = await self._monitor.run()
            if report is None:
                state.runs += 1
                workflow.continue_as_new(TaskRun(task=run.task, engine=run.engine, monitor_state=state))
            up = f"{report.uptime_percent}%" if report.uptime_percent is not None else "n/a"
            summary = (
                f"{report.url}: {report.checks_total} checks, uptime {up}, "
                f"p50 {report.latency_ms['p50']} ms, p95 {report.latency_ms['p95']} ms, {report.alerts_total} alerts"
            )
            return summary, report.model_dump(mode="json")
        raise ApplicationError(f"no runner for {type(inputs).__name__}", non_retryable=True)

    @workflow.query(name=PROGRESS_QUERY)
    def progress(self) -> TaskProgress:
        return TaskProgress(
            state=self._state,
            progress=self._progress,
            current_action=self._action,
            error=self._error,
            error_type=self._error_type,
            retry_count=self._monitor.state.retry_count if self._monitor else 0,
            started_at=self._started_at,
            partial_result=self._monitor.build_report().model_dump(mode="json") if self._monitor else None,
            alerts_total=self._monitor.state.alerts_total if self._monitor else 0,
        )

    @workflow.query(name=ALERTS_QUERY)
    def alerts_after(self, seq: int) -> list[Alert]:
        """Alerts with a sequence number above ``seq``: the client's on_alert cursor."""
        if not self._monitor:
            return []
        return [alert for alert in self._monitor.state.alerts if alert.seq > seq]

    def _report(self, progress: float, action: str) -> None:
        self._progress, self._action = progress, action
        workflow.set_current_details(f"**{self._state.value}** · {progress:.0f}% · {action}")

    def _set_state(self, new: TaskState) -> None:
        self._state = transition(self._state, new)
        workflow.upsert_search_attributes([sa.TASK_STATE.value_set(new.value)])

    def _fail(self, message: str, error_type: str) -> None:
        self._error, self._error_type = message, error_type
        self._set_state(TaskState.FAILED)
        self._report(self._progress, f"failed: {message}")
