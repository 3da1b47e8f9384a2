"""aesop's smallest Task (one monitoring check) vs plain Temporal, measured side by side.

    python bench/bench_monitor.py [--runs 40] [--burst 200]

Same dev server, same process, same loopback site, interleaved runs. Reports the median
end-to-end latency of one task (start -> result) and the throughput of a burst.
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

from temporalio.testing import WorkflowEnvironment  # noqa: E402
from temporalio.worker import Worker  # noqa: E402

from bench.plain_temporal import PlainActivities, PlainCheck  # noqa: E402
from client import AsyncAesop, Task, TaskConfig  # noqa: E402
from examples.local_site import LocalSite  # noqa: E402
from tests.conftest import dev_server_options, devserver  # noqa: E402
from worker import running_worker  # noqa: E402


def one_check(url: str) -> Task:
    return Task(name="bench_check", config=TaskConfig(max_retries=0), inputs={"url": url, "checks": ["uptime", "latency"], "max_checks": 1})


async def main(runs: int, burst: int) -> None:
    async with await WorkflowEnvironment.start_local(**dev_server_options(), dev_server_extra_args=devserver.FAST_DYNAMIC_CONFIG) as env:
        plain = PlainActivities()
        with LocalSite() as site:
            url = site.url("/")
            async with running_worker(env.client, "bench-aesop"), Worker(
                env.client, task_queue="bench-plain", workflows=[PlainCheck], activities=[plain.plain_get], max_concurrent_activities=200
            ):
                aesop = AsyncAesop(env.client, task_queue="bench-aesop")

                async def run_aesop() -> None:
                    result = await aesop.execute_task(one_check(url))
                    assert result.checks_up == 1

                async def run_plain() -> None:
                    status = await env.client.execute_workflow(PlainCheck.run, url, id=f"plain-{uuid.uuid4()}", task_queue="bench-plain")
                    assert status == 200

                for warm in (run_aesop, run_plain):
                    await warm()
                timings: dict[str, list[float]] = {"aesop": [], "plain": []}
                for _ in range(runs):
                    for name, fn in (("aesop", run_aesop), ("plain", run_plain)):
                        started = time.perf_counter()
                        await fn()
                        timings[name].append(time.perf_counter() - started)

                rates = {}
                for name, fn in (("plain", run_plain), ("aesop", run_aesop)):
                    started = time.perf_counter()
                    await asyncio.gather(*(fn() for _ in range(burst)))
                    rates[name] = burst / (time.perf_counter() - started)
        await plain.http.aclose()

    median = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    p95 = {name: statistics.quantiles(values, n=20)[18] * 1000 for name, values in timings.items()}
    print(f"one task end to end, median of {runs} (p95):")
    print(f"  plain Temporal  {median['plain']:7.1f} ms ({p95['plain']:.1f})")
    print(f"  aesop           {median['aesop']:7.1f} ms ({p95['aesop']:.1f})")
    print(f"  ratio aesop/plain: {median['aesop'] / median['plain']:.2f}x (goal <= 1.3x)")
    print(f"burst of {burst}:")
    print(f"  plain Temporal  {rates['plain']:7.1f} tasks/s")
    print(f"  aesop           {rates['aesop']:7.1f} tasks/s")
    print(f"  ratio plain/aesop time: {rates['plain'] / rates['aesop']:.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--burst", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.runs, args.burst))
    sys.stdout.flush()
    # temporalio 1.35's runtime can abort in interpreter teardown (PyGILState_Release); the
    # figures are out, so leave without running it.
    os._exit(0)
