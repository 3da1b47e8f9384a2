"""Reading pages for research: load in tabs of the task's context, keep the main text."""

from __future__ import annotations

import asyncio
import os
from datetime import date
from typing import Optional
from urllib.parse import quote_plus

import trafilatura
from playwright.async_api import Error as PlaywrightError
from temporalio import activity

from activities.artifacts import ArtifactStore
from activities.browser.actions import NAVIGATION_TIMEOUT_MS
from activities.browser.pool import BrowserPool, TaskBrowser
from activities.browser.session import in_task_context
from models.browser import READ_PAGES
from models.research import Link, PageFinding, ReadPages, ReadPagesResult

LINKS_KEPT = 150  # per page, in history
SNIPPET_CHARS = 400
_LINKS_JS = """() => [...document.querySelectorAll('a[href]')]
    .map(a => ({url: a.href.split('#')[0], text: a.innerText.trim().slice(0, 100)}))
    .filter(l => l.url.startsWith('http'))"""


def main_text(html: str, url: str) -> tuple[str, str, Optional[date]]:
    """(title, main text, publication date) with boilerplate (menus, footers) removed."""
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_recall=True)
    if doc is None:
        return "", "", None
    published = None
    if doc.date:
        try:
            published = date.fromisoformat(doc.date[:10])
        except ValueError:
            pass
    return doc.title or "", doc.text or "", published


SEARCH_URL_ENV = "AESOP_SEARCH_URL"
# Where a research task with neither start_urls nor allowed_domains starts: a results page whose
# links the crawl follows. {query} is replaced by the URL-encoded topic.
DEFAULT_SEARCH_URL = "https://html.duckduckgo.com/html/?q={query}"


class PageReader:
    def __init__(self, pool: BrowserPool, store: ArtifactStore, session_queue: str, search_url: Optional[str] = None):
        self.pool, self.store, self.session_queue = pool, store, session_queue
        self.search_url = search_url or os.environ.get(SEARCH_URL_ENV) or DEFAULT_SEARCH_URL
        if "{query}" not in self.search_url:
            raise ValueError(f"{SEARCH_URL_ENV}={self.search_url!r} must contain {{query}}")

    @activity.defn(name=READ_PAGES)
    async def read_pages(self, request: ReadPages) -> ReadPagesResult:
        return await in_task_context(self.pool, request.task_id, self.session_queue, self._read_all(request))

    async def _read_all(self, request: ReadPages) -> ReadPagesResult:
        held = self.pool.get(request.task_id) or await self.pool.open(request.task_id, request.config)
        held.guard.pages_used = request.pages_used
        urls = list(request.urls)
        if request.search:
            urls.insert(0, self.search_url.format(query=quote_plus(request.search)))
        async with self.pool.active:
            pages = list(await asyncio.gather(*(self._read(held, request.task_id, url) for url in urls)))
        if request.search:
            pages[0] = pages[0].model_copy(update={"search_results": True})
        limit_reached = held.guard.over_limit is not None
        held.guard.over_limit = None
        held.guard.refused_navigations.clear()
        return ReadPagesResult(
            pages=pages, pages_used=held.guard.pages_used, limit_reached=limit_reached, session_queue=self.session_queue
        )

    async def _read(self, held: TaskBrowser, task_id: str, url: str) -> PageFinding:
        page = await held.context.new_page()
        try:
            await page.goto(url, wait_until="load", timeout=NAVIGATION_TIMEOUT_MS)
            html = await page.content()
            links = [Link.model_validate(link) for link in (await page.evaluate(_LINKS_JS))[:LINKS_KEPT]]
            final_url = page.url
        except PlaywrightError as err:
            reason = held.guard.over_limit or next(iter(held.guard.refused_navigations), None) or str(err).splitlines()[0]
            return PageFinding(url=url, error=reason)
        finally:
            await page.close()
        title, text, published = await asyncio.to_thread(main_text, html, final_url)
        ref = self.store.put(task_id, "page.txt", text.encode(), "text/plain") if text else None
        return PageFinding(
            url=final_url, title=title, snippet=text[:SNIPPET_CHARS], words=len(text.split()),
            published=published, text=ref, links=links,
        )
