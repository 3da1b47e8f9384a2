"""Every code example of the seeds' task documentation, from examples/, against the bundled site.

Each runs as a user would run it (as __main__, with the sync client) against a worker whose
search page and data directory point at the bundled site and examples/data.
"""

from __future__ import annotations

import asyncio
import io
import os
import runpy
import time
import uuid
from contextlib import redirect_stdout
from pathlib import Path

import openpyxl
import pytest

from activities.llm import LLMSettings
import examples.seed_support as support
from examples.local_site import LocalSite
from tests.conftest import PRICES, TEST_KEY
from worker import running_worker

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
async def seeds(env, browser_pool, scripted_llm, ca, ca_file, monkeypatch, tmp_path):
    """The environment an example sees: server, queue, site, data directory; run in tmp_path."""
    queue = f"seed-examples-{uuid.uuid4().hex[:6]}"
    with LocalSite() as site, LocalSite(tls=ca[1]) as secure_site:
        monkeypatch.setenv("AESOP_EXAMPLE_SECURE_SITE", secure_site.url("", host="localhost"))
        monkeypatch.setenv("TEMPORAL_ADDRESS", env.client.service_client.config.target_host)
        monkeypatch.setenv("AESOP_TASK_QUEUE", queue)
        monkeypatch.setenv("AESOP_DATA_DIR", str(EXAMPLES / "data"))
        monkeypatch.setenv("AESOP_EXAMPLE_SITE", f"http://docs.localhost:{site.port}")
        monkeypatch.chdir(tmp_path)
        search = f"http://docs.localhost:{site.port}/research/index.html?q={{query}}"
        llm = LLMSettings(api_key=TEST_KEY, base_url=scripted_llm.base_url, model="scripted-model", prices=PRICES)
        async with running_worker(env.client, queue, ca_file=ca_file, browser_pool=browser_pool, llm=llm, search_url=search):
            yield site
            if support._DefaultAesop._client is not None:  # the examples' client, with its alert followers
                await asyncio.to_thread(support._DefaultAesop._client.close)
                support._DefaultAesop._client = None


async def run_example(name: str) -> tuple[dict, str]:
    """Run examples/NAME.py as __main__ in a thread (its client is the sync one); its globals and output."""
    support.SITE = os.environ["AESOP_EXAMPLE_SITE"]
    support.SECURE_SITE = os.environ["AESOP_EXAMPLE_SECURE_SITE"]
    support._DefaultAesop._client = None  # this test's server and queue
    out = io.StringIO()

    def run() -> dict:
        with redirect_stdout(out):
            return runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="__main__")

    found = await asyncio.to_thread(run)
    return found, out.getvalue()


async def test_task_definition(seeds):
    found, out = await run_example("seed_task_definition")
    assert found["task"].resolved_kind.value == "research" and found["config"].max_memory_mb == 1024
    assert '"research_topic"' in out


async def test_sync_and_async_execution_with_polling_and_status(seeds, llm):
    llm.say("Qubits [1].")
    llm.say("Qubits again [1].")
    found, out = await run_example("seed_execution")
    assert "Task completed with result: Qubits [1]." in out and "Polled result: Qubits again [1]." in out
    assert "State: completed" in out and "Progress: 100.0%" in out and "Error (if any): None" in out
    assert found["status"].result.sources[0]["url"].endswith("/research/quantum.html")


async def test_memory(seeds):
    found, out = await run_example("seed_memory")
    assert "visited_urls: ['https://example.com']" in out
    assert found["task"].memory_scope == "session"


async def test_client_side_composition(seeds, llm):
    llm.say("Quantum computers use qubits [1].")  # the research summary
    llm.say("Qubits, briefly.")  # the summary task
    found, out = await run_example("seed_composition")
    assert out.strip() == "Qubits, briefly."
    assert "Shor's algorithm" in llm.requests[1]["messages"][1]["content"]  # research content reached summarize
    assert seeds.requests[0].path == "/research/index.html?q=quantum+computing"


async def test_web_research(seeds, llm):
    llm.say("Advances in qubits [1] and algorithms [2].")
    found, out = await run_example("seed_research")
    assert out.strip() == "Advances in qubits [1] and algorithms [2]."
    assert found["result"].sources and all("docs.localhost" in s["url"] for s in found["result"].sources)


async def test_data_processing_saves_the_excel_report_here(seeds, tmp_path):
    found, out = await run_example("seed_data_processing")
    periods = found["result"].periods
    assert [p["period"] for p in periods] == ["sales_q1", "sales_q2"] and periods[1]["growth_percent"] is not None
    sheet = openpyxl.load_workbook(tmp_path / "sales_analysis.xlsx")["Summary"]
    assert sheet["A3"].value == "sales_q1" and len(sheet._charts) == 1
    assert "revenue" in out


async def test_monitoring_in_the_background_with_an_alert_handler(seeds, aesop, capsys):
    found, _ = await run_example("seed_monitoring")
    execution = found["execution"]
    try:
        printed, deadline = "", time.monotonic() + 30
        while "Alert:" not in printed and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            printed += capsys.readouterr().out  # the handler prints from the client's thread
        assert "/slow?ms=1500 answered in" in printed and "over the 1000 ms threshold" in printed
        assert "Metrics: {" in printed and "'latency_ms': " in printed
        assert (await aesop.get_task_status(execution.id)).state.value == "running"
    finally:
        await aesop.cancel_task(execution.id)
