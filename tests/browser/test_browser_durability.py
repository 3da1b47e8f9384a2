"""A worker SIGKILLed mid-playbook: another worker rebuilds the context and repeats no action."""

from __future__ import annotations

import asyncio
import uuid

from client import AsyncAesop
from examples.local_site import Reply
from tests.browser.conftest import playbook
from tests.conftest import HOST_RULES
from tests.test_durability import start_worker_process
from worker import running_worker

STEPS = 10
PAGE = """<p id=token></p><script>document.getElementById('token').textContent = localStorage.getItem('token') || 'none'</script>
""" + "".join(
    f"""<button id=b{i} onclick="localStorage.setItem('token', 't-42'); fetch('/script/hit?{i}', {{method: 'POST', body: '{i}'}})">{i}</button>"""
    for i in range(STEPS)
)


async def test_playbook_resumes_on_another_worker_after_sigkill(env, site, artifacts, browser_pool):
    queue = f"browser-crash-{uuid.uuid4().hex[:6]}"
    site.script("hit", lambda n: Reply())
    page = site.page("clicks", PAGE)
    doomed = await start_worker_process(
        env, queue, {"AESOP_BROWSER_HOST_RULES": HOST_RULES, "AESOP_ARTIFACT_DIR": str(artifacts.root)}
    )
    actions = [{"action": "navigate", "url": site.url(page, host="a.test")}]
    for i in range(STEPS):
        actions += [{"action": "click", "selector": f"#b{i}"}, {"action": "wait_for", "timeout_ms": 300}]
    actions.append({"action": "extract", "what": "fields", "fields": {"token": "#token"}})
    aesop = AsyncAesop(env.client, task_queue=queue)
    execution = await aesop.execute_task_async(playbook("crash", actions, allowed_domains=["a.test"]))

    while len(site.posts) < 3:
        await asyncio.sleep(0.05)
    doomed.kill()  # SIGKILL: its browser and the task's context die with it
    await doomed.wait()
    clicks_before_kill = len(site.posts)

    async with running_worker(env.client, queue, browser_pool=browser_pool, artifacts=artifacts):
        result = await execution.result()

    hits = sorted(int(body) for _, body in site.posts)
    assert hits == list(range(STEPS)), "every click happened exactly once"
    assert 3 <= clicks_before_kill < STEPS
    assert result.extracted == [{"token": "t-42"}]  # local storage came back with the context
    assert result.workers_lost == 1
