"""Risky agent actions wait for a person: approved, rejected, or timed out; never half-done."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from activities.llm import LLMSettings
from client import AsyncAesop
from models.errors import ApprovalNotPending
from tests.conftest import PRICES, TEST_KEY
from worker import running_worker
from tests.llm.test_agent import agent_task, finish

BUY = "<button id=buy onclick=\"fetch('/script/bought', {method: 'POST', body: 'paid'})\">Buy</button>"


def buying(site, timeout: float = 60):
    site.page("bought", "ok")
    page = site.page("shop", BUY)
    return agent_task(site, page, goal="buy the tea", require_approval={"selectors": ["#buy*"], "timeout_seconds": timeout})


async def until_pending(aesop, execution):
    for _ in range(200):
        status = await execution.status()
        if status.pending_approval:
            return status
        await asyncio.sleep(0.05)
    raise AssertionError("never waited for approval")


async def test_an_approved_action_runs_once(aesop, llm, site):
    llm.call("click", {"selector": "#buy"})
    llm.calls([finish("bought")])
    execution = await aesop.execute_task_async(buying(site))
    status = await until_pending(aesop, execution)
    assert status.pending_approval.proposal == "click(selector='#buy')" and site.posts == []
    assert status.current_action.startswith("waiting for approval")
    with pytest.raises(ApprovalNotPending, match="not pending"):
        await aesop.approve(execution.id, approval_id="some-other-id")
    await aesop.approve(execution.id, note="go ahead")
    result = await execution.result()
    assert result.result == "bought" and site.posts == [("/script/bought", b"paid")]
    with pytest.raises(ApprovalNotPending, match="has ended"):
        await aesop.reject(execution.id)


async def test_a_rejected_action_never_runs_and_the_agent_hears_why(aesop, llm, site):
    llm.call("click", {"selector": "#buy"})
    llm.calls([finish(None, "not bought")])
    execution = await aesop.execute_task_async(buying(site))
    await until_pending(aesop, execution)
    await aesop.reject(execution.id, reason="too expensive")
    result = await execution.result()
    assert site.posts == [] and result.summary == "not bought"
    replies = [m["content"] for m in llm.requests[1]["messages"] if m["role"] == "tool"]
    assert replies[-1] == "not done: a person did not approve it: too expensive"


async def test_no_decision_in_time_counts_as_a_rejection(aesop, llm, site):
    llm.call("click", {"selector": "#buy"})
    llm.calls([finish(None, "timed out")])
    result = await aesop.execute_task(buying(site, timeout=1))
    assert site.posts == [] and result.summary == "timed out"
    replies = [m["content"] for m in llm.requests[1]["messages"] if m["role"] == "tool"]
    assert replies[-1] == "not done: a person did not approve it: no decision within 1 s"


async def test_the_wait_survives_a_worker_restart(env, llm, site, browser_pool, artifacts):
    queue = f"approval-restart-{uuid.uuid4().hex[:6]}"
    settings = LLMSettings(api_key=TEST_KEY, base_url=llm.base_url, model="scripted-model", prices=PRICES)
    llm.call("click", {"selector": "#buy"})
    llm.calls([finish("bought")])
    aesop = AsyncAesop(env.client, task_queue=queue)
    async with running_worker(env.client, queue, browser_pool=browser_pool, artifacts=artifacts, llm=settings):
        execution = await aesop.execute_task_async(buying(site))
        await until_pending(aesop, execution)
    # no worker now; a new one rebuilds the waiting task from its history
    async with running_worker(env.client, queue, browser_pool=browser_pool, artifacts=artifacts, llm=settings):
        await aesop.approve(execution.id)
        result = await execution.result()
    assert result.result == "bought" and site.posts == [("/script/bought", b"paid")]
    assert len(llm.requests) == 2
