"""One OpenTelemetry trace spans client -> workflow -> activities when tracing is configured."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.client import Client

from client import AsyncAesop
from client.telemetry import EXPORTER_ENV, tracing_interceptors
from tests.test_monitoring import monitor
from worker import running_worker


async def test_one_trace_from_client_to_activity(env, site, monkeypatch):
    assert tracing_interceptors() == []  # off unless configured
    monkeypatch.setenv(EXPORTER_ENV, "console")
    interceptors = tracing_interceptors()
    spans = InMemorySpanExporter()
    trace.get_tracer_provider().add_span_processor(SimpleSpanProcessor(spans))

    traced = Client(**{**env.client.config(), "interceptors": interceptors})
    async with running_worker(traced, "traced"):
        await AsyncAesop(traced, task_queue="traced").execute_task(monitor(site.url("/"), max_duration_seconds=1))

    trace.get_tracer_provider().shutdown()  # flush the console exporter while stdout is still open
    finished = spans.get_finished_spans()
    names = {span.name for span in finished}
    assert {"StartWorkflow:AesopTask", "RunWorkflow:AesopTask", "StartActivity:check_endpoint", "RunActivity:check_endpoint"} <= names
    start = next(s for s in finished if s.name == "StartWorkflow:AesopTask")
    activity = next(s for s in finished if s.name == "RunActivity:check_endpoint")
    assert activity.context.trace_id == start.context.trace_id
