"""The agent kind: an LLM decides the next browser actions and function calls until it finishes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.actions import Action
from models.approval import ApprovalPolicy
from models.artifacts import ArtifactRef
from models.composition import SubtaskInfo
from models.llm import Ledger, Message, ToolSpec

SECRET_PREFIX = "env:"  # sensitive_data values name a variable in the worker's environment
DESCRIBE_TOOLS = "describe_tools"
TOOL_ACTIVITY_PREFIX = "tool."


def secret_references(refs: dict[str, str]) -> dict[str, str]:
    for name, ref in refs.items():
        if not ref.startswith(SECRET_PREFIX) or len(ref) == len(SECRET_PREFIX):
            raise ValueError(
                f"sensitive_data[{name!r}] must name a variable of the worker's environment, as 'env:VARIABLE': "
                "a value written here would be stored in the task's history"
            )
    return refs


class AgentInputs(BaseModel):
    """Known keys steer the agent; every other input is data for the goal, shown to the model."""

    model_config = ConfigDict(extra="allow")

    start_url: Optional[str] = None
    output_schema: Optional[dict[str, Any]] = Field(None, description="JSON schema the finish result must match")
    max_steps: int = Field(25, ge=1, le=500, description="LLM decisions before the task fails")
    tools: list[str] = Field(default_factory=list, description="Registered functions the agent may call")
    sensitive_data: dict[str, str] = Field(
        default_factory=dict, description="placeholder -> 'env:VARIABLE' on the worker; the model sees only the placeholder"
    )
    page_text_chars: int = Field(4000, ge=200, le=50_000, description="Page text shown to the model per step")
    require_approval: Optional[ApprovalPolicy] = Field(None, description="Proposals that wait for a person")
    screenshots: bool = Field(
        False, description="Show the model a screenshot of the page at each step: for models that take images"
    )

    _secrets_are_references = field_validator("sensitive_data")(secret_references)

    @property
    def data(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


def placeholder(name: str) -> str:
    """How the model writes a secret; the browser activity types the real value in its place."""
    return f"<secret>{name}</secret>"


class PageView(BaseModel):
    url: str
    title: str = ""
    elements: list[str] = Field(default_factory=list)
    text: str = ""
    text_truncated: bool = False
    fingerprint: str = ""
    screenshot: Optional[ArtifactRef] = None

    def render(self) -> str:
        more = " [text cut]" if self.text_truncated else ""
        return (
            f"URL: {self.url}\nTitle: {self.title}\nInteractive elements (target one with the selector "
            f"[data-aesop-id=\"N\"]):\n" + "\n".join(self.elements) + f"\nVisible text{more}:\n{self.text}"
        )


class AgentState(BaseModel):
    """What an agent carries into its next run when its history is long (continue-as-new)."""

    started_at: datetime
    runs: int = 1
    steps: int = 0
    actions_run: int = 0
    pages_used: int = 0
    ledger: Ledger = Field(default_factory=Ledger)
    turns: list[list[Message]] = Field(default_factory=list, description="Only the steps the prompt still shows")
    notes: list[str] = Field(default_factory=list)
    view: Optional[PageView] = None
    refused: list[str] = Field(default_factory=list)
    recorded: list[Action] = Field(default_factory=list)
    repeats: dict[str, int] = Field(default_factory=dict)
    user_tools: dict[str, ToolSpec] = Field(default_factory=dict)
    session_queue: Optional[str] = None
    retries: int = 0
    workers_lost: int = 0
    approvals: int = 0
    subtasks: list[SubtaskInfo] = Field(default_factory=list)
