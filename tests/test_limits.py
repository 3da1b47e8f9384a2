"""TaskConfig limits are enforced, not advisory: pacing, concurrency, time, retries, policy."""

from __future__ import annotations

import time

import pytest
from temporalio.api.enums.v1 import EventType

from examples.local_site import Reply
from models.errors import PolicyViolation
from models.lifecycle import TaskState
from tests.test_monitoring import monitor


async def test_requests_per_second_paces_every_request(aesop, site):
    await aesop.execute_task(monitor(site.url("/"), requests_per_second=4, max_duration_seconds=3))

    times = [seen.at for seen in site.requests]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert 8 <= len(times) <= 13  # 4/s for 3 s
    assert min(gaps) >= 0.25 * 0.85, gaps  # never faster than the limit (15 % clock slack)


async def test_concurrent_requests_caps_requests_in_flight(aesop, site):
    await aesop.execute_task(
        monitor(site.url("/slow?ms=1200"), threshold_ms=5000, requests_per_second=20, concurrent_requests=2, max_duration_seconds=3)
    )
    assert site.peak_in_flight == 2


async def test_one_request_at_a_time_by_default(aesop, site):
    await aesop.execute_task(monitor(site.url("/slow?ms=600"), threshold_ms=5000, requests_per_second=20, max_duration_seconds=2))
    assert site.peak_in_flight == 1


async def test_watch_window_ends_the_monitor_and_cancels_a_hung_check(aesop, env, site):
    task = monitor(site.url("/slow?ms=20000"), checks=("uptime",), max_duration_seconds=2)
    task = task.model_copy(update={"inputs": {**task.inputs, "timeout_seconds": 60}})
    started = time.monotonic()
    execution = await aesop.execute_task_async(task)
    result = await execution.result()

    assert time.monotonic() - started < 8  # not the 20 s the server would take
    assert result.state == TaskState.COMPLETED and result.checks_total == 0
    events = [e.event_type async for e in env.client.get_workflow_handle(execution.id).fetch_history_events()]
    assert EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED in events


async def test_failed_requests_are_retried_and_counted(aesop, site):
    path = site.script("flaky", lambda n: Reply(status=503) if n <= 2 else Reply())
    execution = await aesop.execute_task_async(
        monitor(site.url(path), max_retries=3, retry_delay_seconds=0.1, requests_per_second=5, max_duration_seconds=4)
    )
    result = await execution.result()

    assert result.checks_total >= 1 and result.uptime_percent == 100.0
    assert site.count(path) == result.checks_total + 2
    assert (await execution.status()).retry_count == 2


async def test_retries_exhausted_reports_the_site_down(aesop, site):
    path = site.script("dead", lambda n: Reply(status=500))
    result = await aesop.execute_task(
        monitor(site.url(path), max_retries=1, retry_delay_seconds=0.1, requests_per_second=5, max_duration_seconds=2.5)
    )
    # each finished check made 2 attempts; one more may have been cut off by the window's end
    assert 2 * result.checks_total <= site.count(path) <= 2 * result.checks_total + 2
    assert [a["kind"] for a in result.alerts] == ["down"]
    assert result.alerts[0]["metrics"]["status_code"] == 500


async def test_redirect_to_blocked_domain_fails_the_task_without_retrying(aesop, site):
    target = site.url("/", host="blocked.localhost")
    path = site.script("to-blocked", lambda n: Reply(status=302, headers={"Location": target}))
    execution = await aesop.execute_task_async(
        monitor(site.url(path), blocked_domains=["blocked.localhost"], max_retries=3, max_duration_seconds=5)
    )
    with pytest.raises(PolicyViolation, match="blocked.localhost"):
        await execution.result()

    status = await execution.status()
    assert status.state == TaskState.FAILED and status.error_type == "PolicyViolation"
    assert status.retry_count == 0 and site.count(path) == 1 and site.count("/") == 1


async def test_user_agent_is_sent(aesop, site):
    await aesop.execute_task(monitor(site.url("/"), user_agent="aesop-monitor/1.0", max_duration_seconds=1))
    assert {seen.user_agent for seen in site.requests} == {"aesop-monitor/1.0"}


async def test_max_checks_ends_the_monitor_after_that_many_checks(aesop, site):
    task = monitor(site.url("/"), requests_per_second=20, max_duration_seconds=None)
    task = task.model_copy(update={"inputs": {**task.inputs, "max_checks": 3}})
    started = time.monotonic()
    result = await aesop.execute_task(task)
    assert result.checks_total == 3 == site.count("/")
    assert time.monotonic() - started < 3
