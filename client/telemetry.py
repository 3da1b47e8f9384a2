"""OpenTelemetry tracing: one trace spans client -> workflow -> activities. Off unless configured.

AESOP_OTEL_EXPORTER=otlp    export with OTLP/gRPC (standard OTEL_EXPORTER_OTLP_* variables apply)
AESOP_OTEL_EXPORTER=console print spans to stderr
"""

from __future__ import annotations

import os
from typing import Optional

from opentelemetry import trace
from temporalio.contrib.opentelemetry import TracingInterceptor

EXPORTER_ENV = "AESOP_OTEL_EXPORTER"
_configured: Optional[str] = None


def _install_provider(exporter_name: str) -> None:
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    if exporter_name == "otlp":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    elif exporter_name == "console":
        exporter = ConsoleSpanExporter()
    else:
        raise ValueError(f"{EXPORTER_ENV} must be 'otlp' or 'console', not {exporter_name!r}")
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: "aesop"}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)


def tracing_interceptors() -> list[TracingInterceptor]:
    """The interceptor list for Client.connect; workers built on that client inherit it."""
    global _configured
    exporter_name = os.environ.get(EXPORTER_ENV, "").strip().lower()
    if not exporter_name:
        return []
    if _configured is None:
        _install_provider(exporter_name)
        _configured = exporter_name
    return [TracingInterceptor()]
