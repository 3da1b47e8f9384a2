"""Every browser action, the context settings, large pages and cancellation."""

from __future__ import annotations

import asyncio
import struct

import pytest

from examples.local_site import Reply
from models.actions import ACTION_TYPES, action_schema
from models.artifacts import ArtifactRef
from models.errors import ActionFailed, TaskCancelled
from tests.browser.conftest import playbook

A = {"allowed_domains": ["a.test"]}


def png_size(ref: dict) -> tuple[int, int]:
    data = ArtifactRef.model_validate(ref).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_action_is_in_the_schema_the_agent_sees():
    schema = action_schema()
    names = {variant["properties"]["action"]["const"] for variant in schema["$defs"].values() if "action" in variant.get("properties", {})}
    assert names == set(ACTION_TYPES) and len(names) == 19


async def test_keyboard_mouse_and_history_actions(aesop, site):
    two = site.page("two", "<h1>two</h1>")
    one = site.page(
        "one",
        f"""<input id=q onkeyup="document.getElementById('echo').textContent = this.value">
        <p id=echo></p><p id=hovered></p><p id=pressed></p>
        <div id=h onmouseover="document.getElementById('hovered').textContent = 'yes'">hover me</div>
        <div style="height: 3000px"></div><a id=next href="{two}">next</a>
        <script>document.addEventListener('keydown', e => {{ if (e.key === 'Enter') document.getElementById('pressed').textContent = 'enter' }})</script>""",
    )
    task = playbook(
        "keys",
        [
            {"action": "navigate", "url": site.url(one, host="a.test")},
            {"action": "type", "selector": "#q", "text": "tea"},
            {"action": "press", "key": "Enter"},
            {"action": "hover", "selector": "#h"},
            {"action": "scroll", "dy": 900},
            {"action": "extract", "what": "fields", "fields": {"echo": "#echo", "hovered": "#hovered", "pressed": "#pressed"}},
            {"action": "scroll", "selector": "#next"},
            {"action": "click", "selector": "#next"},
            {"action": "wait_for", "text": "two"},
            {"action": "back"},
            {"action": "wait_for", "selector": "#q"},
            {"action": "forward"},
            {"action": "extract", "what": "links"},
        ],
        **A,
    )
    result = await aesop.execute_task(task)
    assert result.extracted[0] == {"echo": "tea", "hovered": "yes", "pressed": "enter"}
    assert result.outcomes[4]["data"]["scroll_y"] == 900
    assert result.url.endswith(two) and result.extracted[1] == []
    assert result.outcomes[9]["url"].endswith(one)


async def test_tabs_upload_and_download(aesop, site, tmp_path):
    upload = tmp_path / "cv.txt"
    upload.write_text("hello from a file")
    site.script("file", lambda n: Reply(body=b"report,1\n", headers={"Content-Disposition": "attachment; filename=report.csv"}))
    page = site.page(
        "files",
        """<input type=file id=f onchange="this.files[0].text().then(t => document.getElementById('got').textContent = t)">
        <p id=got></p><a id=dl href="/script/file">download</a>""",
    )
    other = site.page("other", "<h1>other tab</h1>")
    task = playbook(
        "files",
        [
            {"action": "navigate", "url": site.url(page, host="a.test")},
            {"action": "upload", "selector": "#f", "file": "cv"},
            {"action": "wait_for", "text": "hello from a file"},
            {"action": "download", "selector": "#dl"},
            {"action": "open_tab", "url": site.url(other, host="a.test")},
            {"action": "extract", "what": "text"},
            {"action": "switch_tab", "index": 0},
            {"action": "extract", "what": "fields", "fields": {"got": "#got"}},
            {"action": "switch_tab", "index": 1},
            {"action": "close_tab"},
            {"action": "extract", "what": "fields", "fields": {"got": "#got"}},
        ],
        **A,
    )
    task.inputs["files"] = {"cv": str(upload)}
    result = await aesop.execute_task(task)
    download = ArtifactRef.model_validate(result.outcomes[3]["data"]["download"])
    assert download.read_bytes() == b"report,1\n" and download.name == "report.csv"
    assert result.extracted == ["other tab", {"got": "hello from a file"}, {"got": "hello from a file"}]


