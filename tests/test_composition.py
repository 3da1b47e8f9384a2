"""Composition: a pipeline of child tasks, results passed on, typed failures, cancellation cascades."""

from __future__ import annotations

import json

import pytest
from temporalio.client import WorkflowExecutionStatus

from client import Task, TaskConfig
from models.errors import LLMRejected, TaskCancelled, TaskValidationError
from tests.test_lifecycle import eventually


def research_step(site) -> dict:
    return {"task": {
        "name": "research", "config": {"allowed_domains": ["docs.test"], "max_pages": 3},
        "inputs": {"topic": "quantum computing", "start_urls": [site.url("/research/index.html", host="docs.test")]},
    }}


def summarize_step(text: str, name: str = "summarize", **extra) -> dict:
    return {"task": {"name": name, "inputs": {"text": text, "max_length": 200}}, **extra}


def pipeline(*steps: dict, **config) -> Task:
    return Task(name="research_and_summarize", inputs={"steps": list(steps)}, config=TaskConfig(**config))


async def test_research_then_summarize_as_child_tasks_passes_the_content_on(aesop, site, llm):
    llm.say("Qubits and Shor's algorithm [1].")
    llm.say("A short summary of quantum computing.")
    execution = await aesop.execute_task_async(pipeline(research_step(site), summarize_step("{{research.content}}")))
    result = await execution.result()

    assert result.summary == "A short summary of quantum computing."
    assert result.result["summary"] == "A short summary of quantum computing."
    assert "Shor's algorithm" in llm.requests[1]["messages"][1]["content"]  # research's content reached summarize
    status = await execution.status()
    assert [(s.name, s.kind, s.state.value) for s in status.subtasks] == [
        ("research", "research", "completed"), ("summarize", "summarize", "completed")]
    child = await aesop.get_task_status(status.subtasks[1].task_id)
    assert child.parent_task_id == execution.id and child.result.summary == result.summary


async def test_a_failed_child_reaches_the_parent_as_its_typed_error_or_is_handled(aesop, llm):
    llm.fail(401)
    with pytest.raises(LLMRejected, match="step 'first' failed: subtask .*first.*401"):
        await aesop.execute_task(pipeline(summarize_step("some text", "first"), summarize_step("{{first.summary}}")))

    llm.fail(401)
    llm.say("Recovered.")
    result = await aesop.execute_task(pipeline(
        summarize_step("some text", "first", on_error="continue"),
        summarize_step("The first step failed with {{first.error_type}}."),
    ))
    assert result.summary == "Recovered."
    assert "failed with LLMRejected." in llm.requests[-1]["messages"][1]["content"]
    assert [(s["name"], s["state"], s["error_type"]) for s in result.subtasks] == [
        ("first", "failed", "LLMRejected"), ("summarize", "completed", None)]


async def test_cancelling_the_parent_cancels_its_children(aesop, site, env):
    watch = {"task": {"name": "watch", "config": {"max_duration_seconds": 120, "requests_per_second": 2},
                      "inputs": {"url": site.url("/"), "checks": ["uptime"]}}}
    execution = await aesop.execute_task_async(pipeline(watch))

    async def child_running():
        status = await execution.status()
        return status.subtasks and status.subtasks[0].state.value == "running" and site.count("/") > 0
    assert await eventually(child_running)
    child_id = (await execution.status()).subtasks[0].task_id
    await execution.cancel()
    with pytest.raises(TaskCancelled):
        await execution.result()
    assert (await env.client.get_workflow_handle(execution.id).describe()).status == WorkflowExecutionStatus.CANCELED

    async def child_cancelled():
        return (await env.client.get_workflow_handle(child_id).describe()).status == WorkflowExecutionStatus.CANCELED
    assert await eventually(child_cancelled)


async def test_bad_pipelines_are_refused_before_anything_starts(aesop):
    with pytest.raises(TaskValidationError, match="names no earlier step"):
        await aesop.execute_task_async(pipeline(summarize_step("{{later.summary}}"), summarize_step("x", "later")))
    with pytest.raises(TaskValidationError, match="two steps are named 'summarize'"):
        await aesop.execute_task_async(pipeline(summarize_step("a"), summarize_step("b")))
    with pytest.raises(TaskValidationError, match="max_length"):
        await aesop.execute_task_async(pipeline({"task": {"name": "s", "inputs": {"text": "x", "max_length": -1}}}))
    with pytest.raises(TaskValidationError, match="cannot honour max_pages"):
        await aesop.execute_task_async(pipeline(summarize_step("a"), max_pages=3))


async def test_an_agent_starts_a_subtask_within_its_own_remaining_budget(aesop, llm):
    llm.call("run_subtask", {"name": "summarize", "inputs": {"text": "Long text about qubits.", "max_length": 100}},
             prompt_tokens=300, completion_tokens=20)
    llm.say("Child summary.", prompt_tokens=100, completion_tokens=10)
    llm.call("finish", {"result": "ok", "success": True, "summary": "done"}, prompt_tokens=400, completion_tokens=5)
    task = Task(name="boss", description="delegate", inputs={"goal": "summarise"}, config=TaskConfig(max_llm_tokens=5000))
    execution = await aesop.execute_task_async(task)
    result = await execution.result()

    assert llm.requests[1]["max_tokens"] == 5000 - 320  # the child may spend only what the parent has left
    reply = json.loads([m for m in llm.requests[2]["messages"] if m["role"] == "tool"][-1]["content"])
    assert reply["summary"] == "Child summary."
    assert result.ledger["llm_calls"] == 3 and result.ledger["input_tokens"] == 800  # the child's spending included
    status = await execution.status()
    assert [(s.name, s.state.value) for s in status.subtasks] == [("summarize", "completed")]
    assert (await aesop.get_task_status(status.subtasks[0].task_id)).parent_task_id == execution.id


async def test_what_a_failed_subtask_spent_joins_the_parents_ledger(aesop, llm):
    llm.call("run_subtask", {"name": "helper", "inputs": {"goal": "look around"}}, prompt_tokens=300, completion_tokens=20)
    llm.call("recall", {}, prompt_tokens=150, completion_tokens=5)  # the child's first step, paid for
    llm.fail(401)  # the child's second step: the child fails
    llm.call("finish", {"result": "without help", "success": True, "summary": "done"}, prompt_tokens=400, completion_tokens=5)
    execution = await aesop.execute_task_async(Task(name="boss", description="delegate", inputs={"goal": "delegate"}))
    result = await execution.result()

    reply = [m for m in llm.requests[-1]["messages"] if m["role"] == "tool"][-1]["content"]
    assert reply.startswith("error: LLMRejected")
    assert result.ledger["llm_calls"] == 3 and result.ledger["input_tokens"] == 850
    [child] = (await execution.status()).subtasks
    assert child.state.value == "failed" and child.spent.llm_calls == 1 and child.spent.input_tokens == 150
