"""Kinds of task, how a kind is recognised from the seeds' inputs, and what each kind honours."""

from __future__ import annotations

from enum import Enum
from typing import Any


class TaskKind(str, Enum):
    MONITORING = "monitoring"
    RESEARCH = "research"
    SUMMARIZE = "summarize"
    DATA_PROCESSING = "data_processing"
    PLAYBOOK = "playbook"
    AGENT = "agent"
    PIPELINE = "pipeline"

    def __str__(self) -> str:
        return self.value


def infer_kind(inputs: dict[str, Any]) -> TaskKind:
    """The seeds give no kind; their inputs tell it apart."""
    if "steps" in inputs:
        return TaskKind.PIPELINE
    if "checks" in inputs and "url" in inputs:
        return TaskKind.MONITORING
    if "data_files" in inputs:
        return TaskKind.DATA_PROCESSING
    if "actions" in inputs:
        return TaskKind.PLAYBOOK
    if "text" in inputs:
        return TaskKind.SUMMARIZE
    if "topic" in inputs:
        return TaskKind.RESEARCH
    return TaskKind.AGENT


_LIMITS = frozenset({"max_duration_seconds", "max_retries", "retry_delay_seconds"})
_REQUESTS = frozenset(
    {"allowed_domains", "blocked_domains", "require_https", "user_agent", "requests_per_second", "concurrent_requests"}
)
# A browser kind's actions run one at a time, never above concurrent_requests; research reads
# that many pages at once.
_BROWSER = _LIMITS | _REQUESTS | {"max_pages", "viewport_width", "viewport_height"}
LLM_CONFIG = frozenset({"llm_model", "max_llm_tokens", "max_cost_usd", "on_budget_exhausted"})

# TaskConfig fields each kind can honour; setting any other field is refused for that kind.
SUPPORTED_CONFIG: dict[TaskKind, frozenset[str]] = {
    TaskKind.MONITORING: _LIMITS | _REQUESTS,
    TaskKind.PLAYBOOK: _BROWSER | LLM_CONFIG,  # the LLM limits bind the agent that takes over a broken step
    TaskKind.RESEARCH: _BROWSER | LLM_CONFIG,
    TaskKind.AGENT: _BROWSER | LLM_CONFIG,
    TaskKind.SUMMARIZE: _LIMITS | LLM_CONFIG,
    TaskKind.DATA_PROCESSING: _LIMITS | {"max_memory_mb"},
    # Each step keeps its own limits; the pipeline's time limit bounds them all.
    TaskKind.PIPELINE: frozenset({"max_duration_seconds"}),
}

WHY_UNSUPPORTED: dict[str, str] = {
    "max_pages": "it loads no pages in a browser; use requests_per_second and max_duration_seconds",
    "max_memory_mb": "enforced for data_processing only (monitoring uses constant memory; a browser task's "
    "memory is shared with the worker's other tasks in one Chromium process)",
    "viewport_width": "it uses no browser",
    "viewport_height": "it uses no browser",
    "llm_model": "it calls no LLM",
    "max_llm_tokens": "it calls no LLM",
    "max_cost_usd": "it calls no LLM",
    "on_budget_exhausted": "it calls no LLM",
}

IMPLEMENTED: frozenset[TaskKind] = frozenset(SUPPORTED_CONFIG)
