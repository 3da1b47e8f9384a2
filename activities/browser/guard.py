"""The context's request guard: the access policy, max_pages and navigation pacing.

Every request Playwright routes passes here; what routing cannot see (redirect hops,
WebSockets) is refused by the context's PolicyProxy.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Optional

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Request, Route

from models.access_policy import check_url
from models.config import TaskConfig
from models.errors import PolicyViolation


def refusal(url: str, config: TaskConfig) -> Optional[str]:
    try:
        check_url(url, config)
    except PolicyViolation as err:
        return str(err)
    return None


def is_top_level(request: Request) -> bool:
    """A navigation of a tab's main frame (a popup's first request has no frame yet)."""
    if not request.is_navigation_request():
        return False
    try:
        return request.frame.parent_frame is None
    except PlaywrightError:
        return True


@dataclass
class RequestGuard:
    config: TaskConfig
    pages_used: int = 0
    refused_navigations: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    over_limit: Optional[str] = None
    uncounted_loads: int = 0  # reloads after a lost worker are not the task's pages
    _last_navigation: float = 0.0
    _pace_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def handle(self, route: Route, request: Request) -> None:
        top = is_top_level(request)
        reason = refusal(request.url, self.config)
        if reason:
            (self.refused_navigations if top else self.blocked).append(reason)
            await route.abort("blockedbyclient")
            return
        if top:
            if not await self._admit_page(request.url):
                await route.abort("blockedbyclient")
                return
        await route.continue_()

    async def _admit_page(self, url: str) -> bool:
        if self.uncounted_loads:
            self.uncounted_loads -= 1
            return True
        limit = self.config.max_pages
        if limit is not None and self.pages_used >= limit:
            self.over_limit = f"max_pages={limit} reached: refused to load {url}"
            return False
        self.pages_used += 1
        await self._pace()
        return True

    async def _pace(self) -> None:
        rps = self.config.requests_per_second
        if not rps:
            return
        async with self._pace_lock:
            wait = self._last_navigation + 1 / rps - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last_navigation = time.monotonic()
