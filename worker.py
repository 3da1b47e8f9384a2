"""The aesop worker: runs every workflow and activity; Ctrl-C / SIGTERM stop it gracefully."""

from __future__ import annotations

import asyncio
import logging
import signal
import uuid
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import AsyncIterator, Optional

from temporalio.client import Client
from temporalio.worker import Worker

from activities.artifacts import ArtifactActivities, ArtifactStore, LocalArtifactStore
from activities.browser.pool import BrowserPool
from activities.browser.reading import PageReader
from activities.browser.session import BrowserActivities
from activities.data.activity import DataActivities
from activities.http_check import HttpCheckActivities
from activities.llm import LLMActivities, LLMSettings
from activities.memory import MemoryActivities
from activities.reports import ReportActivities
from activities.research import ResearchActivities
from activities.tools import tool_activities
from client.connection import connect, default_task_queue
from client.memory import AsyncMemory
from models.errors import TemporalUnreachable
from workflows.memory_workflow import MemoryWorkflow
from workflows.task_workflow import TaskWorkflow

GRACEFUL_SHUTDOWN = timedelta(seconds=10)
# How long a workflow task waits for the worker that cached its workflow before any worker
# takes it. Temporal's default (10 s) is most of the time a task loses when its worker dies.
STICKY_TIMEOUT = timedelta(seconds=3)
# A cancel reaches a running activity in the answer to a heartbeat; heartbeats leave at most
# this often (the default, 0.8 x the heartbeat timeout, would be 4 s for browser batches).
HEARTBEAT_THROTTLE = timedelta(seconds=1)
ALL_WORKFLOWS = [TaskWorkflow, MemoryWorkflow]


@asynccontextmanager
async def running_worker(
    client: Client,
    task_queue: Optional[str] = None,
    *,
    ca_file: Optional[str] = None,
    browser_pool: Optional[BrowserPool] = None,
    artifacts: Optional[ArtifactStore] = None,
    llm: Optional[LLMSettings] = None,
    search_url: Optional[str] = None,
) -> AsyncIterator[Worker]:
    """A started worker for the block's duration; activities' resources are closed after.

    Beside the shared task queue it polls a queue of its own, where the browser actions
    of the tasks whose contexts it holds are sent. Chromium starts with the first browser task.
    """
    queue = task_queue or default_task_queue()
    checks = HttpCheckActivities(ca_file=ca_file)
    pool = browser_pool or BrowserPool()
    store = artifacts or LocalArtifactStore()
    reports = ReportActivities(store)
    browser = BrowserActivities(pool, store, session_queue=f"{queue}-browser-{uuid.uuid4().hex[:12]}")
    reader = PageReader(pool, store, browser.session_queue, search_url)
    research = ResearchActivities(store)
    llm_calls = LLMActivities(llm)
    # On the shared queue a task's first browser activity finds a worker; on this worker's own
    # queue the rest follow it.
    browser_activities = [browser.run_actions, browser.close, reader.read_pages]
    worker = Worker(
        client,
        task_queue=queue,
        workflows=ALL_WORKFLOWS,
        activities=[
            checks.check_endpoint, reports.deliver_report, research.rank, llm_calls.complete, ArtifactActivities(store).put,
            DataActivities(store).process, *browser_activities, *memory_activities(client, queue, store), *tool_activities(),
        ],
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
        max_concurrent_activities=200,
        sticky_queue_schedule_to_start_timeout=STICKY_TIMEOUT,
        max_heartbeat_throttle_interval=HEARTBEAT_THROTTLE,
    )
    session_worker = Worker(
        client,
        task_queue=browser.session_queue,
        activities=browser_activities,
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
        max_concurrent_activities=200,
        max_heartbeat_throttle_interval=HEARTBEAT_THROTTLE,
    )
    try:
        async with worker, session_worker:
            yield worker
    finally:
        await checks.aclose()
        await reports.aclose()
        await llm_calls.aclose()
        if browser_pool is None:
            await pool.close_all()


def memory_activities(client: Client, queue: str, store: ArtifactStore) -> list:
    permanent = MemoryActivities(AsyncMemory(client, queue, artifacts=store))
    return [permanent.set, permanent.get, permanent.keys]


async def serve(task_queue: Optional[str] = None, target_host: Optional[str] = None, namespace: Optional[str] = None) -> None:
    client = await connect(target_host, namespace)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running_worker(client, task_queue):
        logging.info("aesop worker polling task queue %r on %s", task_queue or default_task_queue(), client.service_client.config.target_host)
        await stop.wait()
        logging.info("stopping: finishing running activities (up to %s)", GRACEFUL_SHUTDOWN)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(serve())
    except TemporalUnreachable as err:
        raise SystemExit(f"aesop worker: {err}") from None


if __name__ == "__main__":
    main()
