"""Durable human approval of risky agent actions: what needs it, what is pending, the decision."""

from __future__ import annotations

import fnmatch
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

APPROVE_UPDATE = "approve"
REJECT_UPDATE = "reject"


class ApprovalPolicy(BaseModel):
    """Which of the agent's proposals wait for a person (``aesop.approve`` / ``aesop.reject``)."""

    model_config = ConfigDict(extra="forbid")

    actions: list[str] = Field(default_factory=list, description="Browser action names, e.g. ['click', 'press']")
    selectors: list[str] = Field(default_factory=list, description="Glob patterns of the targets, e.g. ['#buy*', 'role=button[name=\"Pay*']")
    tools: list[str] = Field(default_factory=list, description="Names of registered functions")
    timeout_seconds: float = Field(3600, gt=0, description="No decision by then counts as a rejection")

    def needs_approval(self, name: str, selector: Optional[str]) -> bool:
        if name in self.actions or name in self.tools:
            return True
        return bool(selector) and any(fnmatch.fnmatch(selector, pattern) for pattern in self.selectors)


class PendingApproval(BaseModel):
    id: str
    step: int
    proposal: str = Field(description="What the agent wants to do, e.g. click(selector='#buy')")


class Decision(BaseModel):
    approval_id: Optional[str] = Field(None, description="The pending approval's id; None: whichever is pending")
    approved: bool
    note: str = Field("", max_length=2000)
