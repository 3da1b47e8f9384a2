"""Permanent memory: kept in Temporal, outlives tasks, never loses a concurrent update."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio.client import WorkflowExecutionStatus

from client import Aesop
from client.memory import AsyncMemory
from models.memory import MemoryConflict, MemoryFull
from tests.conftest import TASK_QUEUE


def fresh_memory(env, **kwargs) -> AsyncMemory:
    return AsyncMemory(env.client, TASK_QUEUE, memory_id=f"memory-{uuid.uuid4().hex[:8]}", **kwargs)


async def test_set_get_list_delete(env, worker):
    memory = fresh_memory(env)
    assert await memory.get("visited_urls") is None and await memory.list() == []
    assert await memory.set("visited_urls", ["https://example.com"]) == 1
    assert await memory.set("visited_urls", ["https://example.com", "https://example.org"]) == 2
    await memory.set("count", 3)
    assert await memory.get("visited_urls") == ["https://example.com", "https://example.org"]
    assert await memory.list() == ["count", "visited_urls"]
    assert await memory.delete("count") is True and await memory.delete("count") is False
    assert await memory.get("count", default=0) == 0


async def test_conditional_write_detects_a_concurrent_writer(env, worker):
    memory = fresh_memory(env)
    assert await memory.set("owner", "a", if_version=0) == 1
    with pytest.raises(MemoryConflict, match="version 1, not 0"):
        await memory.set("owner", "b", if_version=0)
    assert await memory.get("owner") == "a"


async def test_concurrent_increments_lose_nothing(env, worker):
    memory = fresh_memory(env)
    await memory.set("counter", 0)

    async def increment() -> None:
        while True:
            entry = await memory.entry("counter")
            try:
                await memory.set("counter", entry.value + 1, if_version=entry.version)
                return
            except MemoryConflict:
                await asyncio.sleep(0)

    # 40 writers at once: more updates than the server lets in flight for one workflow, so
    # some are turned away (RESOURCE_EXHAUSTED) and must be retried, not surfaced.
    await asyncio.gather(*(increment() for _ in range(40)))
    assert await memory.get("counter") == 40


async def test_full_memory_is_refused_clearly(env, worker):
    memory = fresh_memory(env)
    for index in range(17):  # 17 x 60 KB fits in 1 MiB; an 18th does not
        await memory.set(f"chunk{index}", "x" * 60_000)
    with pytest.raises(MemoryFull):
        await memory.set("one_more", "x" * 60_000)


async def test_memory_survives_continue_as_new(env, worker):
    memory = fresh_memory(env, history_events_per_run=200)
    for index in range(60):
        await memory.set(f"k{index}", index)
    assert await memory.list() == sorted(f"k{i}" for i in range(60))
    assert await memory.get("k42") == 42
    runs = [w async for w in env.client.list_workflows(f"WorkflowId = '{memory.memory_id}'")]
    assert any(r.status == WorkflowExecutionStatus.CONTINUED_AS_NEW for r in runs)


async def test_seed_memory_example_with_the_sync_client(env, worker):
    def seed_code():
        aesop = Aesop(client=env.client, task_queue=TASK_QUEUE)
        aesop.memory.set("visited_urls", ["https://example.com"])
        return aesop.memory.get("visited_urls")

    assert await asyncio.to_thread(seed_code) == ["https://example.com"]
