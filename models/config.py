"""TaskConfig: the limits a task runs under. Every field is enforced or refused per kind."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_domain(value: str) -> str:
    """``"*.Example.COM."`` -> ``"example.com"``; refuse URLs, paths, ports and junk."""
    if not isinstance(value, str):
        raise ValueError("a domain must be a string")
    domain = value.strip().lower().rstrip(".")
    if domain.startswith("*."):
        domain = domain[2:]
    if not domain or any(c in domain for c in "/:@ ?#"):
        raise ValueError(f"{value!r} is not a domain name (give a host like 'example.com', not a URL)")
    try:
        ipaddress.ip_address(domain)
        return domain
    except ValueError:
        pass
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"{value!r} is not a valid domain name") from None
    if len(domain) > 253 or not all(_LABEL.match(label) for label in domain.split(".")):
        raise ValueError(f"{value!r} is not a valid domain name")
    return domain


Domain = Annotated[str, AfterValidator(normalize_domain)]


class TaskConfig(BaseModel):
    """Runtime limits. ``None`` means "no limit" (or "kind's default" for browser settings)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Resource limits
    max_pages: Optional[int] = Field(None, gt=0, description="Maximum top-level page loads")
    max_duration_seconds: Optional[float] = Field(
        None, gt=0, description="Time limit; for monitoring, how long to watch"
    )
    max_memory_mb: Optional[int] = Field(None, gt=0, description="Memory limit in MB")

    # Access controls
    allowed_domains: list[Domain] = Field(default_factory=list, description="Subdomains included")
    blocked_domains: list[Domain] = Field(default_factory=list, description="Subdomains included")
    require_https: bool = False

    # Browser settings
    viewport_width: Optional[int] = Field(None, gt=0, le=16384)
    viewport_height: Optional[int] = Field(None, gt=0, le=16384)
    user_agent: Optional[str] = Field(None, min_length=1, max_length=1000)

    # Retry behaviour: max_retries extra attempts after the first, retry_delay_seconds apart
    max_retries: int = Field(3, ge=0, le=100)
    retry_delay_seconds: float = Field(1.0, ge=0, le=3600)

    # Rate limiting
    requests_per_second: Optional[float] = Field(None, gt=0, le=1000)
    concurrent_requests: int = Field(1, gt=0, le=100)

    # LLM (kinds that call one): the model, and a budget enforced before every call
    llm_model: Optional[str] = Field(None, min_length=1, max_length=200, description="Else the worker's AESOP_LLM_MODEL")
    max_llm_tokens: Optional[int] = Field(None, gt=0, description="Input + output tokens over the whole task")
    max_cost_usd: Optional[float] = Field(None, gt=0, description="Over the whole task, by the worker's price table")
    on_budget_exhausted: Literal["fail", "pause"] = Field(
        "fail", description="At max_llm_tokens or max_cost_usd: fail with the ledger, or pause (state 'paused') "
        "until aesop.raise_budget() raises the limit or the task is cancelled",
    )

    @model_validator(mode="after")
    def _domains_do_not_contradict(self) -> "TaskConfig":
        both = set(self.allowed_domains) & set(self.blocked_domains)
        if both:
            raise ValueError(f"domains both allowed and blocked: {sorted(both)}")
        return self

    def explicitly_set(self) -> set[str]:
        """Fields that differ from their defaults (survives serialisation, unlike fields_set)."""
        defaults = TaskConfig()
        return {name for name in type(self).model_fields if getattr(self, name) != getattr(defaults, name)}
