"""At its LLM budget a task can pause until a person raises the limit or stops it."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from client import TaskConfig
from models.errors import TaskCancelled, TaskValidationError, UnsupportedConfigError
from models.lifecycle import TaskState
from models.validation import validate_for_kind
from tests.llm.test_agent import agent_task, finish
from tests.test_infrastructure import ROOT, _env_for
from tests.test_lifecycle import eventually
from tests.test_monitoring import monitor


async def paused(aesop, execution):
    async def check():
        status = await execution.status()
        return status if status.state == TaskState.PAUSED else None
    return await eventually(check)


async def test_a_paused_task_goes_on_when_its_limit_is_raised(aesop, llm, site, env):
    page = site.page("pause", "<p>long work</p>")
    for _ in range(2):
        llm.call("scroll", {"dy": 10}, prompt_tokens=100, completion_tokens=20)
    llm.call(*finish("done at last"), prompt_tokens=100, completion_tokens=5)
    execution = await aesop.execute_task_async(agent_task(site, page, config={"max_llm_tokens": 200, "on_budget_exhausted": "pause"}))

    status = await paused(aesop, execution)
    assert "max_llm_tokens=200 reached: 2 LLM calls" in status.current_action and "aesop.raise_budget" in status.current_action
    assert status.partial_result["ledger"]["llm_calls"] == 2 and len(llm.requests) == 2
    assert await eventually(lambda: _listed(aesop, execution.id))  # found by `aesop list --state paused`
    with pytest.raises(TaskValidationError, match="does not raise the current limit 200"):
        await aesop.raise_budget(execution.id, max_llm_tokens=150)
    with pytest.raises(TaskValidationError, match="has no max_cost_usd to raise"):
        await aesop.raise_budget(execution.id, max_cost_usd=1.0)
    with pytest.raises(TaskValidationError, match="give max_llm_tokens or max_cost_usd"):
        await aesop.raise_budget(execution.id)

    cli = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "client.cli", "raise-budget", execution.id, "--max-llm-tokens", "1000",
        env=_env_for(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    out = (await asyncio.wait_for(cli.communicate(), 30))[0].decode()
    assert cli.returncode == 0 and f"{execution.id} now runs under max_llm_tokens=1000" in out, out
    result = await execution.result()
    assert result.result == "done at last" and result.ledger["llm_calls"] == 3
    assert llm.requests[2]["max_tokens"] == 1000 - 240  # the raised limit is the one in force
    with pytest.raises(TaskValidationError, match="has ended"):
        await aesop.raise_budget(execution.id, max_llm_tokens=2000)


async def _listed(aesop, task_id: str) -> bool:
    return task_id in [t.task_id for t in await aesop.list_tasks(TaskState.PAUSED)]


async def test_a_paused_task_is_stopped_by_cancelling_it(aesop, llm, site):
    page = site.page("pause-stop", "<p>long work</p>")
    llm.call("scroll", {"dy": 10}, prompt_tokens=300, completion_tokens=20)
    task = agent_task(site, page, config={"max_llm_tokens": 200, "on_budget_exhausted": "pause"})
    execution = await aesop.execute_task_async(task)
    await paused(aesop, execution)
    await aesop.cancel_task(execution.id)
    with pytest.raises(TaskCancelled):
        await execution.result()
    status = await execution.status()
    assert status.state == TaskState.CANCELLED and status.partial_result["ledger"]["input_tokens"] == 300
    assert len(llm.requests) == 1


def test_pausing_is_refused_for_kinds_without_an_llm(site):
    task = monitor(site.url("/")).model_copy(update={"config": TaskConfig(on_budget_exhausted="pause")})
    with pytest.raises(UnsupportedConfigError, match="on_budget_exhausted.*calls no LLM"):
        validate_for_kind(task)
