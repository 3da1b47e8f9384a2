"""A simulated 24 h monitor on the time-skipping server: alerts arrive once, history stays bounded."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from client import AsyncAesop, Task, TaskConfig
from examples.local_site import Reply
from models.report import ReportConfig, TaskReport
from models.status import EngineOptions
from tests.conftest import dev_server_options
from worker import running_worker

TIME_SKIPPING = ["--dynamic-config-value", "frontend.WorkflowTimeSkippingEnabled=true"]
# 48 checks make ~600 events: three runs. The experimental time-skipping server (CLI 1.9.1)
# jumps a fourth run's clock ahead by the time already skipped, so the test stays at three.
HISTORY_LIMIT = 250


@pytest.fixture(scope="module")
async def skipping_env():
    async with await WorkflowEnvironment.start_time_skipping_v2(**dev_server_options(), dev_server_extra_args=TIME_SKIPPING) as env:
        yield env


async def test_day_long_monitor_continues_as_new_and_delivers_each_alert_once(skipping_env, site, tmp_path):
    # One check every 30 simulated minutes for 24 h: 48 checks; down for checks 20-22.
    path = site.script("day", lambda n: Reply(status=503) if 20 <= n <= 22 else Reply())
    task = Task(
        name="monitor_website",
        description="Monitor website availability and performance",
        config=TaskConfig(max_duration_seconds=86400, requests_per_second=1 / 1800, max_retries=0),
        inputs={"url": site.url(path), "checks": ["uptime", "latency"], "alert_threshold_ms": 1000},
        report=ReportConfig(formats=["json"], directory=str(tmp_path)),
    )
    async with running_worker(skipping_env.client, "day-monitor"):
        aesop = AsyncAesop(skipping_env.client, task_queue="day-monitor", engine=EngineOptions(history_events_per_run=HISTORY_LIMIT))
        execution = await aesop.execute_task_async(task)
        alerts = []
        execution.on_alert(alerts.append)
        result = await execution.result()

        assert result.checks_total == 48 == site.count(path)
        assert result.checks_up == 45 and result.uptime_percent == 93.75
        assert result.watched_seconds == pytest.approx(86400, abs=60)
        assert [a.kind for a in alerts] == ["down", "recovered"]
        assert [a.seq for a in alerts] == [1, 2]
        assert result.runs == 3

        runs = [run async for run in skipping_env.client.list_workflows(f"WorkflowId = '{execution.id}'")]
        assert len(runs) == result.runs
        assert sum(r.status == WorkflowExecutionStatus.CONTINUED_AS_NEW for r in runs) == result.runs - 1
        for run in runs:
            history = await skipping_env.client.get_workflow_handle(execution.id, run_id=run.run_id).fetch_history()
            assert len(history.events) <= HISTORY_LIMIT + 30

        report = TaskReport.model_validate_json((tmp_path / f"{execution.id}.json").read_text())
        assert [entry.event for entry in report.timeline] == ["running", "completed"]  # carried across runs
        assert report.duration_seconds == pytest.approx(86400, abs=60) and report.metrics["checks"] == 48
