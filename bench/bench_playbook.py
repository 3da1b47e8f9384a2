"""A 20-action playbook: aesop on a warm worker vs the same actions in a plain Playwright script.

    python bench/bench_playbook.py [--runs 10] [--concurrent 50]

Same Chromium binary and flags, same loopback page, runs interleaved. Then N playbook tasks
at once on one worker: wall time, and peak memory of the worker process and of the browser.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402
from temporalio.testing import WorkflowEnvironment  # noqa: E402

from activities.artifacts import LocalArtifactStore  # noqa: E402
from activities.browser.chromium import BrowserSettings, launch  # noqa: E402
from activities.browser.pool import BrowserPool  # noqa: E402
from client import AsyncAesop, Task, TaskConfig  # noqa: E402
from examples.local_site import LocalSite  # noqa: E402
from tests.conftest import HOST_RULES, dev_server_options, devserver  # noqa: E402
from worker import running_worker  # noqa: E402

PAGE = """<!doctype html><title>bench</title><form onsubmit="event.preventDefault(); document.getElementById('done').textContent = 'sent'">
""" + "".join(f"<input id=f{i}>" for i in range(8)) + """
<select id=s><option value=a>A</option><option value=b>B</option></select>
<input type=checkbox id=c><button id=send>send</button></form><p id=done></p>
<table><tr><td>tea</td><td>3</td></tr></table>"""


def actions(url: str) -> list[dict]:
    steps = [{"action": "navigate", "url": url}]
    steps += [{"action": "fill", "selector": f"#f{i}", "text": f"value {i}"} for i in range(8)]
    steps += [
        {"action": "select_option", "selector": "#s", "values": ["b"]},
        {"action": "check", "selector": "#c"},
        {"action": "hover", "selector": "#send"},
        {"action": "extract", "what": "tables"},
        {"action": "scroll", "dy": 200},
        {"action": "press", "selector": "#f0", "key": "End"},
        {"action": "type", "selector": "#f1", "text": "!"},
        {"action": "click", "selector": "#send"},
        {"action": "wait_for", "text": "sent"},
        {"action": "extract", "what": "fields", "fields": {"done": "#done"}},
        {"action": "extract", "what": "links"},
    ]
    assert len(steps) == 20
    return steps


async def plain_playwright(browser, url: str) -> str:
    """The same 20 actions, written as a user would with Playwright alone."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(url, wait_until="load")
    for i in range(8):
        await page.fill(f"#f{i}", f"value {i}")
    await page.select_option("#s", ["b"])
    await page.set_checked("#c", True)
    await page.hover("#send")
    await page.locator("body").evaluate("r => [...r.querySelectorAll('table')].map(t => [...t.rows].map(x => [...x.cells].map(c => c.innerText)))")
    await page.evaluate("window.scrollBy(0, 200)")
    await page.press("#f0", "End")
    await page.locator("#f1").press_sequentially("!")
    await page.click("#send")
    await page.get_by_text("sent").first.wait_for()
    done = await page.locator("#done").inner_text()
    await page.locator("body").evaluate("r => [...r.querySelectorAll('a[href]')].map(a => a.href)")
    await context.close()
    return done


def browser_processes(me: psutil.Process) -> list[psutil.Process]:
    """The Playwright driver and Chromium under it (not the Temporal dev server, also a child)."""
    return [p for p in me.children(recursive=True) if "temporal" not in p.name()]