async def test_viewport_and_user_agent_apply_to_the_context(aesop, site):
    page = site.page("size", "<p id=s></p><script>document.getElementById('s').textContent = innerWidth + 'x' + innerHeight</script>")
    task = playbook(
        "ctx",
        [{"action": "navigate", "url": site.url(page, host="a.test")}, {"action": "extract", "what": "fields", "fields": {"s": "#s"}},
         {"action": "screenshot", "name": "view"}],
        viewport_width=800, viewport_height=600, user_agent="aesop-test/1.0", **A,
    )
    result = await aesop.execute_task(task)
    assert result.extracted == [{"s": "800x600"}]
    assert png_size(result.artifacts[0]) == (800, 600)
    assert {seen.user_agent for seen in site.requests if seen.path == page} == {"aesop-test/1.0"}


async def test_a_5_mb_page_and_full_page_screenshots_stay_out_of_history(aesop, site, env):
    hidden = "".join(f"<p>row {i} {'x' * 90}</p>" for i in range(50_000))
    rows = "".join(f"<p>row {i}</p>" for i in range(1_000))  # taller than Chromium can capture at once
    page = site.page("big", f"<h1>big</h1>{rows}<div style='display:none'>{hidden}</div>")
    task = playbook(
        "big",
        [
            {"action": "navigate", "url": site.url(page, host="a.test")},
            {"action": "extract", "what": "html"},
            {"action": "extract", "what": "text"},
            {"action": "screenshot", "full_page": True, "name": "full"},
        ],
        viewport_width=800, **A,
    )
    execution = await aesop.execute_task_async(task)
    result = await execution.result()
    html, shot = result.artifacts
    assert html["size"] > 5_000_000
    visible = [line for line in result.extracted[1].splitlines() if line]
    assert visible == ["big", *(f"row {i}" for i in range(1_000))]  # visible text only
    page_height = result.outcomes[3]["data"]["page_height"]
    assert page_height > 16_000 and png_size(shot) == (800, 16_000)  # cut where Chromium's limit is
    history = await env.client.get_workflow_handle(execution.id).fetch_history()
    assert len(history.to_json()) < 1_000_000


async def test_navigations_are_paced_by_requests_per_second(aesop, site):
    page = site.page("paced", "<p>p</p>")
    task = playbook("paced", [{"action": "navigate", "url": site.url(f"{page}?{i}", host="a.test")} for i in range(4)],
                    requests_per_second=4, **A)
    await aesop.execute_task(task)
    times = [seen.at for seen in site.requests if seen.path.startswith(page)]
    assert len(times) == 4 and min(b - a for a, b in zip(times, times[1:])) >= 0.85 / 4


async def test_a_missing_element_is_retried_then_fails_with_a_clear_error(aesop, site):
    page = site.page("empty", "<p>nothing here</p>")
    task = playbook("missing", [{"action": "navigate", "url": site.url(page, host="a.test")},
                                {"action": "click", "selector": "#absent", "timeout_ms": 200}],
                    max_retries=2, retry_delay_seconds=0.1, **A)
    execution = await aesop.execute_task_async(task)
    with pytest.raises(ActionFailed, match="action 1 click"):
        await execution.result()
    status = await execution.status()
    assert status.retry_count == 2 and site.count(page) == 1  # retried the click, not the navigation


async def test_cancelling_closes_the_context_within_2_seconds(aesop, site, browser_pool):
    page = site.page("long", "<p>long</p>")
    execution = await aesop.execute_task_async(
        playbook("long", [{"action": "navigate", "url": site.url(page, host="a.test")}, {"action": "wait_for", "timeout_ms": 60_000}], **A)
    )
    while browser_pool.open_contexts == 0 or site.count(page) == 0:
        await asyncio.sleep(0.05)
    started = asyncio.get_running_loop().time()
    await execution.cancel()
    while browser_pool.open_contexts:
        await asyncio.sleep(0.05)
    assert asyncio.get_running_loop().time() - started < 2
    with pytest.raises(TaskCancelled):
        await execution.result()
