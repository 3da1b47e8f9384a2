"""Renders a task report and sends it through its channels: a directory, a webhook."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Optional

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.artifacts import ArtifactStore
from models.report import ReportDelivery, TaskReport

EXTENSIONS = {"markdown": "md", "html": "html", "json": "json"}


def render_markdown(report: TaskReport) -> str:
    lines = [f"# {report.name}: {report.state}", "", report.summary or "", ""]
    lines += ["| metric | value |", "|---|---|"]
    basics = {"task id": report.task_id, "kind": report.kind, "duration (s)": report.duration_seconds, "retries": report.retries}
    for key, value in {**basics, **report.metrics}.items():
        lines.append(f"| {key} | {value} |")
    if report.error:
        lines += ["", f"**Error** ({report.error_type}): {report.error}"]
    lines += ["", "## Timeline", ""] + [f"- {entry.at:%Y-%m-%d %H:%M:%S} {entry.event}" for entry in report.timeline]
    return "\n".join(lines) + "\n"


def render_html(report: TaskReport) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in {"task id": report.task_id, "kind": report.kind, "duration (s)": report.duration_seconds, "retries": report.retries, **report.metrics}.items()
    )
    timeline = "".join(f"<li>{entry.at:%Y-%m-%d %H:%M:%S} {html.escape(entry.event)}</li>" for entry in report.timeline)
    error = f"<p><strong>{html.escape(report.error_type or 'Error')}</strong>: {html.escape(report.error)}</p>" if report.error else ""
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(report.name)}</title></head><body>"
        f"<h1>{html.escape(report.name)}: {html.escape(report.state)}</h1><p>{html.escape(report.summary)}</p>{error}"
        f"<table>{rows}</table><h2>Timeline</h2><ul>{timeline}</ul></body></html>\n"
    )


CONTENT_TYPES = {"markdown": "text/markdown", "html": "text/html", "json": "application/json"}
RENDERERS = {
    "markdown": render_markdown,
    "html": render_html,
    "json": lambda report: report.model_dump_json(indent=2) + "\n",
}


class ReportActivities:
    def __init__(self, store: Optional[ArtifactStore] = None) -> None:
        self._http = httpx.AsyncClient(trust_env=False, timeout=10)
        self.store = store

    async def aclose(self) -> None:
        await self._http.aclose()

    @activity.defn(name="deliver_report")
    async def deliver_report(self, delivery: ReportDelivery) -> list[str]:
        """Write and/or POST the report; return where it went. Retried as a whole (idempotent)."""
        report, config = delivery.report, delivery.config
        sent: list[str] = []
        if self.store is not None:  # archived with the task's artifacts, whatever the channels
            for fmt in config.formats:
                ref = self.store.put(report.task_id, f"report.{EXTENSIONS[fmt]}", RENDERERS[fmt](report).encode(), CONTENT_TYPES[fmt])
                sent.append(ref.uri)
        if config.directory:
            folder = Path(config.directory)
            folder.mkdir(parents=True, exist_ok=True)
            for fmt in config.formats:
                path = folder / f"{report.task_id}.{EXTENSIONS[fmt]}"
                path.write_text(RENDERERS[fmt](report))
                sent.append(str(path))
        if config.webhook_url:
            response = await self._http.post(config.webhook_url, content=json.dumps(report.model_dump(mode="json")), headers={"Content-Type": "application/json"})
            if response.status_code >= 500 or response.status_code in (408, 429):
                raise ApplicationError(f"webhook answered {response.status_code}")  # retryable
            if response.status_code >= 400:
                raise ApplicationError(f"webhook refused the report: HTTP {response.status_code}", non_retryable=True)
            sent.append(config.webhook_url)
        return sent
