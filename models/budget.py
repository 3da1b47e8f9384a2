"""The budget rules, checked in the workflow before every LLM call. Pure functions."""

from __future__ import annotations

from typing import Optional

from models.config import TaskConfig
from models.errors import BudgetExceeded, TaskValidationError
from models.llm import Ledger


def check_budget(ledger: Ledger, config: TaskConfig) -> None:
    """Raise BudgetExceeded, with the ledger in the message, when no further call is allowed."""
    if config.max_llm_tokens is not None and ledger.tokens >= config.max_llm_tokens:
        raise BudgetExceeded(f"max_llm_tokens={config.max_llm_tokens} reached: {describe(ledger)}")
    if config.max_cost_usd is not None:
        if ledger.unpriced_calls:
            raise TaskValidationError(
                "max_cost_usd is set but the worker has no price for this model: add it to AESOP_LLM_PRICES"
            )
        if ledger.cost_usd >= config.max_cost_usd:
            raise BudgetExceeded(f"max_cost_usd={config.max_cost_usd:g} reached: {describe(ledger)}")


def output_allowance(ledger: Ledger, config: TaskConfig) -> Optional[int]:
    """The most output tokens the next call may use without passing max_llm_tokens."""
    if config.max_llm_tokens is None:
        return None
    return max(1, config.max_llm_tokens - ledger.tokens)


def describe(ledger: Ledger) -> str:
    cost = f"${ledger.cost_usd:.4f}" + (f" (+{ledger.unpriced_calls} unpriced calls)" if ledger.unpriced_calls else "")
    return f"{ledger.llm_calls} LLM calls, {ledger.input_tokens} tokens in, {ledger.output_tokens} out, {cost}"
