"""What the workflows and the LLM activity exchange: messages, tools, replies, the budget ledger."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, Field

from models.artifacts import ArtifactRef

# Activity names that workflows and workers must agree on.
LLM_COMPLETE = "llm_complete"


class ToolCall(BaseModel):
    id: str
    name: str
    arguments: str = Field(description="JSON text, as the model wrote it")


class Message(BaseModel):
    role: Literal["system", "user", "assistant", "tool"]
    content: Optional[str] = None
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_call_id: Optional[str] = None
    images: list[ArtifactRef] = Field(default_factory=list, description="Screenshots; the bytes stay in the artifact store")


class ToolSpec(BaseModel):
    name: str
    description: str
    parameters: dict[str, Any]
    max_attempts: int = Field(3, ge=1, description="For a user's function: its activity's retry policy")


class LLMRequest(BaseModel):
    messages: list[Message]
    tools: list[ToolSpec] = Field(default_factory=list)
    model: Optional[str] = Field(None, description="The task's llm_model; else the worker's AESOP_LLM_MODEL")
    max_output_tokens: Optional[int] = Field(None, description="What the task's token budget still allows")


class LLMReply(BaseModel):
    content: Optional[str] = None
    tool_calls: list[ToolCall] = Field(default_factory=list)
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Optional[float] = Field(None, description="None when the worker has no price for the model")
    finish_reason: Optional[str] = None
    not_configured: bool = Field(False, description="The worker has no LLM: content says how to configure one")


class Ledger(BaseModel):
    """What a task has spent, kept in workflow state (so across retries and continue-as-new)."""

    llm_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    unpriced_calls: int = 0

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def absorb(self, other: "Ledger") -> None:
        """Add what a subtask spent."""
        self.llm_calls += other.llm_calls
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.unpriced_calls += other.unpriced_calls
        self.cost_usd = round(self.cost_usd + other.cost_usd, 6)

    def add(self, reply: LLMReply) -> None:
        self.llm_calls += 1
        self.input_tokens += reply.input_tokens
        self.output_tokens += reply.output_tokens
        if reply.cost_usd is None:
            self.unpriced_calls += 1
        else:
            self.cost_usd = round(self.cost_usd + reply.cost_usd, 6)
