"""The playbook kind: browser actions in order, on the real Chromium, durably."""

from __future__ import annotations

import pytest

from models.errors import PageLimitReached
from tests.browser.conftest import playbook

FORM = """<!doctype html><title>order</title>
<form action="/script/{done}" method="post">
  <input name="who" id="who"><select name="size" id="size"><option value="s">Small</option><option value="l">Large</option></select>
  <label><input type="checkbox" name="gift" id="gift"> gift</label>
  <button id="send">send</button>
</form>
<table id="prices"><tr><th>item</th><th>price</th></tr><tr><td>tea</td><td>3</td></tr></table>
<a href="/script/{done}">next</a>"""


async def test_playbook_fills_a_form_and_returns_what_it_extracted(aesop, site):
    site.page("done", "<h1 id=t>thanks</h1><p class=item>a</p><p class=item>b</p>")
    form = site.page("form", FORM.format(done="done"))
    task = playbook(
        "order",
        [
            {"action": "navigate", "url": site.url(form, host="shop.test")},
            {"action": "extract", "what": "tables"},
            {"action": "fill", "selector": "#who", "text": "Ada"},
            {"action": "select_option", "selector": "#size", "values": ["Large"]},
            {"action": "check", "selector": "#gift"},
            {"action": "click", "selector": "#send"},
            {"action": "extract", "what": "fields", "fields": {"title": "#t", "items[]": ".item", "missing": "#nope"}},
        ],
        allowed_domains=["shop.test"],
    )
    result = await aesop.execute_task(task)
    assert result.extracted[0] == [[["item", "price"], ["tea", "3"]]]
    assert result.extracted[1] == {"title": "thanks", "items": ["a", "b"], "missing": None}
    assert site.posts[-1][1] == b"who=Ada&size=l&gift=on"
    assert result.pages == 2
    assert result.url.endswith("/script/done")


async def test_max_pages_ends_the_task_at_the_limit(aesop, site):
    page = site.page("p", "<p>p</p>")
    task = playbook("pages", [{"action": "navigate", "url": site.url(page + f"?{i}", host="a.test")} for i in range(3)], max_pages=2)
    with pytest.raises(PageLimitReached, match="max_pages=2"):
        await aesop.execute_task(task)
    assert site.count(page) == 2
