"""One browser per worker, one context per running task (launched once, not per action)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any, Optional

from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright

from activities.browser.chromium import BrowserSettings, launch
from activities.browser.guard import RequestGuard, refusal
from activities.browser.proxy import PolicyProxy, parse_host_rules
from models.config import TaskConfig


IDLE_CLOSE_SECONDS = 15 * 60  # longer than any single browser activity (BATCH_TIMEOUT)


@dataclass
class TaskBrowser:
    """A task's context, its guard and proxy, and which tab is current."""

    context: BrowserContext
    guard: RequestGuard
    proxy: PolicyProxy
    current: Page
    storage_state: Optional[dict[str, Any]] = None  # the last one checkpointed, and when
    storage_state_at: float = 0.0
    last_used: float = field(default_factory=time.monotonic)

    def on_new_page(self, page: Page) -> None:
        self.current = page  # a popup or new tab is where the user would look next

    @property
    def tabs(self) -> list[Page]:
        return self.context.pages


class BrowserPool:
    def __init__(self, settings: Optional[BrowserSettings] = None):
        self.settings = settings or BrowserSettings.from_env()
        self._playwright: Optional[Playwright] = None
        self._browser: Optional[Browser] = None
        self._launching = asyncio.Lock()
        self.active = asyncio.Semaphore(self.settings.active_tasks)  # held while acting
        self._context_slots = asyncio.Semaphore(self.settings.contexts)  # held from open to close
        self._tasks: dict[str, TaskBrowser] = {}

    @property
    def open_contexts(self) -> int:
        return len(self._browser.contexts) if self._browser else 0

    async def browser(self) -> Browser:
        async with self._launching:
            if self._browser is None or not self._browser.is_connected():
                if self._playwright is None:
                    self._playwright = await async_playwright().start()
                self._browser = await launch(self._playwright, self.settings)
                self._tasks.clear()  # contexts of a crashed browser are gone
            return self._browser

    def get(self, task_id: str) -> Optional[TaskBrowser]:
        held = self._tasks.get(task_id)
        if held and held.context.browser and held.context.browser.is_connected():
            held.last_used = time.monotonic()
            return held
        return None

    async def close_idle(self) -> None:
        """Close contexts no activity touched for IDLE_CLOSE_SECONDS: their task moved to
        another worker (this one looked lost) or ended without reaching this worker."""
        cutoff = time.monotonic() - IDLE_CLOSE_SECONDS
        for task_id in [t for t, held in self._tasks.items() if held.last_used < cutoff]:
            await self.close(task_id)

    async def open(self, task_id: str, config: TaskConfig, storage_state: Optional[dict[str, Any]] = None) -> TaskBrowser:
        await self.close(task_id)
        await self.close_idle()
        await self._context_slots.acquire()  # callers open before taking an `active` slot
        try:
            return await self._open(task_id, config, storage_state)
        except BaseException:
            self._context_slots.release()
            raise

    async def _open(self, task_id: str, config: TaskConfig, storage_state: Optional[dict[str, Any]]) -> TaskBrowser:
        browser = await self.browser()
        proxy = PolicyProxy(lambda url: refusal(url, config), parse_host_rules(self.settings.host_rules))
        viewport = {"width": config.viewport_width or 1280, "height": config.viewport_height or 720}
        context = await browser.new_context(
            # Through the proxy even for loopback hosts, so nothing escapes the policy.
            proxy={"server": await proxy.start(), "bypass": "<-loopback>"},
            viewport=viewport,
            user_agent=config.user_agent,
            storage_state=storage_state,
            service_workers="block",  # a service worker's fetches would bypass routing
            accept_downloads=True,
        )
        guard = RequestGuard(config)
        await context.route("**/*", guard.handle)
        held = TaskBrowser(context=context, guard=guard, proxy=proxy, current=await context.new_page())
        context.on("page", held.on_new_page)
        self._tasks[task_id] = held
        return held

    async def close(self, task_id: str) -> bool:
        held = self._tasks.pop(task_id, None)
        if held is None:
            return False
        try:
            await held.context.close()
        finally:
            await held.proxy.close()
            self._context_slots.release()
        return True

    async def close_all(self) -> None:
        for task_id in list(self._tasks):
            await self.close(task_id)
        if self._browser:
            await self._browser.close()
        if self._playwright:
            await self._playwright.stop()
        self._browser = self._playwright = None
