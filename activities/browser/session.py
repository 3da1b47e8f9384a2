"""Browser activities. A task's actions run on the worker that holds its context.

Each result names this worker's own queue; the workflow sends the task's later batches
there. After each action a checkpoint (next action, URL, outcomes so far, and the storage
state at most STORAGE_STATE_EVERY old) goes to the artifact store, so a worker that picks
the task up after a crash rebuilds the context and repeats no finished action.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Awaitable, Optional, TypeVar

from playwright.async_api import Error as PlaywrightError
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.artifacts import ArtifactStore, LocalArtifactStore
from activities.browser.actions import HANDLERS, ActionEnv, robust_selector
from activities.browser.page_view import page_view, view_screenshot
from activities.browser.pool import BrowserPool, TaskBrowser
from activities.browser.secrets import redact
from activities.browser.secrets import resolve as resolve_secrets
from activities.heartbeat import with_heartbeats
from models.actions import describe
from models.browser import CLOSE_SESSION, RUN_ACTIONS, ActionOutcome, BatchResult, BrowserBatch
from models.errors import ActionFailed, AesopError, PageLimitReached, PolicyViolation

T = TypeVar("T")

# Cookies and local storage cost a browser round trip to read: not after every action.
STORAGE_STATE_EVERY = 0.5  # seconds


def as_application_error(err: AesopError, session_queue: str) -> ApplicationError:
    """The error names the queue of the worker holding the context, so the workflow can
    retry there or close the context."""
    return ApplicationError(
        str(err), session_queue, getattr(err, "index", None), type=type(err).__name__, non_retryable=not err.retryable
    )


def check_guard(held: TaskBrowser, action_failed: bool = False) -> list[str]:
    """Raise when the last action hit the policy or max_pages; return blocked subresources."""
    guard, proxy = held.guard, held.proxy
    if guard.over_limit:
        reason, guard.over_limit = guard.over_limit, None
        raise PageLimitReached(reason)
    if guard.refused_navigations:
        reason = guard.refused_navigations[0]
        guard.refused_navigations.clear()
        raise PolicyViolation(f"navigation {reason}")
    hops, proxy.refused = proxy.refused, []
    # The proxy sees redirect hops: one it refused ended a navigation if the tab shows an error.
    if hops and (action_failed or held.current.url.startswith("chrome-error:")):
        raise PolicyViolation(f"navigation {hops[-1]}")
    blocked, guard.blocked = guard.blocked + hops, []
    return blocked


async def in_task_context(pool: BrowserPool, task_id: str, session_queue: str, work: Awaitable[T]) -> T:
    """Run a browser activity's work: heartbeating, errors typed and naming this worker's queue.

    A cancelled browser activity means the task is cancelled or out of time: its context goes
    at once, before the workflow may even know which worker holds it.
    """
    try:
        return await with_heartbeats(work)
    except AesopError as err:
        raise as_application_error(err, session_queue) from None
    except asyncio.CancelledError:
        await asyncio.shield(pool.close(task_id))
        raise


class BrowserActivities:
    def __init__(self, pool: BrowserPool, store: Optional[ArtifactStore] = None, session_queue: Optional[str] = None):
        self.pool = pool
        self.store = store or LocalArtifactStore()
        self.session_queue = session_queue or f"aesop-browser-{uuid.uuid4().hex[:12]}"

    @activity.defn(name=CLOSE_SESSION)
    async def close(self, task_id: str) -> bool:
        return await self.pool.close(task_id)

    @activity.defn(name=RUN_ACTIONS)
    async def run_actions(self, batch: BrowserBatch) -> BatchResult:
        return await in_task_context(self.pool, batch.task_id, self.session_queue, self._run(batch))

    async def _run(self, batch: BrowserBatch) -> BatchResult:
        checkpoint = self.store.load_checkpoint(batch.task_id) or {}
        held = self.pool.get(batch.task_id)
        resumed: Optional[int] = None
        outcomes: list[ActionOutcome] = []
        index = batch.start
        if checkpoint.get("start") == batch.start and checkpoint.get("next_index", 0) > batch.start:
            # A worker died inside this batch: what it finished is not done again.
            # (An action that failed here is retried on the live context, if this worker holds it.)
            index = resumed = checkpoint["next_index"]
            outcomes = [ActionOutcome.model_validate(o) for o in checkpoint["outcomes"]]
        if held is None:  # waits for a context slot before an active one: see BrowserPool
            held = await self._restore(batch, checkpoint)
        held.guard.pages_used = checkpoint["pages_used"] if resumed is not None else batch.pages_used
        env = ActionEnv(task_id=batch.task_id, store=self.store, files=batch.files, secrets=resolve_secrets(batch.secrets))
        end = batch.start + len(batch.actions)  # batch.actions holds actions[start:end]
        async with self.pool.active:
            deadline = time.monotonic() + batch.slice_seconds
            while index < end and (index == batch.start or time.monotonic() < deadline):
                outcomes.append(await self._one(held, batch.actions[index - batch.start], index, env))
                index += 1
                await self._checkpoint(batch, held, index, outcomes, env.secrets)
            view = await page_view(held.current, batch.observe_chars) if batch.observe_chars else None
            if view is not None and batch.observe_screenshot:
                view.screenshot = self.store.put(batch.task_id, "view.png", await view_screenshot(held.current, env.secrets), "image/png")
        url = held.current.url
        if batch.close_at_end and index == end:
            await self.pool.close(batch.task_id)  # the task is done with its browser
        result = BatchResult(
            outcomes=outcomes, next_index=index, pages_used=held.guard.pages_used, url=url,
            resumed_from=resumed, session_queue=self.session_queue, view=view,
        )
        return BatchResult.model_validate(redact(result.model_dump(mode="json"), env.secrets))

    async def _one(self, held: TaskBrowser, action, index: int, env: ActionEnv) -> ActionOutcome:
        activity.logger.info("action %d: %s", index, describe(action))
        started = time.monotonic()
        env.artifacts = []
        try:
            selector = await robust_selector(held, action)
            data = await HANDLERS[type(action)](held, action, env)
        except PlaywrightError as err:
            check_guard(held, action_failed=True)  # a refused navigation explains the failure better
            raise ActionFailed(f"action {index} {describe(action)} failed: {str(err).splitlines()[0]}", index) from None
        blocked = check_guard(held)
        return ActionOutcome(
            index=index, action=action.action, url=held.current.url, data=data,
            artifacts=env.artifacts, blocked=blocked, seconds=round(time.monotonic() - started, 3), selector=selector,
        )

    async def _restore(self, batch: BrowserBatch, checkpoint: dict) -> TaskBrowser:
        state_ref = checkpoint.get("storage_state")
        held = await self.pool.open(batch.task_id, batch.config, storage_state=state_ref)
        url = checkpoint.get("url")
        if url and url.startswith(("http://", "https://")):
            held.guard.uncounted_loads = 1  # a reload after a lost worker is not a new page
            await held.current.goto(url, wait_until="load")
        return held

    async def _checkpoint(
        self, batch: BrowserBatch, held: TaskBrowser, next_index: int, outcomes: list[ActionOutcome], secrets: dict[str, str]
    ) -> None:
        now = time.monotonic()
        if held.storage_state is None or now - held.storage_state_at >= STORAGE_STATE_EVERY:
            held.storage_state, held.storage_state_at = await held.context.storage_state(), now
        self.store.save_checkpoint(
            batch.task_id,
            {
                "start": batch.start,
                "next_index": next_index,
                "pages_used": held.guard.pages_used,
                "url": held.current.url,
                "storage_state": held.storage_state,
                "outcomes": redact([o.model_dump(mode="json") for o in outcomes], secrets),
            },
        )
