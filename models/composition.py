"""Composition: a pipeline of tasks run as child workflows, later steps using earlier results."""

from __future__ import annotations

import re
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.config import TaskConfig
from models.kinds import SUPPORTED_CONFIG, TaskKind
from models.lifecycle import TaskState
from models.llm import Ledger
from models.task import Task

# "{{research.content}}": the output `content` of the step whose task is named `research`.
REFERENCE = re.compile(r"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    task: Task
    on_error: Literal["fail", "continue"] = Field(
        "fail", description="continue: record the step's typed error and run the next steps"
    )


class PipelineInputs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    steps: list[Step] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _names_and_references(self) -> "PipelineInputs":
        seen: list[str] = []
        for step in self.steps:
            name = step.task.name
            if name in seen:
                raise ValueError(f"two steps are named {name!r}: step names must differ so results can be referenced")
            for ref in references(step.task.inputs):
                if split_reference(ref, seen) is None:
                    raise ValueError(f"step {name!r} uses {{{{{ref}}}}}, which names no earlier step (earlier: {seen})")
            seen.append(name)
        return self


class SubtaskInfo(BaseModel):
    """A child task as its parent's status shows it."""

    task_id: str
    name: str
    kind: str
    state: TaskState
    summary: str = ""
    error: Optional[str] = None
    error_type: Optional[str] = None
    spent: Optional[Ledger] = None  # what its LLM calls cost, whether it completed or not


def spent_in(output: Any) -> Optional[Ledger]:
    """The ledger a task's output or partial result carries, if it called an LLM."""
    ledger = output.get("ledger") if isinstance(output, dict) else None
    return Ledger.model_validate(ledger) if isinstance(ledger, dict) else None


def references(value: Any) -> list[str]:
    if isinstance(value, str):
        return REFERENCE.findall(value)
    if isinstance(value, dict):
        return [ref for item in value.values() for ref in references(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in references(item)]
    return []


def split_reference(ref: str, steps: list[str]) -> Optional[tuple[str, list[str]]]:
    """(step name, path in its result); step names may hold dots, so the longest name wins."""
    for name in sorted(steps, key=len, reverse=True):
        if ref == name:
            return name, []
        if ref.startswith(name + "."):
            return name, ref[len(name) + 1 :].split(".")
    return None


def substitute(value: Any, results: dict[str, dict]) -> Any:
    """Fill references in with earlier steps' results: a string that is one reference becomes the
    value itself (any JSON); a reference inside longer text becomes text."""
    if isinstance(value, dict):
        return {key: substitute(item, results) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item, results) for item in value]
    if not isinstance(value, str):
        return value
    whole = REFERENCE.fullmatch(value.strip())
    if whole:
        return resolve(whole.group(1), results)
    return REFERENCE.sub(lambda m: str(resolve(m.group(1), results)), value)


def resolve(ref: str, results: dict[str, dict]) -> Any:
    name, path = split_reference(ref, list(results)) or (None, [])
    if name is None:
        raise LookupError(f"{{{{{ref}}}}} names no finished step")
    value: Any = results[name]
    for part in path:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise LookupError(f"{{{{{ref}}}}}: step {name!r} has no {part!r} in its result")
    return value


def subtask_config(parent: TaskConfig, kind: TaskKind, spent: Ledger) -> TaskConfig:
    """A subtask an agent starts works under its parent's limits and access policy (the fields its
    kind honours), and may spend only what is left of the parent's LLM budget."""
    allowed = SUPPORTED_CONFIG.get(kind, frozenset())
    fields = {k: v for k, v in parent.model_dump(exclude_unset=True).items() if k in allowed}
    if fields.get("max_llm_tokens") is not None:
        fields["max_llm_tokens"] = max(1, parent.max_llm_tokens - spent.tokens)
    if fields.get("max_cost_usd") is not None:
        fields["max_cost_usd"] = max(0.000001, round(parent.max_cost_usd - spent.cost_usd, 6))
    return TaskConfig(**fields)
