"""The budget rules, checked in the workflow before every LLM call. Pure functions."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.config import TaskConfig
from models.errors import BudgetExceeded, TaskValidationError
from models.llm import Ledger


RAISE_BUDGET_UPDATE = "raise_budget"


class BudgetRaise(BaseModel):
    """New, higher LLM limits for a running task (``aesop.raise_budget``)."""

    model_config = ConfigDict(extra="forbid")

    max_llm_tokens: Optional[int] = Field(None, gt=0)
    max_cost_usd: Optional[float] = Field(None, gt=0)

    @model_validator(mode="after")
    def _names_a_limit(self) -> "BudgetRaise":
        if self.max_llm_tokens is None and self.max_cost_usd is None:
            raise ValueError("give max_llm_tokens or max_cost_usd (or both)")
        return self


def raised(config: TaskConfig, new: BudgetRaise) -> TaskConfig:
    """``config`` with the higher limits; ValueError for a limit the task does not have or a lower one."""
    changes = new.model_dump(exclude_none=True)
    for name, value in changes.items():
        current = getattr(config, name)
        if current is None:
            raise ValueError(f"the task has no {name} to raise")
        if value <= current:
            raise ValueError(f"{name}={value:g} does not raise the current limit {current:g}")
    return config.model_copy(update=changes)


def limits(config: TaskConfig) -> str:
    return ", ".join(f"{name}={getattr(config, name):g}" for name in BudgetRaise.model_fields if getattr(config, name) is not None)


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
