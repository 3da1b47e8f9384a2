"""One LLM call from a workflow: budget checked before, ledger updated after, Temporal retrying."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from models.budget import output_allowance
    from models.errors import LLMNotConfigured, LLMUnavailable
    from workflows.activity_failures import raise_typed
    from models.llm import LLM_COMPLETE, Ledger, LLMReply, LLMRequest
    from workflows.policies import activity_retry_policy
    from workflows.task_budget import TaskBudget

LLM_TIMEOUT = timedelta(seconds=150)  # the client's own request timeout is 120 s


async def call_llm(request: LLMRequest, budget: TaskBudget, ledger: Ledger, summary: str) -> LLMReply:
    config = await budget.allow(ledger)
    request = request.model_copy(update={"model": config.llm_model, "max_output_tokens": output_allowance(ledger, config)})
    try:
        reply = await workflow.execute_activity(
            LLM_COMPLETE, request, result_type=LLMReply, start_to_close_timeout=LLM_TIMEOUT,
            retry_policy=activity_retry_policy(config), summary=summary,
        )
    except ActivityError as err:
        raise_typed(err, LLMUnavailable)
    if reply.not_configured:
        raise LLMNotConfigured(reply.content or "no LLM is configured on the worker")
    ledger.add(reply)
    return reply
