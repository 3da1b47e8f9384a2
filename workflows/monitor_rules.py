"""When a check outcome raises or clears an alert. Pure and deterministic, testable alone."""

from __future__ import annotations

from dataclasses import dataclass

from models.monitoring import AlertKind, CheckOutcome, MonitorInputs


@dataclass(frozen=True)
class AlertDraft:
    kind: AlertKind
    message: str
    metrics: dict


def conditions(outcome: CheckOutcome, inputs: MonitorInputs) -> dict[AlertKind, str]:
    """The bad conditions this outcome shows, each with a human sentence."""
    found: dict[AlertKind, str] = {}
    if not outcome.up:
        found["down"] = f"{outcome.url} is down: {outcome.error}"
    elif "latency" in inputs.checks and (outcome.latency_ms or 0) > inputs.alert_threshold_ms:
        found["slow"] = (
            f"{outcome.url} answered in {outcome.latency_ms:.0f} ms, over the {inputs.alert_threshold_ms:g} ms threshold"
        )
    if "ssl" in inputs.checks:
        if outcome.ssl_valid is False:
            found["ssl_invalid"] = f"{outcome.url} has an invalid certificate: {outcome.ssl_error}"
        elif outcome.ssl_days_left is not None and outcome.ssl_days_left < inputs.ssl_expiry_warning_days:
            found["ssl_expiring"] = (
                f"the certificate of {outcome.url} expires in {outcome.ssl_days_left:.1f} days"
            )
    return found


def evaluate(
    outcome: CheckOutcome, inputs: MonitorInputs, open_conditions: list[AlertKind]
) -> tuple[list[AlertDraft], list[AlertKind]]:
    """Alert once when a condition starts and once ('recovered') when it clears."""
    metrics = {
        "url": outcome.url,
        "up": outcome.up,
        "status_code": outcome.status_code,
        "latency_ms": outcome.latency_ms,
        "threshold_ms": inputs.alert_threshold_ms,
        "ssl_days_left": outcome.ssl_days_left,
        "error": outcome.error or outcome.ssl_error,
    }
    found = conditions(outcome, inputs)
    drafts = [AlertDraft(kind, message, metrics) for kind, message in found.items() if kind not in open_conditions]
    for kind in open_conditions:
        if kind not in found and not (kind == "slow" and "down" in found):
            drafts.append(AlertDraft("recovered", f"{outcome.url}: {kind} condition cleared", {**metrics, "cleared": kind}))
    still_open = [kind for kind in found] + [k for k in open_conditions if k == "slow" and "down" in found]
    return drafts, still_open
