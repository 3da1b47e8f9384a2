"""What the browser workflows and activities exchange: playbooks, batches, outcomes."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.actions import Action
from models.agent import PageView, secret_references
from models.artifacts import ArtifactRef
from models.config import TaskConfig


# Activity names that the workflows and the workers must agree on.
RUN_ACTIONS = "run_browser_actions"
CLOSE_SESSION = "close_browser_session"
READ_PAGES = "read_pages"


class PlaybookInputs(BaseModel):
    """A playbook task: actions run in order, durably, with no LLM."""

    model_config = ConfigDict(extra="forbid")

    start_url: Optional[str] = Field(None, description="Loaded before the first action")
    actions: list[Action] = Field(min_length=1, max_length=10_000)
    files: dict[str, str] = Field(default_factory=dict, description="Name -> path on the worker, for upload actions")
    sensitive_data: dict[str, str] = Field(
        default_factory=dict, description="placeholder -> 'env:VARIABLE' on the worker, typed where actions write <secret>name</secret>"
    )

    goal: Optional[str] = Field(
        None, min_length=1, max_length=10_000,
        description="What the playbook is for: when a step no longer works, an LLM agent takes over from it with this goal, "
        "and the result carries the repaired playbook",
    )

    _secrets_are_references = field_validator("sensitive_data")(secret_references)


class ActionOutcome(BaseModel):
    """One action's record: kept in history, so small; big data is in ``artifacts``."""

    index: int
    action: str
    url: str = ""
    data: Any = None
    artifacts: list[ArtifactRef] = Field(default_factory=list)
    blocked: list[str] = Field(default_factory=list, description="Subresource requests the policy refused")
    seconds: float = 0.0
    selector: Optional[str] = Field(None, description="A lasting selector for the element, when the action named an agent's [data-aesop-id]")


class BrowserBatch(BaseModel):
    """Run a task's actions from ``start``, as many as fit in one time slice."""

    task_id: str
    config: TaskConfig
    actions: list[Action] = Field(description="The task's actions from index ``start`` on")
    start: int = 0
    pages_used: int = 0
    files: dict[str, str] = Field(default_factory=dict)
    close_at_end: bool = Field(False, description="These are the task's last actions: close the context after them")
    observe_chars: Optional[int] = Field(None, description="Return a PageView after the batch, with this much page text")
    observe_screenshot: bool = Field(False, description="Add a screenshot of the viewport to the PageView")
    secrets: dict[str, str] = Field(default_factory=dict, description="placeholder name -> 'env:VARIABLE' on the worker")
    slice_seconds: float = Field(2.0, description="Return after this long so the workflow can report progress")


class SessionResult(BaseModel):
    session_queue: str = Field("", description="The queue of the worker that now holds the task's context")


class BatchResult(SessionResult):
    outcomes: list[ActionOutcome]
    next_index: int
    pages_used: int
    url: str = ""
    resumed_from: Optional[int] = Field(None, description="Set when a checkpoint of a lost worker was picked up")
    view: Optional[PageView] = None