class PeakMemory:
    """Peak memory (PSS: shared pages split between the processes that share them, so
    Chromium's many processes are not counted many times) of the worker process and of
    the browser, and the CPU time each used."""

    def __init__(self, pool: BrowserPool) -> None:
        self.me, self.worker, self.browser, self.pool, self.contexts = psutil.Process(), 0, 0, pool, 0
        self.cpu_start = self._cpu()
        self._task = asyncio.ensure_future(self._sample())

    def _cpu(self) -> tuple[float, float, float]:
        browser = server = 0.0
        for child in self.me.children(recursive=True):
            try:
                times = child.cpu_times()
            except psutil.Error:
                continue
            if "temporal" in child.name():
                server += times.user + times.system
            else:
                browser += times.user + times.system
        mine = self.me.cpu_times()
        return mine.user + mine.system, browser, server

    async def _sample(self) -> None:
        while True:
            browser = 0
            for child in browser_processes(self.me):
                try:
                    browser += child.memory_full_info().pss
                except psutil.Error:
                    pass
            self.worker = max(self.worker, self.me.memory_full_info().pss)
            self.browser = max(self.browser, browser)
            self.contexts = max(self.contexts, self.pool.open_contexts)
            await asyncio.sleep(0.5)

    def stop(self) -> tuple[float, ...]:
        self._task.cancel()
        return tuple(end - start for end, start in zip(self._cpu(), self.cpu_start))


async def main(runs: int, concurrent: int, active: int) -> None:
    store = LocalArtifactStore(Path(f"/tmp/aesop-bench-{uuid.uuid4().hex[:6]}"))
    pool = BrowserPool(BrowserSettings(host_rules=HOST_RULES, **({"active_tasks": active} if active else {})))
    async with await WorkflowEnvironment.start_local(**dev_server_options(), dev_server_extra_args=devserver.FAST_DYNAMIC_CONFIG) as env:
        with LocalSite() as site:
            url = site.url(site.page("form", PAGE), host="bench.test")
            async with running_worker(env.client, "bench-browser", browser_pool=pool, artifacts=store), async_playwright() as pw:
                aesop = AsyncAesop(env.client, task_queue="bench-browser")
                plain_browser = await launch(pw, BrowserSettings(host_rules=HOST_RULES))

                async def run_aesop() -> None:
                    result = await aesop.execute_task(Task(name="bench_playbook", inputs={"actions": actions(url)}, config=TaskConfig(max_retries=0)))
                    assert result.extracted[1] == {"done": "sent"}

                async def run_plain() -> None:
                    assert await plain_playwright(plain_browser, url) == "sent"

                for warm in (run_aesop, run_plain):
                    await warm()
                timings: dict[str, list[float]] = {"aesop": [], "plain": []}
                for _ in range(runs):
                    for name, fn in (("aesop", run_aesop), ("plain", run_plain)):
                        started = time.perf_counter()
                        await fn()
                        timings[name].append(time.perf_counter() - started)
                await plain_browser.close()

                memory = PeakMemory(pool)
                started = time.perf_counter()
                await asyncio.gather(*(run_aesop() for _ in range(concurrent)))
                wall = time.perf_counter() - started
                cpu_worker, cpu_browser, cpu_server = memory.stop()
                leaked = pool.open_contexts
    await pool.close_all()

    median = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    print(f"20-action playbook, warm worker, median of {runs}:")
    print(f"  plain Playwright  {median['plain']:7.1f} ms")
    print(f"  aesop             {median['aesop']:7.1f} ms")
    print(f"  ratio aesop/plain: {median['aesop'] / median['plain']:.2f}x (goal <= 1.3x)")
    print(f"{concurrent} playbook tasks at once on one worker: all completed in {wall:.1f} s")
    print(f"  peak memory: worker process {memory.worker / 2**20:.0f} MiB, Playwright driver + Chromium {memory.browser / 2**20:.0f} MiB")
    print(f"  CPU time: worker process {cpu_worker:.1f} s, browser {cpu_browser:.1f} s (processes that ended not counted), Temporal dev server {cpu_server:.1f} s")
    print(f"  contexts open at once: at most {memory.contexts}; left open at the end: {leaked}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--active", type=int, default=0, help="browser tasks acting at once (default: one per core)")
    args = parser.parse_args()
    asyncio.run(main(args.runs, args.concurrent, args.active))
    sys.stdout.flush()
    os._exit(0)  # see bench_monitor.py: the runtime's teardown can abort
