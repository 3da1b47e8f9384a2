"""The main job: dev server + worker + the seeds' monitoring and research examples on the bundled site."""

from __future__ import annotations

import asyncio
import logging

from rich.console import Console

from client import AsyncAesop, Task, TaskConfig
from client.connection import connect
from client.dev import load_devserver
from examples.local_site import LocalSite, Reply, local_ca
from worker import running_worker

console = Console()


def seed_monitor_task(url: str, seconds: float) -> Task:
    """The seeds' monitor_website example, watching the local site for a short window."""
    return Task(
        name="monitor_website",
        description="Monitor website availability and performance",
        config=TaskConfig(max_duration_seconds=seconds, requests_per_second=2),
        inputs={"url": url, "checks": ["uptime", "latency", "ssl"], "alert_threshold_ms": 300},
    )


def seed_research_task(start_url: str) -> Task:
    """The seeds' research example, on the bundled site's library of notes."""
    return Task(
        name="research_quantum_computing",
        description="Research recent advances in quantum computing",
        config=TaskConfig(max_pages=5, allowed_domains=["docs.localhost"]),
        inputs={"topic": "quantum computing", "focus_areas": ["algorithms", "hardware"], "start_urls": [start_url]},
    )


async def run_research(aesop: AsyncAesop) -> None:
    with LocalSite() as docs:
        execution = await aesop.execute_task_async(seed_research_task(docs.url("/research/index.html", host="docs.localhost")))
        console.print(f"started [bold]{execution.id}[/] (research, in Chromium)")
        result = await execution.result()
    console.print(f"[green]research completed[/] ({result.summary_kind} summary, {result.pages_read} pages read):")
    console.print(result.summary)
    for number, source in enumerate(result.sources, 1):
        console.print(f"  [{number}] {source['title']} {source['url']} (score {source['score']})")


async def run_demo(seconds: float = 8.0) -> None:
    logging.getLogger("temporalio.workflow").setLevel(logging.ERROR)  # alerts are printed below
    devserver = load_devserver()
    console.print(devserver.start())
    ca, server_tls = local_ca()
    ca_file = devserver.STATE_DIR / "demo-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    with LocalSite(tls=server_tls) as site:
        # Checks 5-6 are slow and 9 fails, so the run shows alerts and recoveries.
        path = site.script("shop", lambda n: Reply(delay=0.5) if n in (5, 6) else Reply(status=503) if n == 9 else Reply())
        client = await connect()
        async with running_worker(client, "aesop-demo", ca_file=str(ca_file)):
            aesop = AsyncAesop(client, task_queue="aesop-demo")
            execution = await aesop.execute_task_async(seed_monitor_task(site.url(path, host="localhost"), seconds))
            console.print(f"started [bold]{execution.id}[/]: http://localhost:8233/namespaces/default/workflows/{execution.id}")
            execution.on_alert(lambda alert: console.print(f"[yellow]Alert:[/] {alert.message}\n  Metrics: {alert.metrics}"))
            result = await execution.result()
            status = await aesop.get_task_status(execution.id)
            console.print(f"[green]completed:[/] {result.summary}")
            console.print(f"certificate expires in {result.ssl_days_left:.0f} days; latency {result.latency_ms}")
            console.print(f"failed requests retried: {status.retry_count}")
            await run_research(aesop)
    console.print("Web UI: http://localhost:8233/namespaces/default/workflows")
    console.print("The dev server keeps running for the UI; stop it with `aesop dev stop`.")


if __name__ == "__main__":
    asyncio.run(run_demo())
