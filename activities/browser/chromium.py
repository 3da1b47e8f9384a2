"""Finding and launching Chromium: Playwright's own build where installed, else the system's."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from playwright.async_api import Browser, Playwright

from models.errors import BrowserUnavailable

CHROMIUM_ENV = "AESOP_CHROMIUM"  # a path to a Chromium/Chrome binary
HOST_RULES_ENV = "AESOP_BROWSER_HOST_RULES"  # e.g. "MAP *.test 127.0.0.1" (tests, staging)
ACTIVE_TASKS_ENV = "AESOP_BROWSER_ACTIVE_TASKS"
CONTEXTS_ENV = "AESOP_BROWSER_CONTEXTS"


def default_active_tasks() -> int:
    """Tasks acting in the browser at once; more wait their turn instead of starving each
    other of CPU until actions time out (seen: 50 at once on 2 cores; one per core ran 20 tasks in 22 s, two per core in 45 s)."""
    return os.cpu_count() or 1


def default_contexts() -> int:
    """Contexts open at once. A task keeps its context between batches, so without this bound
    every started task would open one and they would all advance slowly together (seen: 29
    contexts and 98 s for 50 tasks on 2 cores)."""
    return 4 * (os.cpu_count() or 1)
SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Quiet, container-friendly flags: no background traffic that would bypass a task's policy.
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class BrowserSettings:
    executable: Optional[str] = None
    host_rules: str = ""
    headless: bool = True
    extra_args: tuple[str, ...] = field(default_factory=tuple)
    active_tasks: int = field(default_factory=default_active_tasks)
    contexts: int = field(default_factory=default_contexts)

    @classmethod
    def from_env(cls) -> "BrowserSettings":
        active, contexts = os.environ.get(ACTIVE_TASKS_ENV), os.environ.get(CONTEXTS_ENV)
        return cls(
            executable=os.environ.get(CHROMIUM_ENV) or None,
            host_rules=os.environ.get(HOST_RULES_ENV, ""),
            active_tasks=int(active) if active else default_active_tasks(),
            contexts=int(contexts) if contexts else default_contexts(),
        )


def find_chromium(playwright: Playwright, configured: Optional[str]) -> Optional[str]:
    """The binary to launch; None means Playwright's bundled build."""
    if configured:
        if not Path(configured).exists():
            raise BrowserUnavailable(f"{CHROMIUM_ENV}={configured} does not exist")
        return configured
    try:
        if Path(playwright.chromium.executable_path).exists():
            return None
    except Exception:  # no bundled build registered for this platform
        pass
    for name in SYSTEM_CHROMIUMS:
        if found := shutil.which(name):
            return found
    raise BrowserUnavailable(
        "no Chromium found: run `playwright install chromium`, install your system's chromium "
        f"(Debian: apt-get install chromium), or set {CHROMIUM_ENV} to its path"
    )


async def launch(playwright: Playwright, settings: BrowserSettings) -> Browser:
    args = [*LAUNCH_ARGS, *settings.extra_args]
    if settings.host_rules:
        args.append(f"--host-resolver-rules={settings.host_rules}")
    return await playwright.chromium.launch(
        executable_path=find_chromium(playwright, settings.executable), headless=settings.headless, args=args
    )
