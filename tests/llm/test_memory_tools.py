"""Memory from inside tasks: session memory shared by client and agent, permanent memory across tasks."""

from __future__ import annotations

import json
import threading
import uuid

import pytest

from client import Task
from models.memory import ARTIFACT_KEY, GET_QUERY, MAX_VALUE_BYTES, MemoryEntry, SessionEnded
from tests.llm.test_agent import finish
from tests.test_replay import assert_replays


def tool_replies(request: dict) -> list[str]:
    return [m["content"] for m in request["messages"] if m["role"] == "tool"]


async def test_session_memory_is_shared_by_client_and_agent_and_cleared_when_the_task_ends(aesop, llm, env):
    gate = threading.Event()
    llm.call("remember", {"key": "visited", "value": ["https://a.test/"]}, gate=gate)
    llm.calls([("recall", {"key": "hint"}), ("recall", {})])
    llm.call(*finish({"ok": True}))
    execution = await aesop.execute_task_async(Task(name="memo", description="use memory", inputs={"note": "x"}))
    assert await execution.memory.set("hint", {"go": "left"}) == 1  # while the model is still thinking
    gate.set()
    await execution.result()

    recalled, keys = tool_replies(llm.requests[2])[-2:]
    assert json.loads(recalled) == {"go": "left"}
    assert json.loads(keys.removeprefix("keys in memory: ")) == ["hint", "visited"]
    assert await execution.memory.get("visited") is None and await execution.memory.list() == []
    with pytest.raises(SessionEnded, match="not running: its session memory is gone"):
        await execution.memory.set("late", 1)
    assert await aesop.memory.get("visited") is None  # session memory never reached permanent memory
    await assert_replays(env, execution.id)  # the Update that arrived mid-call replays in its place


async def test_permanent_memory_written_by_one_task_is_recalled_by_the_next_and_by_client_code(aesop, llm):
    key = f"lead-{uuid.uuid4().hex[:6]}"
    llm.call("remember", {"key": key, "value": {"name": "Ada"}})
    llm.call(*finish("stored"))
    await aesop.execute_task(Task(name="writer", description="remember", inputs={"n": 1}, memory_scope="permanent"))
    assert await aesop.memory.get(key) == {"name": "Ada"}

    gate = threading.Event()
    llm.call("recall", {"key": key}, gate=gate)
    llm.call(*finish("read"))
    execution = await aesop.execute_task_async(Task(name="reader", description="recall", inputs={"n": 2}, memory_scope="permanent"))
    with pytest.raises(SessionEnded, match="keeps permanent memory: use aesop.memory"):
        await execution.memory.set("x", 1)
    gate.set()
    await execution.result()
    assert json.loads(tool_replies(llm.requests[-1])[-1]) == {"name": "Ada"}


async def test_values_too_large_for_history_go_to_the_artifact_store(aesop, env):
    key, big = f"page-{uuid.uuid4().hex[:6]}", "x" * (4 * MAX_VALUE_BYTES)
    await aesop.memory.set(key, {"html": big})
    assert await aesop.memory.get(key) == {"html": big}
    raw = await env.client.get_workflow_handle(aesop.memory.memory_id).query(GET_QUERY, key, result_type=MemoryEntry)
    assert set(raw.value) == {ARTIFACT_KEY} and len(json.dumps(raw.value)) < 1000
