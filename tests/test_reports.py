"""End-of-task reports: rendered in each format, written to a directory, POSTed with retries."""

from __future__ import annotations

import json

import pytest

from examples.local_site import Reply
from models.errors import PolicyViolation
from models.report import ReportConfig, TaskReport
from tests.test_monitoring import monitor


def with_report(task, **report):
    return task.model_copy(update={"report": ReportConfig(**report)})


async def test_completed_task_report_goes_to_directory_and_webhook(aesop, site, tmp_path, artifacts):
    hook = site.script("hook", lambda n: Reply(status=503) if n == 1 else Reply())  # retried once
    task = with_report(
        monitor(site.url("/"), max_duration_seconds=1, requests_per_second=4),
        formats=["markdown", "html", "json"], directory=str(tmp_path), webhook_url=site.url(hook),
    )
    result = await aesop.execute_task(task)

    report = TaskReport.model_validate_json((tmp_path / f"{result.task_id}.json").read_text())
    assert report.state == "completed" and report.metrics["checks"] == result.checks_total
    assert [entry.event for entry in report.timeline] == ["running", "completed"]
    assert 0.5 < report.duration_seconds < 10
    markdown = (tmp_path / f"{result.task_id}.md").read_text()
    assert "# monitor_website: completed" in markdown and "| uptime % | 100.0 |" in markdown
    assert "<h1>monitor_website: completed</h1>" in (tmp_path / f"{result.task_id}.html").read_text()
    archived = sorted(p.name.split("-", 1)[1] for p in (artifacts.root / result.task_id).glob("*-report.*"))
    assert archived == ["report.html", "report.json", "report.md"]  # kept with the task's artifacts too

    assert site.count(hook) == 2
    posted = json.loads(site.posts[-1][1])
    assert posted["task_id"] == result.task_id and "inputs" not in posted  # inputs (and their secrets) stay out


async def test_failed_task_report_carries_the_error(aesop, site, tmp_path):
    to_ads = site.script("to-ads-report", lambda n: Reply(status=302, headers={"Location": site.url("/", host="ads.localhost")}))
    task = with_report(monitor(site.url(to_ads), blocked_domains=["ads.localhost"]), formats=["json"], directory=str(tmp_path))
    execution = await aesop.execute_task_async(task)
    with pytest.raises(PolicyViolation):
        await execution.result()

    report = TaskReport.model_validate_json((tmp_path / f"{execution.id}.json").read_text())
    assert report.state == "failed" and report.error_type == "PolicyViolation" and "ads.localhost" in report.error


async def test_refused_webhook_does_not_change_the_outcome(aesop, site):
    gone = site.script("gone", lambda n: Reply(status=404))
    result = await aesop.execute_task(with_report(monitor(site.url("/"), max_duration_seconds=1), webhook_url=site.url(gone)))
    assert result.state == "completed"
    assert site.count(gone) == 1  # a 404 is not retried


def test_report_needs_a_channel():
    with pytest.raises(ValueError, match="needs a channel"):
        ReportConfig(formats=["json"])


async def test_cancelled_task_still_reports(aesop, site, tmp_path):
    from models.errors import TaskCancelled
    from tests.test_lifecycle import eventually

    task = with_report(monitor(site.url("/"), max_duration_seconds=60, requests_per_second=2), formats=["json"], directory=str(tmp_path))
    execution = await aesop.execute_task_async(task)
    await eventually(lambda: _has_checked(execution))
    await aesop.cancel_task(execution.id)
    with pytest.raises(TaskCancelled):
        await execution.result()

    report = TaskReport.model_validate_json((tmp_path / f"{execution.id}.json").read_text())
    assert report.state == "cancelled" and report.metrics["checks"] >= 1


async def _has_checked(execution) -> bool:
    return ((await execution.status()).partial_result or {}).get("checks_total", 0) >= 1
