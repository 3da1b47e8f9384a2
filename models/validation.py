"""Checks a Task against its kind before anything starts (and again inside the workflow)."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from models.access_policy import check_url
from models.errors import TaskValidationError, UnsupportedConfigError
from models.kinds import IMPLEMENTED, LLM_CONFIG, SUPPORTED_CONFIG, WHY_UNSUPPORTED, TaskKind
from models.actions import Navigate, OpenTab, Upload
from models.agent import AgentInputs
from models.browser import PlaybookInputs
from models.composition import PipelineInputs, references
from models.data_processing import MIN_MEMORY_MB, DataInputs
from models.monitoring import MonitorInputs
from models.research import ResearchInputs
from models.summarize import SummarizeInputs
from models.task import Task

INPUT_MODELS: dict[TaskKind, type[BaseModel]] = {
    TaskKind.MONITORING: MonitorInputs,
    TaskKind.PLAYBOOK: PlaybookInputs,
    TaskKind.RESEARCH: ResearchInputs,
    TaskKind.SUMMARIZE: SummarizeInputs,
    TaskKind.AGENT: AgentInputs,
    TaskKind.DATA_PROCESSING: DataInputs,
    TaskKind.PIPELINE: PipelineInputs,
}


def validate_for_kind(task: Task) -> BaseModel:
    """Return the kind's parsed inputs, or raise a typed error that says what to change."""
    kind = task.resolved_kind
    if kind not in IMPLEMENTED:
        raise TaskValidationError(
            f"task {task.name!r} is of kind {kind.value!r}, which this version of aesop cannot run yet "
            f"(available: {', '.join(sorted(k.value for k in IMPLEMENTED))})"
        )
    refused = sorted(task.config.explicitly_set() - SUPPORTED_CONFIG[kind])
    if refused:
        reasons = "; ".join(f"{field}: {WHY_UNSUPPORTED.get(field, 'not used')}" for field in refused)
        raise UnsupportedConfigError(f"the {kind.value} kind cannot honour {', '.join(refused)} ({reasons})")
    try:
        inputs = INPUT_MODELS[kind].model_validate(task.inputs)
    except ValidationError as err:
        raise TaskValidationError(f"inputs of task {task.name!r} are invalid for the {kind.value} kind: {err}") from None
    if isinstance(inputs, MonitorInputs):
        check_url(inputs.url, task.config)
    if isinstance(inputs, PlaybookInputs):
        _check_playbook(inputs, task)
    if isinstance(inputs, ResearchInputs):
        for url in inputs.start_urls:
            check_url(url, task.config)
    if isinstance(inputs, DataInputs) and task.config.max_memory_mb is not None:
        if task.config.max_memory_mb < MIN_MEMORY_MB:
            raise TaskValidationError(
                f"max_memory_mb={task.config.max_memory_mb} is below the {MIN_MEMORY_MB} MB that data processing "
                "needs before it reads any data (Python with pandas)"
            )
    if isinstance(inputs, PipelineInputs):
        for step in inputs.steps:  # a step that takes earlier results is checked once they are filled in
            if not references(step.task.inputs):
                validate_for_kind(step.task)
    if isinstance(inputs, AgentInputs) and inputs.start_url:
        check_url(inputs.start_url, task.config)
    return inputs


def _check_playbook(inputs: PlaybookInputs, task: Task) -> None:
    """What can be known before the browser starts: the URLs it is told to load, the files it uploads."""
    if inputs.start_url:
        check_url(inputs.start_url, task.config)
    llm_limits = sorted(task.config.explicitly_set() & LLM_CONFIG)
    if llm_limits and inputs.goal is None:
        raise UnsupportedConfigError(
            f"a playbook calls an LLM only to take over a broken step, for its goal: {', '.join(llm_limits)} "
            "needs inputs.goal"
        )
    for index, action in enumerate(inputs.actions):
        if isinstance(action, (Navigate, OpenTab)) and action.url:
            check_url(action.url, task.config)
        if isinstance(action, Upload) and action.file not in inputs.files:
            raise TaskValidationError(
                f"action {index} uploads {action.file!r}, which is not in inputs.files {sorted(inputs.files)}"
            )
