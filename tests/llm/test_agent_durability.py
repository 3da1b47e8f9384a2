"""An agent whose worker is SIGKILLed mid-task resumes elsewhere without paying for finished LLM calls."""

from __future__ import annotations

import asyncio
import uuid

from activities.llm import LLMSettings
from client import AsyncAesop, Task, TaskConfig
from tests.conftest import HOST_RULES, PRICES, TEST_KEY
from tests.llm.test_agent import finish
from tests.test_durability import start_worker_process
from worker import running_worker


async def test_agent_resumes_after_sigkill_without_repeating_llm_calls(env, llm, site, artifacts, browser_pool):
    queue = f"agent-crash-{uuid.uuid4().hex[:6]}"
    page = site.page("slow-agent", "<button id=b onclick=\"fetch('/script/hit', {method: 'POST', body: 'x'})\">go</button>")
    site.page("hit", "ok")
    llm.call("click", {"selector": "#b"})
    llm.call("wait_for", {"timeout_ms": 4000})  # the worker dies during this
    llm.calls([finish("ok")])
    worker_env = {"AESOP_BROWSER_HOST_RULES": HOST_RULES, "AESOP_ARTIFACT_DIR": str(artifacts.root),
                  "OPENAI_API_KEY": TEST_KEY, "OPENAI_BASE_URL": llm.base_url, "AESOP_LLM_MODEL": "scripted-model"}
    doomed = await start_worker_process(env, queue, worker_env)
    aesop = AsyncAesop(env.client, task_queue=queue)
    execution = await aesop.execute_task_async(
        Task(name="agent", description="click and wait", inputs={"start_url": site.url(page, host="shop.test")},
             config=TaskConfig(allowed_domains=["shop.test"]))
    )
    while len(llm.requests) < 2:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)  # inside the 4 s wait
    doomed.kill()
    await doomed.wait()

    settings = LLMSettings(api_key=TEST_KEY, base_url=llm.base_url, model="scripted-model", prices=PRICES)
    async with running_worker(env.client, queue, browser_pool=browser_pool, artifacts=artifacts, llm=settings):
        result = await execution.result()

    assert result.result == "ok"
    assert len(llm.requests) == 3  # the two calls made before the kill were not paid for again
    assert result.ledger["llm_calls"] == 3
    assert len(site.posts) == 1  # the click was not repeated
