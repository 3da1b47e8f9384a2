"""The monitoring kind end to end: real server, real worker, real HTTP(S) on loopback."""

from __future__ import annotations

import asyncio

from client import Task, TaskConfig
from examples.local_site import CERT_DAYS, Reply
from models.lifecycle import TaskState


def monitor(url: str, *, checks=("uptime", "latency"), threshold_ms=1000, **config) -> Task:
    config.setdefault("requests_per_second", 10)
    config.setdefault("max_duration_seconds", 2)
    return Task(
        name="monitor_website",
        description="Monitor website availability and performance",
        config=TaskConfig(**config),
        inputs={"url": url, "checks": list(checks), "alert_threshold_ms": threshold_ms},
    )


async def test_monitor_reports_uptime_and_latency_percentiles(aesop, site):
    result = await aesop.execute_task(monitor(site.url("/"), requests_per_second=5, max_duration_seconds=2))

    assert result.state == TaskState.COMPLETED
    assert 5 <= result.checks_total <= 11
    assert result.checks_total == site.count("/")
    assert result.uptime_percent == 100.0
    assert 0 < result.latency_ms["p50"] <= result.latency_ms["p95"] <= result.latency_ms["max"]
    assert result.alerts == [] and "uptime 100.0%" in result.summary


async def test_alerts_reach_every_handler_once_in_order(aesop, site):
    def script(n: int) -> Reply:
        if n in (3, 4):
            return Reply(delay=0.4)
        if n in (5, 6):
            return Reply(status=503)
        return Reply()

    path = site.script("flappy", script)
    task = monitor(site.url(path), threshold_ms=250, max_retries=0, requests_per_second=5, max_duration_seconds=2.2)
    execution = await aesop.execute_task_async(task)
    first, second = [], []
    execution.on_alert(first.append)

    async def async_handler(alert):
        second.append(alert)

    execution.on_alert(async_handler)
    result = await execution.result()

    kinds = [alert.kind for alert in first]
    assert kinds == ["slow", "down", "recovered", "recovered"]
    assert [a.seq for a in first] == [1, 2, 3, 4] == [a.seq for a in second]
    assert first[0].metrics["latency_ms"] > 250 and first[0].metrics["threshold_ms"] == 250
    assert first[1].metrics["status_code"] == 503 and "down" in first[1].message
    assert result.alerts_total == 4 and result.checks_up == result.checks_total - 2


async def test_valid_certificate_reports_days_to_expiry(aesop, tls_site):
    result = await aesop.execute_task(monitor(tls_site.url("/"), checks=("uptime", "latency", "ssl"), max_duration_seconds=1))

    assert result.uptime_percent == 100.0
    assert CERT_DAYS - 1 < result.ssl_days_left <= CERT_DAYS
    assert result.alerts == []


async def test_untrusted_certificate_raises_ssl_alert_but_site_counts_as_up(aesop):
    import trustme

    from examples.local_site import LocalSite

    stranger = trustme.CA()  # not the CA the worker trusts
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    stranger.issue_cert("127.0.0.1").configure_cert(context)
    with LocalSite(tls=context) as untrusted:
        result = await aesop.execute_task(monitor(untrusted.url("/"), checks=("uptime", "ssl"), max_duration_seconds=1))

    assert result.uptime_percent == 100.0
    assert [a["kind"] for a in result.alerts] == ["ssl_invalid"]
    assert "certificate" in result.alerts[0]["message"].lower()


async def test_certificate_expiring_soon_raises_alert(aesop, ca):
    import datetime
    import ssl

    from examples.local_site import LocalSite

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)
    ca[0].issue_cert("127.0.0.1", not_after=soon).configure_cert(context)
    with LocalSite(tls=context) as expiring:
        result = await aesop.execute_task(monitor(expiring.url("/"), checks=("uptime", "ssl"), max_duration_seconds=1))

    assert [a["kind"] for a in result.alerts] == ["ssl_expiring"]
    assert 2.5 < result.alerts[0]["metrics"]["ssl_days_left"] < 3.01


async def test_status_shows_progress_and_current_action_while_running(aesop, site):
    execution = await aesop.execute_task_async(monitor(site.url("/"), requests_per_second=2, max_duration_seconds=3))
    await asyncio.sleep(1.6)
    status = await execution.status()

    assert status.state == TaskState.RUNNING
    assert 20 <= status.progress <= 90
    assert site.url("/") in status.current_action
    assert status.partial_result["checks_total"] >= 2
    assert status.started_at is not None and status.created_at is not None

    await execution.result()
    final = await execution.status()
    assert final.state == TaskState.COMPLETED and final.progress == 100 and final.completed_at
