"""The main job: dev server + worker + the seeds' examples (examples/seed_*.py) on the bundled site."""

from __future__ import annotations

import asyncio
import logging
import os
import runpy
from pathlib import Path

from rich.console import Console

import examples.seed_support as support
from activities.llm import LLMSettings
from client.connection import connect
from client.dev import load_devserver
from examples.local_site import LocalSite, local_ca
from worker import running_worker

console = Console()
EXAMPLES = Path(__file__).resolve().parent
QUEUE = "aesop-demo"
# In the order of the seeds' page; composition needs an LLM (summarize), the others do not.
SEED_EXAMPLES = ["seed_task_definition", "seed_execution", "seed_memory", "seed_research", "seed_composition",
                 "seed_data_processing", "seed_monitoring"]


def run_example(name: str) -> dict:
    console.rule(f"[bold]examples/{name}.py")
    return runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="__main__")


async def run_demo(seconds: float = 25.0) -> None:
    """Run each seed example; the background monitor is cancelled after ``seconds`` (its alerts print)."""
    logging.getLogger("temporalio.workflow").setLevel(logging.ERROR)
    devserver = load_devserver()
    console.print(devserver.start())
    ca, server_tls = local_ca()
    ca_file = devserver.STATE_DIR / "demo-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    with LocalSite() as site, LocalSite(tls=server_tls) as secure_site:
        support.SITE = f"http://{support.SITE_DOMAIN}:{site.port}"
        support.SECURE_SITE = secure_site.url("", host="localhost")
        os.environ.setdefault("AESOP_TASK_QUEUE", QUEUE)
        os.environ.setdefault("AESOP_DATA_DIR", str(EXAMPLES / "data"))
        client = await connect()
        search = f"{support.SITE}/research/index.html?q={{query}}"
        async with running_worker(client, os.environ["AESOP_TASK_QUEUE"], ca_file=str(ca_file), search_url=search):
            names = SEED_EXAMPLES if LLMSettings.from_env().configured else [n for n in SEED_EXAMPLES if n != "seed_composition"]
            if "seed_composition" not in names:
                console.print("[dim]seed_composition skipped: its summarize task needs an LLM (set OPENAI_API_KEY)[/]")
            found: dict = {}
            for name in names:
                found = await asyncio.to_thread(run_example, name)
            execution = found["execution"]  # the monitor runs on in the background, as in the seed
            console.print(f"monitoring {execution.id} for {seconds:g} s (alerts print as they come): "
                          f"http://localhost:8233/namespaces/default/workflows/{execution.id}")
            await asyncio.sleep(seconds)
            await asyncio.to_thread(execution.cancel)
            await asyncio.to_thread(support.aesop.close)
    console.print("Web UI: http://localhost:8233/namespaces/default/workflows")
    console.print("The dev server keeps running for the UI; stop it with `aesop dev stop`.")


if __name__ == "__main__":
    asyncio.run(run_demo())
