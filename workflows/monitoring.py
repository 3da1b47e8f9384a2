"""The monitoring kind: checks paced by requests_per_second, alerts on change, bounded history."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Callable, Optional

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError, RetryState, TimeoutError

with workflow.unsafe.imports_passed_through():
    from workflows.history import history_full
    from models.errors import PolicyViolation
    from models.monitoring import Alert, CheckOutcome, CheckRequest, MonitorInputs, MonitorReport, MonitorState
    from models.run import TaskRun
    from models.status import EngineOptions
    from models.task import Task
    from workflows.monitor_rules import evaluate
    from workflows.policies import ACTIVITY_GRACE, HEARTBEAT_TIMEOUT, activity_retry_policy

DEFAULT_INTERVAL_SECONDS = 60.0  # when requests_per_second is not set
# Workflow timers fire with ~1 s resolution; for short intervals the check activity itself
# waits out the last stretch. Longer intervals need no such precision.
PACING_LEAD = timedelta(seconds=1.5)
FINE_PACING_BELOW = timedelta(seconds=10)
ALERTS_KEPT = 500  # most recent alerts carried across continue-as-new

ProgressSink = Callable[[float, str], None]
NextRun = Callable[[MonitorState], TaskRun]  # the workflow's input for a continued run


def initial_state(task: Task) -> MonitorState:
    now = workflow.now()
    limit = task.config.max_duration_seconds
    return MonitorState(
        started_at=now, deadline=now + timedelta(seconds=limit) if limit else None, next_check_at=now
    )


def monitor_runner(run: TaskRun, inputs: MonitorInputs, report: ProgressSink, next_run: NextRun) -> "MonitorRunner":
    return MonitorRunner(run.task, inputs, run.monitor_state or initial_state(run.task), run.engine, report, next_run)


class MonitorRunner:
    duration_is_window = True  # max_duration_seconds is how long it watches, not a limit

    def __init__(
        self, task: Task, inputs: MonitorInputs, state: MonitorState, engine: EngineOptions, report: ProgressSink, next_run: NextRun
    ):
        self.task, self.inputs, self.state, self.engine = task, inputs, state, engine
        self._report, self._next_run = report, next_run
        rps = task.config.requests_per_second
        self.interval = timedelta(seconds=1 / rps if rps else DEFAULT_INTERVAL_SECONDS)
        self.lead = PACING_LEAD if self.interval < FINE_PACING_BELOW else timedelta(0)
        self.in_flight: set[asyncio.Task] = set()
        self.fatal: Optional[PolicyViolation] = None

    @property
    def retry_count(self) -> int:
        return self.state.retry_count

    @property
    def alerts(self) -> list[Alert]:
        return self.state.alerts

    def metrics(self) -> dict:
        report = self.build_report()
        return {
            "checks": report.checks_total,
            "checks up": report.checks_up,
            "checks lost": report.checks_lost,
            "uptime %": report.uptime_percent,
            "latency p50 (ms)": report.latency_ms["p50"],
            "latency p95 (ms)": report.latency_ms["p95"],
            "alerts": report.alerts_total,
            "runs": report.runs,
        }

    def partial_result(self) -> dict:
        return self.build_report().model_dump(mode="json")

    async def run(self) -> tuple[str, dict]:
        """Watch until the window ends; continue-as-new whenever this run's history is full."""
        report = await self._watch()
        if report is None:
            self.state.runs += 1
            workflow.continue_as_new(self._next_run(self.state))
        up = f"{report.uptime_percent}%" if report.uptime_percent is not None else "n/a"
        summary = (
            f"{report.url}: {report.checks_total} checks, uptime {up}, "
            f"p50 {report.latency_ms['p50']} ms, p95 {report.latency_ms['p95']} ms, {report.alerts_total} alerts"
        )
        return summary, report.model_dump(mode="json")

    async def _watch(self) -> Optional[MonitorReport]:
        """The report when the watch ends; None when this run's history is full."""
        try:
            while not self._all_checks_started() and await self._wait_until_due():
                if self._history_full():
                    await workflow.wait_condition(lambda: not self.in_flight)
                    return None
                self._start_check()
            if self._all_checks_started():  # let the last checks finish, within the window
                await self._wait(lambda: not self.in_flight, None, "last checks")
        finally:
            for check in self.in_flight:
                check.cancel()
            await asyncio.gather(*self.in_flight, return_exceptions=True)
        if self.fatal:
            raise self.fatal
        return self.build_report()

    def progress(self) -> float:
        shares = []
        if self.state.deadline:
            total = (self.state.deadline - self.state.started_at).total_seconds()
            shares.append((workflow.now() - self.state.started_at).total_seconds() / total)
        if self.inputs.max_checks:
            shares.append(self.state.checks_total / self.inputs.max_checks)
        return round(min(100.0, max([0.0, *shares]) * 100), 1)

    def build_report(self) -> MonitorReport:
        s = self.state
        latency = {f"p{p}": s.latency.percentile(p) for p in (50, 90, 95, 99)}
        latency["max"] = round(s.latency.max_ms, 1) if s.latency.count else None
        latency["mean"] = round(s.latency.total_ms / s.latency.count, 1) if s.latency.count else None
        return MonitorReport(
            url=self.inputs.url,
            checks_total=s.checks_total,
            checks_up=s.checks_up,
            checks_lost=s.checks_lost,
            uptime_percent=round(100 * s.checks_up / s.checks_total, 2) if s.checks_total else None,
            latency_ms=latency,
            ssl_days_left=s.ssl_days_left,
            alerts=s.alerts,
            alerts_total=s.alerts_total,
            watched_seconds=round((workflow.now() - s.started_at).total_seconds(), 1),
            runs=s.runs,
        )

    def _remaining(self) -> Optional[float]:
        if self.state.deadline is None:
            return None
        return (self.state.deadline - workflow.now()).total_seconds()

    async def _wait(self, ready: Callable[[], bool], until: Optional[datetime], summary: str) -> bool:
        """Wait for ``ready`` (or a fatal error) until ``until``/the deadline; False if time ran out."""
        if ready() or self.fatal is not None:
            return True  # no timer: each would cost history events
        limits = [t for t in (until, self.state.deadline) if t is not None]
        timeout = (min(limits) - workflow.now()).total_seconds() if limits else None
        if timeout is not None and timeout <= 0:
            return False
        try:
            await workflow.wait_condition(lambda: ready() or self.fatal is not None, timeout=timeout, timeout_summary=summary)
            return True
        except asyncio.TimeoutError:
            return False

    async def _wait_until_due(self) -> bool:
        """Wait for the next check's time and a free request slot; False when the watch is over."""
        number = self.state.checks_total + len(self.in_flight) + 1
        self._report(self.progress(), f"waiting for check #{number} of {self.inputs.url}")
        await self._wait(lambda: False, self.state.next_check_at - self.lead, f"check #{number} due")
        if self.fatal or self._past_deadline():
            return False
        slots = self.task.config.concurrent_requests
        if not await self._wait(lambda: len(self.in_flight) < slots, None, "free request slot"):
            return False
        return self.fatal is None and not self._past_deadline() and not self._due_after_deadline()

    def _due_after_deadline(self) -> bool:
        return self.state.deadline is not None and self.state.next_check_at >= self.state.deadline

    def _all_checks_started(self) -> bool:
        return self.inputs.max_checks is not None and self.state.checks_started >= self.inputs.max_checks

    def _past_deadline(self) -> bool:
        remaining = self._remaining()
        return remaining is not None and remaining <= 0

    def _history_full(self) -> bool:
        return history_full(self.engine.history_events_per_run)

    def _start_check(self) -> None:
        self.state.checks_started += 1
        due = max(self.state.next_check_at, workflow.now())
        self.state.next_check_at = due + self.interval
        check = asyncio.create_task(self._check(due))
        self.in_flight.add(check)
        check.add_done_callback(self.in_flight.discard)
        self._report(self.progress(), f"checking {self.inputs.url} (check #{self.state.checks_total + len(self.in_flight)})")

    async def _check(self, due: datetime) -> None:
        config = self.task.config
        request = CheckRequest(
            url=self.inputs.url,
            checks=self.inputs.checks,
            timeout_seconds=self.inputs.timeout_seconds,
            user_agent=config.user_agent,
            policy=config,
            delay_seconds=min(self.lead.total_seconds(), max(0.0, (due - workflow.now()).total_seconds())),
        )
        wait = timedelta(seconds=request.delay_seconds)
        try:
            outcome = await workflow.execute_activity(
                "check_endpoint",
                request,
                result_type=CheckOutcome,
                start_to_close_timeout=timedelta(seconds=self.inputs.timeout_seconds) + ACTIVITY_GRACE + wait,
                heartbeat_timeout=HEARTBEAT_TIMEOUT,
                retry_policy=activity_retry_policy(config),
                summary=f"GET {self.inputs.url}",
            )
        except ActivityError as err:
            if isinstance(err.cause, CancelledError):
                return
            if isinstance(err.cause, TimeoutError):
                # The activity's own timeout means a worker died or stalled (the request's timeout
                # is measured inside it): no measurement of the site, so no alert either.
                self.state.checks_lost += 1
                return
            if isinstance(err.cause, ApplicationError) and err.cause.type == PolicyViolation.__name__:
                self.fatal = PolicyViolation(err.cause.message)
                return
            outcome = self._outcome_of_failure(err)
        self._record(outcome)

    def _outcome_of_failure(self, err: ActivityError) -> CheckOutcome:
        cause = err.cause
        if isinstance(cause, ApplicationError) and cause.details:
            return CheckOutcome.model_validate(cause.details[0])
        attempts = self.task.config.max_retries + 1 if err.retry_state == RetryState.MAXIMUM_ATTEMPTS_REACHED else 1
        message = getattr(cause, "message", None) or str(cause or err)
        return CheckOutcome(url=self.inputs.url, up=False, error=f"check failed: {message}", attempt=attempts)

    def _record(self, outcome: CheckOutcome) -> None:
        s = self.state
        s.checks_total += 1
        s.retry_count += outcome.attempt - 1
        if outcome.up:
            s.checks_up += 1
            if outcome.latency_ms is not None:
                s.latency.add(outcome.latency_ms)
        if outcome.ssl_days_left is not None:
            s.ssl_days_left = outcome.ssl_days_left
        drafts, s.open_conditions = evaluate(outcome, self.inputs, s.open_conditions)
        for draft in drafts:
            s.alerts_total += 1
            alert = Alert(seq=s.alerts_total, kind=draft.kind, message=draft.message, metrics=draft.metrics, at=workflow.now())
            s.alerts = (s.alerts + [alert])[-ALERTS_KEPT:]
            workflow.logger.warning("alert #%d: %s", alert.seq, alert.message)
