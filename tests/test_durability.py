"""A worker killed mid-task: another worker carries on from the history, repeating nothing."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from typing import Optional

from client import AsyncAesop
from examples.local_site import Reply
from tests.conftest import ROOT
from tests.test_monitoring import monitor
from worker import running_worker


async def start_worker_process(env, queue: str, extra_env: Optional[dict[str, str]] = None) -> asyncio.subprocess.Process:
    environment = {
        **os.environ, "TEMPORAL_ADDRESS": env.client.service_client.config.target_host, "AESOP_TASK_QUEUE": queue,
        **(extra_env or {}),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "worker.py", env=environment, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    while b"polling" not in await asyncio.wait_for(proc.stdout.readline(), 30):
        pass
    return proc


async def test_monitor_resumes_on_another_worker_after_sigkill(env, site):
    queue = f"crash-{uuid.uuid4().hex[:6]}"
    path = site.script("crash", lambda n: Reply(status=503) if n in (2, 3) else Reply())
    doomed = await start_worker_process(env, queue)
    aesop = AsyncAesop(env.client, task_queue=queue)
    execution = await aesop.execute_task_async(
        monitor(site.url(path), max_retries=0, requests_per_second=4, max_duration_seconds=20)
    )
    while ((await execution.status()).partial_result or {}).get("checks_total", 0) < 6:
        await asyncio.sleep(0.2)
    before = await execution.status()
    doomed.kill()  # SIGKILL: no graceful shutdown, its in-flight work is simply lost
    await doomed.wait()

    async with running_worker(env.client, queue):
        alerts = []
        execution.on_alert(alerts.append)
        result = await execution.result()

    assert result.checks_total > before.partial_result["checks_total"]  # kept checking after the kill
    assert [a.kind for a in alerts] == ["down", "recovered"]  # raised once, before the kill; not again
    assert before.partial_result["alerts_total"] == 2 == result.alerts_total
    # the check in flight at the kill is lost (our failure, not the site's), not counted as down
    assert result.checks_lost <= 1 and result.checks_up == result.checks_total - 2
    assert result.checks_total <= site.count(path) <= result.checks_total + result.checks_lost
