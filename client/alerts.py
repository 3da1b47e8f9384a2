"""Delivers a monitor's alerts to a handler, each exactly once and in order (a Query cursor)."""

from __future__ import annotations

import asyncio
import inspect
import logging
from datetime import timedelta
from typing import Awaitable, Callable, Union

from temporalio.client import Client, WorkflowExecutionStatus

from client.status import describe_or_raise
from models.monitoring import Alert
from models.run import ALERTS_QUERY

AlertHandler = Callable[[Alert], Union[None, Awaitable[None]]]
POLL_SECONDS = 0.5
log = logging.getLogger("aesop.alerts")


async def follow_alerts(client: Client, task_id: str, handler: AlertHandler, poll_seconds: float = POLL_SECONDS) -> None:
    """Poll until the task has closed and its last alerts are delivered.

    Queries add nothing to history, so a 24 h monitor costs its history nothing here. A
    handler registered late still receives the alerts raised before it (kept up to a cap).
    """
    handle = client.get_workflow_handle(task_id)
    cursor = 0
    while True:
        closed = (await describe_or_raise(handle)).status != WorkflowExecutionStatus.RUNNING
        try:
            alerts = await handle.query(ALERTS_QUERY, cursor, result_type=list[Alert], rpc_timeout=timedelta(seconds=10))
        except Exception as err:  # mid continue-as-new, or closed with no worker left to answer
            log.debug("alert query for %s failed: %s", task_id, err)
            alerts = []
        for alert in alerts:
            await _deliver(handler, alert)
            cursor = alert.seq
        if closed:
            return
        await asyncio.sleep(poll_seconds)


async def _deliver(handler: AlertHandler, alert: Alert) -> None:
    try:
        outcome = handler(alert)
        if inspect.isawaitable(outcome):
            await outcome
    except Exception:
        log.exception("on_alert handler %r raised on alert #%d", handler, alert.seq)
