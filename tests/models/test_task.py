"""A malformed Task is refused with a clear, typed error before anything starts."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from models import Task, TaskConfig
from models.errors import PolicyViolation, TaskValidationError, UnsupportedConfigError
from models.kinds import TaskKind
from models.validation import validate_for_kind

SEED_MONITOR = dict(
    name="monitor_website",
    description="Monitor website availability and performance",
    config=dict(max_duration_seconds=86400, requests_per_second=0.1),
    inputs={"url": "https://example.com", "checks": ["uptime", "latency", "ssl"], "alert_threshold_ms": 1000},
)


def test_seed_monitoring_task_is_valid_and_recognised():
    task = Task.model_validate(SEED_MONITOR)
    assert task.resolved_kind == TaskKind.MONITORING
    assert validate_for_kind(task).alert_threshold_ms == 1000


@pytest.mark.parametrize(
    "config, fragment",
    [
        ({"max_pages": -1}, "greater than 0"),
        ({"max_retries": -2}, "greater than or equal to 0"),
        ({"requests_per_second": 0}, "greater than 0"),
        ({"max_pagez": 3}, "Extra inputs are not permitted"),
        ({"allowed_domains": ["https://wikipedia.org/wiki"]}, "not a domain name"),
        ({"blocked_domains": ["bad domain.com"]}, "not a domain name"),
        ({"allowed_domains": ["a.com"], "blocked_domains": ["A.com"]}, "both allowed and blocked"),
    ],
)
def test_bad_config_raises_validation_error(config, fragment):
    with pytest.raises(ValidationError, match=fragment):
        TaskConfig(**config)


def test_domains_are_normalised():
    config = TaskConfig(allowed_domains=["*.Wikipedia.ORG.", "bücher.de"])
    assert config.allowed_domains == ["wikipedia.org", "xn--bcher-kva.de"]


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"name": ""}, "name"),
        ({"memory_scope": "forever"}, "memory_scope"),
        ({"inputs": {"when": object()}}, "JSON"),
        ({"inputs": {"text": "x" * 300_000}}, "pass large data as files"),
        ({"colour": "red"}, "Extra inputs"),
        ({"priority": "asap"}, "priority"),
        ({"agent_id": "agent one"}, "agent_id"),
    ],
)
def test_bad_task_raises_validation_error(change, fragment):
    with pytest.raises(ValidationError, match=fragment):
        Task.model_validate({**SEED_MONITOR, **change})


def test_field_a_kind_cannot_honour_is_refused_with_the_reason():
    task = Task.model_validate({**SEED_MONITOR, "config": {"max_pages": 10, "viewport_width": 1920}})
    with pytest.raises(UnsupportedConfigError, match="max_pages.*viewport_width.*loads no pages"):
        validate_for_kind(task)


def test_every_kind_is_inferred_from_the_seeds_inputs_and_runs():
    examples = {
        TaskKind.MONITORING: {"url": "https://example.com", "checks": ["uptime"]},
        TaskKind.DATA_PROCESSING: {"data_files": ["q1.csv"], "metrics": ["revenue"]},
        TaskKind.PLAYBOOK: {"actions": [{"action": "navigate", "url": "https://example.com"}]},
        TaskKind.SUMMARIZE: {"text": "x"},
        TaskKind.RESEARCH: {"topic": "ai"},
        TaskKind.PIPELINE: {"steps": [{"task": {"name": "s", "inputs": {"text": "x"}}}]},
        TaskKind.AGENT: {"goal": "anything else"},
    }
    assert set(examples) == set(TaskKind)
    for kind, inputs in examples.items():
        task = Task(name="t", inputs=inputs)
        assert task.resolved_kind == kind
        validate_for_kind(task)  # every kind has its inputs model and runner


def test_max_memory_mb_is_refused_for_browser_kinds_with_the_reason():
    task = Task(name="p", inputs={"actions": [{"action": "navigate", "url": "https://example.com"}]}, config={"max_memory_mb": 512})
    with pytest.raises(UnsupportedConfigError, match="max_memory_mb.*one Chromium process"):
        validate_for_kind(task)


@pytest.mark.parametrize(
    "inputs, error, fragment",
    [
        ({"actions": []}, TaskValidationError, "at least 1 item"),
        ({"actions": [{"action": "fly"}]}, TaskValidationError, "does not match any of the expected tags"),
        ({"actions": [{"action": "click"}]}, TaskValidationError, "selector"),
        ({"actions": [{"action": "click", "selector": "#a", "force": True}]}, TaskValidationError, "Extra inputs"),
        ({"actions": [{"action": "upload", "selector": "#f", "file": "cv"}]}, TaskValidationError, "not in inputs.files"),
        ({"actions": [{"action": "navigate", "url": "file:///etc/passwd"}]}, PolicyViolation, "only http"),
    ],
)
def test_malformed_playbooks_are_refused_before_start(inputs, error, fragment):
    with pytest.raises(error, match=fragment):
        validate_for_kind(Task(name="p", inputs=inputs))


@pytest.mark.parametrize(
    "inputs, fragment",
    [
        ({"url": "ftp://example.com", "checks": ["uptime"]}, "not an http"),
        ({"url": "http://example.com", "checks": ["ssl"]}, "ssl check needs an https"),
        ({"url": "https://example.com", "checks": ["speed"]}, "checks"),
        ({"url": "https://example.com", "checks": ["uptime"], "alert_threshold_ms": -5}, "alert_threshold_ms"),
    ],
)
def test_bad_monitoring_inputs_are_refused(inputs, fragment):
    with pytest.raises(TaskValidationError, match=fragment):
        validate_for_kind(Task(name="m", inputs=inputs, kind=TaskKind.MONITORING))


@pytest.mark.parametrize(
    "config",
    [
        {"blocked_domains": ["example.com"]},
        {"allowed_domains": ["wikipedia.org"]},
        {"require_https": True},
    ],
)
def test_monitored_url_must_pass_the_access_policy(config):
    task = Task(name="m", config=TaskConfig(**config), inputs={"url": "http://www.example.com", "checks": ["uptime"]})
    with pytest.raises(PolicyViolation, match="www.example.com"):
        validate_for_kind(task)


def test_tasks_load_from_yaml_and_json(tmp_path):
    yaml_file = tmp_path / "monitor.yaml"
    yaml_file.write_text(
        "name: monitor_website\nconfig:\n  requests_per_second: 0.1\ninputs:\n  url: https://example.com\n  checks: [uptime]\n"
    )
    json_file = tmp_path / "monitor.json"
    json_file.write_text(json.dumps(SEED_MONITOR))
    assert Task.from_file(yaml_file).config.requests_per_second == 0.1
    assert Task.from_file(json_file) == Task.model_validate(SEED_MONITOR)


def test_bad_task_file_names_the_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nconfig:\n  max_pages: -3\n")
    with pytest.raises(TaskValidationError, match=r"(?s)bad.yaml.*max_pages"):
        Task.from_file(bad)
    with pytest.raises(TaskValidationError, match="cannot read"):
        Task.from_file(tmp_path / "missing.yaml")
