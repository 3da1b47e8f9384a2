"""The research kind: a crawl within the allowed domains, ranked by the topic, with an extractive summary."""

from __future__ import annotations

import uuid

from activities.llm import LLMSettings
from client import AsyncAesop, Task, TaskConfig
from tests.conftest import HOST_RULES
from worker import running_worker


def research(site, **config) -> Task:
    return Task(
        name="research_quantum_computing",
        description="Research recent advances in quantum computing",
        config=TaskConfig(allowed_domains=["docs.test"], **config),
        inputs={
            "topic": "quantum computing",
            "focus_areas": ["algorithms", "hardware"],
            "start_urls": [site.url("/research/index.html", host="docs.test")],
            "max_sources": 3,
        },
    )


async def test_research_reads_the_most_relevant_pages_first_and_cites_them(aesop, site, llm):
    llm.say("Quantum computers run algorithms such as Shor's [2] on qubits [1].", prompt_tokens=900, completion_tokens=30)
    result = await aesop.execute_task(research(site, max_pages=4))
    read = [seen.path for seen in site.requests if seen.path.startswith("/research/")]
    assert len(read) == 4 and "/research/cooking.html" not in read  # best-first: quantum pages before cooking
    assert [s["url"].rsplit("/", 1)[1] for s in result.sources] == ["quantum.html", "algorithms.html", "hardware.html"]
    assert "Shor's algorithm" in result.content
    assert "elsewhere.test" not in site.hosts()  # a link out of allowed_domains is never followed
    assert result.summary_kind == "llm" and result.summary.endswith("qubits [1].")
    prompt = llm.requests[0]["messages"][1]["content"]
    assert "[2] Quantum algorithms" in prompt and "Shor's algorithm factors integers" in prompt
    assert result.ledger["output_tokens"] == 30


async def test_without_an_llm_the_summary_is_extractive_and_says_so(env, site, monkeypatch):
    queue = f"research-no-llm-{uuid.uuid4().hex[:6]}"
    monkeypatch.setenv("AESOP_BROWSER_HOST_RULES", HOST_RULES)  # its own browser, closed with the worker
    async with running_worker(env.client, queue, llm=LLMSettings()):
        result = await AsyncAesop(env.client, task_queue=queue).execute_task(research(site, max_pages=4))
    assert result.summary_kind == "extractive"
    assert result.summary.startswith("Extractive summary (no LLM configured): ")
    assert "qubits" in result.summary and "flour" not in result.summary


async def test_research_stops_at_max_pages_and_reads_concurrent_requests_pages_at_once(aesop, site, env, llm):
    llm.say("A summary [1].")
    execution = await aesop.execute_task_async(research(site, max_pages=6, concurrent_requests=3))
    result = await execution.result()
    assert result.pages_read == 6 == site.count("/research/")
    history = await env.client.get_workflow_handle(execution.id).fetch_history()
    reads = [
        e.activity_task_scheduled_event_attributes for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
        and e.activity_task_scheduled_event_attributes.activity_type.name == "read_pages"
    ]
    assert len(reads) == 3  # the start page, then 3 pages at once, then the 2 left under max_pages


async def test_with_no_start_urls_or_domains_research_starts_from_the_workers_search_page(env, site, browser_pool):
    queue = f"research-search-{uuid.uuid4().hex[:6]}"
    search_url = site.url("/research/index.html", host="search.test") + "?q={query}"
    async with running_worker(env.client, queue, browser_pool=browser_pool, llm=LLMSettings(), search_url=search_url):
        aesop = AsyncAesop(env.client, task_queue=queue)
        task = Task(name="research", inputs={"topic": "quantum computing"}, config=TaskConfig(max_pages=3))
        result = await aesop.execute_task(task)
    searched = [seen for seen in site.requests if seen.host == "search.test"]
    assert searched[0].path == "/research/index.html?q=quantum+computing"
    # The search page counts towards max_pages but is no source; its off-site link is followed and fails.
    assert result.pages_read == 1 and result.failed[0]["url"] == "http://elsewhere.test/quantum-secrets.html"
    assert all("index.html" not in source["url"] for source in result.sources)
    assert result.sources[0]["url"].endswith("/research/quantum.html")
