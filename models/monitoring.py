"""Inputs, outcomes, alerts and the report of the monitoring kind."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal, Optional
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.config import TaskConfig

CheckName = Literal["uptime", "latency", "ssl"]
AlertKind = Literal["down", "slow", "ssl_invalid", "ssl_expiring", "recovered"]


class MonitorInputs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    checks: list[CheckName] = Field(default_factory=lambda: ["uptime", "latency", "ssl"], min_length=1)
    alert_threshold_ms: float = Field(1000, gt=0)
    ssl_expiry_warning_days: float = Field(14, ge=0)
    timeout_seconds: float = Field(10, gt=0, le=300)
    max_checks: Optional[int] = Field(None, gt=0, description="Stop after this many checks (one-shot checks)")
    expected_status: list[int] = Field(
        default_factory=list, description="Statuses that count as up; empty means any below 400"
    )

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not an http(s) URL")
        return url

    @field_validator("checks")
    @classmethod
    def _unique(cls, checks: list[str]) -> list[str]:
        return list(dict.fromkeys(checks))

    @model_validator(mode="after")
    def _ssl_needs_https(self) -> "MonitorInputs":
        if "ssl" in self.checks and urlsplit(self.url).scheme != "https":
            raise ValueError("the ssl check needs an https:// URL (drop 'ssl' from checks for plain http)")
        return self


class CheckRequest(BaseModel):
    """What one check activity does; the policy travels with it so every hop is checked."""

    url: str
    checks: list[CheckName]
    timeout_seconds: float
    user_agent: Optional[str] = None
    policy: TaskConfig
    delay_seconds: float = Field(
        0, ge=0, le=5, description="Wait before sending: workflow timers tick in whole seconds, this paces finer"
    )


class CheckOutcome(BaseModel):
    url: str
    up: bool
    status_code: Optional[int] = None
    latency_ms: Optional[float] = None
    error: Optional[str] = None
    ssl_valid: Optional[bool] = None
    ssl_days_left: Optional[float] = None
    ssl_error: Optional[str] = None
    attempt: int = 1


class Alert(BaseModel):
    seq: int
    kind: AlertKind
    message: str
    metrics: dict[str, float | int | str | bool | None]
    at: datetime


class LatencyHistogram(BaseModel):
    """Log-bucketed latencies: bounded size for any run length, percentiles within 2 %."""

    buckets: dict[int, int] = Field(default_factory=dict)
    count: int = 0
    total_ms: float = 0.0
    max_ms: float = 0.0

    _BASE = 1.02

    def add(self, ms: float) -> None:
        index = int(math.log(ms + 1) / math.log(self._BASE))
        self.buckets[index] = self.buckets.get(index, 0) + 1
        self.count += 1
        self.total_ms += ms
        self.max_ms = max(self.max_ms, ms)

    def percentile(self, p: float) -> Optional[float]:
        if not self.count:
            return None
        rank = max(1, math.ceil(p / 100 * self.count))
        seen = 0
        for index in sorted(self.buckets):
            seen += self.buckets[index]
            if seen >= rank:
                mid = self._BASE ** (index + 0.5) - 1
                return round(min(mid, self.max_ms), 1)
        return round(self.max_ms, 1)


class MonitorReport(BaseModel):
    url: str
    checks_total: int
    checks_up: int
    checks_lost: int = Field(0, description="Checks whose worker died mid-request: neither up nor down")
    uptime_percent: Optional[float]
    latency_ms: dict[str, Optional[float]]
    ssl_days_left: Optional[float] = None
    alerts: list[Alert]
    alerts_total: int
    watched_seconds: float
    runs: int = Field(description="Workflow runs (continue-as-new keeps each history bounded)")


class MonitorState(BaseModel):
    """Everything a monitor carries from one run to the next across continue-as-new."""

    started_at: datetime
    deadline: Optional[datetime] = None
    next_check_at: datetime
    checks_started: int = 0
    checks_total: int = 0
    checks_up: int = 0
    checks_lost: int = 0
    latency: LatencyHistogram = Field(default_factory=LatencyHistogram)
    ssl_days_left: Optional[float] = None
    open_conditions: list[AlertKind] = Field(default_factory=list)
    alerts: list[Alert] = Field(default_factory=list, description="The most recent alerts, capped")
    alerts_total: int = 0
    retry_count: int = 0
    runs: int = 1
