"""Alert rules alone: an alert when a condition starts, one 'recovered' when it clears."""

import random

import pytest

from models.monitoring import CheckOutcome, LatencyHistogram, MonitorInputs
from workflows.monitor_rules import evaluate

INPUTS = MonitorInputs(url="https://example.com", alert_threshold_ms=500)


def ok(ms=100.0, days=200.0):
    return CheckOutcome(url=INPUTS.url, up=True, status_code=200, latency_ms=ms, ssl_valid=True, ssl_days_left=days)


def run(outcomes):
    open_, kinds = [], []
    for outcome in outcomes:
        drafts, open_ = evaluate(outcome, INPUTS, open_)
        kinds += [d.kind for d in drafts]
    return kinds, open_


def test_steady_bad_state_alerts_once():
    kinds, open_ = run([ok(900), ok(900), ok(900)])
    assert kinds == ["slow"] and open_ == ["slow"]


def test_down_then_back_alerts_down_then_recovered():
    down = CheckOutcome(url=INPUTS.url, up=False, error="HTTP 503", status_code=503)
    assert run([ok(), down, down, ok()])[0] == ["down", "recovered"]


def test_slow_stays_open_while_down_and_clears_with_it():
    down = CheckOutcome(url=INPUTS.url, up=False, error="timeout")
    assert run([ok(900), down, ok(100)])[0] == ["slow", "down", "recovered", "recovered"]


def test_certificate_conditions():
    assert run([ok(days=3)])[0] == ["ssl_expiring"]
    bad = ok().model_copy(update={"ssl_valid": False, "ssl_error": "self-signed"})
    assert run([bad])[0] == ["ssl_invalid"]


def test_latency_percentiles_are_within_two_percent():
    rng = random.Random(7)
    samples = [rng.lognormvariate(4, 1) for _ in range(5000)]
    histogram = LatencyHistogram()
    for ms in samples:
        histogram.add(ms)
    ordered = sorted(samples)
    for p in (50, 95, 99):
        exact = ordered[int(p / 100 * len(ordered)) - 1]
        assert histogram.percentile(p) == pytest.approx(exact, rel=0.02)
    assert len(histogram.buckets) < 400
