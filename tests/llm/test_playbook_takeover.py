"""A playbook whose step no longer works: an agent takes over from that step and repairs it."""

from __future__ import annotations

import uuid

import pytest

from activities.llm import LLMSettings
from client import AsyncAesop, Task, TaskConfig
from models.errors import ActionFailed, UnsupportedConfigError
from tests.llm.test_agent import finish
from worker import running_worker

CONFIG = TaskConfig(allowed_domains=["shop.test"], max_retries=0)


def redesigned_shop(site) -> tuple[str, str]:
    thanks = site.page("thanks", "<h1>Order received</h1>")
    form = site.page("order", f"<form method=post action='{thanks}'><input id=qty name=qty>"
                              "<button id=place-order>Place order</button></form>")  # was button#buy
    return site.url(form, host="shop.test"), thanks


def old_playbook(url: str, **extra) -> dict:
    return {"actions": [{"action": "navigate", "url": url}, {"action": "fill", "selector": "#qty", "text": "2"},
                        {"action": "click", "selector": "#buy", "timeout_ms": 300}], **extra}


async def test_an_agent_takes_over_at_the_broken_step_and_the_playbook_is_repaired(aesop, llm, site):
    url, thanks = redesigned_shop(site)
    llm.call("click", {"selector": '[data-aesop-id="1"]'})
    llm.call(*finish("ordered"))
    task = Task(name="reorder", inputs=old_playbook(url, goal="Order 2 kettles"), config=CONFIG)
    result = await aesop.execute_task(task)

    assert site.posts[-1][1] == b"qty=2" and result.url.endswith(thanks)
    assert result.taken_over_at == 2 and "#buy" in result.failed_step and result.ledger["llm_calls"] == 2
    first_prompt = "\n".join(m["content"] or "" for m in llm.requests[0]["messages"])
    assert "Order 2 kettles" in first_prompt and "did 2 steps, then failed" in first_prompt and "action 2 click(selector='#buy') failed" in first_prompt
    assert "Place order" in first_prompt  # the model sees the page where the step failed
    repaired = result.playbook
    assert [(a["action"], a.get("selector")) for a in repaired["actions"]] == [
        ("navigate", None), ("fill", "#qty"), ("click", "#place-order")]
    assert repaired["goal"] == "Order 2 kettles"

    calls = len(llm.requests)
    again = await aesop.execute_task(Task(name="reorder-again", inputs=repaired, config=CONFIG))
    assert len(llm.requests) == calls and again.url.endswith(thanks)  # the repaired playbook needs no LLM


async def test_without_a_goal_the_broken_step_fails_the_task(aesop, llm, site):
    url, _ = redesigned_shop(site)
    with pytest.raises(ActionFailed, match=r"action 2 click\(selector='#buy'\)"):
        await aesop.execute_task(Task(name="reorder", inputs=old_playbook(url), config=CONFIG))
    assert llm.requests == []
    with pytest.raises(UnsupportedConfigError, match="needs inputs.goal"):
        await aesop.execute_task(Task(name="x", inputs=old_playbook(url), config=TaskConfig(max_llm_tokens=100)))


async def test_with_no_llm_on_the_worker_the_broken_step_fails_and_says_why_no_agent_took_over(env, site, browser_pool):
    url, _ = redesigned_shop(site)
    queue = f"no-llm-{uuid.uuid4().hex[:6]}"
    async with running_worker(env.client, queue, browser_pool=browser_pool, llm=LLMSettings()):
        task = Task(name="reorder", inputs=old_playbook(url, goal="Order 2 kettles"), config=CONFIG)
        with pytest.raises(ActionFailed, match=r"#buy.*failed.*no agent could take over: .*OPENAI"):
            await AsyncAesop(env.client, task_queue=queue).execute_task(task)
