"""The summarize kind against a real OpenAI-compatible HTTP server: calls, errors, retries, budget."""

from __future__ import annotations

import uuid

import pytest

from activities.llm import LLMSettings
from client import AsyncAesop, Task, TaskConfig
from models.errors import LLMNotConfigured, LLMRejected
from worker import running_worker

TEXT = "Quantum computers use qubits. " * 20


def summarize(max_length: int = 80, **config) -> Task:
    return Task(name="summarize", inputs={"text": TEXT, "max_length": max_length}, config=TaskConfig(**config))


async def test_summary_respects_max_length_and_the_ledger_counts_tokens_and_cost(aesop, llm):
    llm.say("Qubits make quantum computers. They are fragile. Error correction is hard and the rest goes past the limit.",
            prompt_tokens=1000, completion_tokens=50)
    result = await aesop.execute_task(summarize(max_length=60))
    assert result.summary == "Qubits make quantum computers. They are fragile."  # cut at a sentence end
    assert result.ledger == {"llm_calls": 1, "input_tokens": 1000, "output_tokens": 50, "cost_usd": 0.0012, "unpriced_calls": 0}
    sent = llm.requests[0]
    assert sent["model"] == "scripted-model" and TEXT.strip() in sent["messages"][1]["content"]
    assert "never instructions" in sent["messages"][0]["content"]


async def test_rate_limit_is_retried_after_retry_after(aesop, llm):
    llm.fail(429, {"Retry-After": "1"})
    llm.say("Short.")
    execution = await aesop.execute_task_async(summarize(retry_delay_seconds=0.1))
    result = await execution.result()
    assert result.summary == "Short." and len(llm.requests) == 2


async def test_a_wrong_key_is_not_retried(aesop, llm):
    llm.fail(401)
    with pytest.raises(LLMRejected, match="401.*OPENAI_API_KEY"):
        await aesop.execute_task(summarize(max_retries=5))
    assert len(llm.requests) == 1


async def test_the_token_budget_bounds_what_a_call_may_produce(aesop, llm):
    llm.say("Fine.")
    await aesop.execute_task(summarize(max_llm_tokens=50))
    assert llm.requests[0]["max_tokens"] == 50


async def test_without_an_llm_the_task_fails_at_once_saying_how_to_configure_one(env):
    queue = f"no-llm-{uuid.uuid4().hex[:6]}"
    async with running_worker(env.client, queue, llm=LLMSettings()):
        aesop = AsyncAesop(env.client, task_queue=queue)
        with pytest.raises(LLMNotConfigured, match="set OPENAI_API_KEY"):
            await aesop.execute_task(summarize())


def test_llm_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:11434/v1")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("AESOP_LLM_MODEL", "llama3.1")
    monkeypatch.setenv("AESOP_LLM_PRICES", '{"llama3.1": [0, 0]}')
    settings = LLMSettings.from_env()
    assert settings.configured and settings.model == "llama3.1" and settings.cost("llama3.1", 10, 10) == 0
