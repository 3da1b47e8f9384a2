"""allowed_domains holds for every way a page can reach another host (only a.test is allowed).

Each test checks the user's two questions: did the task see a typed error (or report the
blocked request), and did the forbidden host receive nothing at all?
"""

from __future__ import annotations

import pytest

from models.errors import PolicyViolation
from tests.browser.conftest import playbook

ALLOWED = {"allowed_domains": ["a.test"]}


def wait(ms: int = 1000) -> dict:
    return {"action": "wait_for", "timeout_ms": ms}


async def run_refused(aesop, site, html: str, *then: dict) -> PolicyViolation:
    page = site.page("start", html.replace("EVIL", site.url("/script/evil", host="evil.test")))
    site.page("evil", "<p>evil</p>")
    task = playbook("vector", [{"action": "navigate", "url": site.url(page, host="a.test")}, *then], **ALLOWED)
    with pytest.raises(PolicyViolation) as refused:
        await aesop.execute_task(task)
    assert "evil.test" not in site.hosts()
    return refused.value


async def run_blocked(aesop, site, html: str, *then: dict) -> list[str]:
    """The page loads; its requests to evil.test are refused and reported."""
    page = site.page("start", html.replace("EVIL", site.url("/script/evil", host="evil.test")))
    site.page("evil", "<p>evil</p>")
    task = playbook("vector", [{"action": "navigate", "url": site.url(page, host="a.test")}, wait(800), *then], **ALLOWED)
    result = await aesop.execute_task(task)
    assert "evil.test" not in site.hosts()
    return [blocked for outcome in result.outcomes for blocked in outcome["blocked"]]


async def test_direct_navigation_is_refused_before_the_task_starts(aesop, site):
    task = playbook("direct", [{"action": "navigate", "url": "http://evil.test/"}], **ALLOWED)
    with pytest.raises(PolicyViolation, match="evil.test is not in allowed_domains"):
        await aesop.execute_task(task)


async def test_link_click_is_refused(aesop, site):
    err = await run_refused(aesop, site, '<a id=go href="EVIL">go</a>', {"action": "click", "selector": "#go"})
    assert "evil.test" in str(err)


async def test_form_submission_to_another_host_is_refused(aesop, site):
    html = '<form method=post action="EVIL"><input name=q value=secret><button id=go>go</button></form>'
    await run_refused(aesop, site, html, {"action": "click", "selector": "#go"})
    assert site.posts == []


async def test_http_redirect_to_blocked_host_is_refused(aesop, site):
    bounce = site.url("/redirect?to=" + site.url("/script/evil", host="evil.test"), host="a.test")
    task = playbook("redirect", [{"action": "navigate", "url": bounce}], **ALLOWED)
    with pytest.raises(PolicyViolation, match="evil.test"):
        await aesop.execute_task(task)
    assert "evil.test" not in site.hosts() and site.count("/redirect") == 1


async def test_meta_refresh_is_refused(aesop, site):
    await run_refused(aesop, site, '<meta http-equiv="refresh" content="0;url=EVIL">', wait())


async def test_location_change_from_script_is_refused(aesop, site):
    await run_refused(aesop, site, '<script>setTimeout(() => location.href = "EVIL", 50)</script>', wait())


async def test_window_open_popup_is_refused(aesop, site):
    html = '<button id=go onclick="window.open(\'EVIL\')">go</button>'
    await run_refused(aesop, site, html, {"action": "click", "selector": "#go"}, wait())


async def test_javascript_url_reaching_another_host_is_refused(aesop, site):
    html = '<a id=go href="javascript:location.assign(\'EVIL\')">go</a>'
    await run_refused(aesop, site, html, {"action": "click", "selector": "#go"}, wait())


async def test_javascript_and_data_urls_are_refused_as_navigation_targets(aesop, site):
    for url in ("javascript:alert(1)", "data:text/html,<img src=http://evil.test/>"):
        with pytest.raises(PolicyViolation, match="only http"):
            await aesop.execute_task(playbook("scheme", [{"action": "navigate", "url": url}], **ALLOWED))


async def test_iframe_to_blocked_host_is_blocked_and_reported(aesop, site):
    assert any("evil.test" in b for b in await run_blocked(aesop, site, '<iframe src="EVIL"></iframe>'))


async def test_fetch_and_xhr_are_blocked(aesop, site):
    html = """<script>fetch("EVIL").catch(() => {});
    const x = new XMLHttpRequest(); x.open("GET", "EVIL?xhr"); x.send();</script>"""
    blocked = await run_blocked(aesop, site, html)
    assert len([b for b in blocked if "evil.test" in b]) == 2


async def test_images_scripts_and_styles_are_blocked(aesop, site):
    html = '<img src="EVIL?img"><script src="EVIL?js"></script><link rel=stylesheet href="EVIL?css">'
    assert len([b for b in await run_blocked(aesop, site, html) if "evil.test" in b]) == 3


async def test_data_url_frame_cannot_reach_blocked_host(aesop, site):
    html = """<iframe src="data:text/html,<img src='EVIL?from-data'>"></iframe>"""
    assert any("evil.test" in b for b in await run_blocked(aesop, site, html))


async def test_blob_url_page_cannot_reach_blocked_host(aesop, site):
    html = """<script>const page = new Blob(["<img src='EVIL?from-blob'>"], {type: "text/html"});
    location.href = URL.createObjectURL(page);</script>"""
    assert any("evil.test" in b for b in await run_blocked(aesop, site, html))


async def test_websocket_to_blocked_host_is_refused_by_the_proxy(aesop, site):
    html = '<script>new WebSocket("EVIL".replace("http:", "ws:"))</script>'
    assert any("evil.test" in b for b in await run_blocked(aesop, site, html))


async def test_blocked_domains_hold_for_subdomains(aesop, site):
    page = site.page("start", '<a id=go href="%s">go</a>' % site.url("/script/evil", host="ads.evil.test"))
    site.page("evil", "<p>evil</p>")
    task = playbook(
        "blocked", [{"action": "navigate", "url": site.url(page, host="a.test")}, {"action": "click", "selector": "#go"}],
        blocked_domains=["evil.test"],
    )
    with pytest.raises(PolicyViolation, match="blocked_domains"):
        await aesop.execute_task(task)
    assert "ads.evil.test" not in site.hosts()


async def test_require_https_refuses_plain_http(aesop, site):
    task = playbook("https", [{"action": "navigate", "url": site.url("/index.html", host="a.test")}], require_https=True)
    with pytest.raises(PolicyViolation, match="require_https"):
        await aesop.execute_task(task)
