"""Connecting to Temporal: Temporal's own envconfig, plus aesop's converter and tracing."""

from __future__ import annotations

import os
from typing import Optional

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.envconfig import ClientConfig

from client.telemetry import tracing_interceptors
from models.errors import TemporalUnreachable

TASK_QUEUE_ENV = "AESOP_TASK_QUEUE"
DEFAULT_TASK_QUEUE = "aesop"


def default_task_queue() -> str:
    return os.environ.get(TASK_QUEUE_ENV, DEFAULT_TASK_QUEUE)


async def connect(target_host: Optional[str] = None, namespace: Optional[str] = None, profile: Optional[str] = None) -> Client:
    """Connect as the ``temporal`` CLI would: config file profile, then TEMPORAL_* environment.

    TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY and TEMPORAL_TLS* (or a profile in
    temporal.toml) select a self-hosted cluster or Temporal Cloud without code changes.
    """
    settings = ClientConfig.load_client_connect_config(profile=profile)
    if target_host:
        settings["target_host"] = target_host
    if namespace:
        settings["namespace"] = namespace
    settings.setdefault("target_host", "localhost:7233")
    settings.setdefault("namespace", "default")
    try:
        return await Client.connect(
            **settings, data_converter=pydantic_data_converter, interceptors=tracing_interceptors()
        )
    except RuntimeError as err:
        reason = str(err).split("ConnectError(", 1)[-1]
        short = "connection refused" if "Connection refused" in reason else str(err).splitlines()[0][:200]
        raise TemporalUnreachable(
            f"cannot reach Temporal at {settings['target_host']} (namespace {settings['namespace']}): {short}. "
            "Start a local server with `aesop dev start`, or set TEMPORAL_ADDRESS."
        ) from None
