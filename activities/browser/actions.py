"""What each browser action does: one handler per action model, registered by type."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

from playwright.async_api import Page

from activities.artifacts import ArtifactStore
from activities.browser.pool import TaskBrowser
from activities.browser.secrets import reveal
from models import actions as a
from models.access_policy import check_url
from models.artifacts import ArtifactRef
from models.errors import ActionFailed, TaskValidationError

INLINE_DATA_LIMIT = 16 * 1024  # bigger extractions go to the artifact store
NAVIGATION_TIMEOUT_MS = 30_000
MAX_SCREENSHOT_HEIGHT = 16_000  # pixels; taller full-page shots are cut there (and say so)


@dataclass
class ActionEnv:
    task_id: str
    store: ArtifactStore
    files: dict[str, str]
    secrets: dict[str, str] = field(default_factory=dict)  # placeholder -> value, never returned
    artifacts: list[ArtifactRef] = field(default_factory=list)

    def keep(self, name: str, data: bytes, content_type: str) -> ArtifactRef:
        ref = self.store.put(self.task_id, name, data, content_type)
        self.artifacts.append(ref)
        return ref


# For the agent's ephemeral [data-aesop-id] targets: a selector that finds the element again
# on a later run (a recorded playbook): a unique id, a unique attribute, the role and name, a CSS path.
_ROBUST_SELECTOR_JS = """el => {
  const unique = sel => { try { return document.querySelectorAll(sel).length === 1 } catch (e) { return false } };
  const quote = v => JSON.stringify(v);
  const tag = el.tagName.toLowerCase();
  if (el.id && unique('#' + CSS.escape(el.id))) return '#' + CSS.escape(el.id);
  for (const attr of ['name', 'data-testid', 'aria-label', 'placeholder', 'title']) {
    const value = el.getAttribute(attr);
    if (value && unique(`${tag}[${attr}=${quote(value)}]`)) return `${tag}[${attr}=${quote(value)}]`;
  }
  const text = (el.innerText || '').trim();
  const role = tag === 'a' ? 'link' : (tag === 'button' ? 'button' : null);
  if (role && text && text.length <= 80) return `role=${role}[name=${quote(text)}]`;
  const parts = [];
  for (let node = el; node && node.nodeType === 1 && node !== document.body; node = node.parentElement) {
    if (node.id && unique('#' + CSS.escape(node.id))) { parts.unshift('#' + CSS.escape(node.id)); break; }
    const same = [...node.parentElement.children].filter(c => c.tagName === node.tagName);
    parts.unshift(node.tagName.toLowerCase() + (same.length > 1 ? `:nth-of-type(${same.indexOf(node) + 1})` : ''));
  }
  return parts.join(' > ');
}"""


async def robust_selector(b: TaskBrowser, action: Any) -> Optional[str]:
    """A lasting selector for an action aimed at an agent's [data-aesop-id]; None otherwise."""
    selector = getattr(action, "selector", None)
    if not selector or "data-aesop-id" not in selector:
        return None
    try:
        return await b.current.locator(selector).first.evaluate(_ROBUST_SELECTOR_JS, timeout=2000)
    except Exception:  # the action itself will report a missing element
        return None


Handler = Callable[[TaskBrowser, Any, ActionEnv], Awaitable[Any]]
HANDLERS: dict[type, Handler] = {}


def handles(model: type) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[model] = fn
        return fn

    return register


async def _settle(page: Page) -> None:
    await page.wait_for_load_state("load", timeout=NAVIGATION_TIMEOUT_MS)


@handles(a.Navigate)
async def navigate(b: TaskBrowser, action: a.Navigate, env: ActionEnv) -> Any:
    check_url(action.url, b.guard.config)  # data:, blob:, javascript: and blocked hosts never load
    response = await b.current.goto(action.url, wait_until="load", timeout=NAVIGATION_TIMEOUT_MS)
    return {"status": response.status if response else None}


@handles(a.Click)
async def click(b: TaskBrowser, action: a.Click, env: ActionEnv) -> Any:
    await b.current.click(action.selector, timeout=action.timeout_ms)
    await _settle(b.current)


@handles(a.Fill)
async def fill(b: TaskBrowser, action: a.Fill, env: ActionEnv) -> Any:
    await b.current.fill(action.selector, reveal(action.text, env.secrets), timeout=action.timeout_ms)


@handles(a.TypeText)
async def type_text(b: TaskBrowser, action: a.TypeText, env: ActionEnv) -> Any:
    await b.current.locator(action.selector).first.press_sequentially(reveal(action.text, env.secrets), timeout=action.timeout_ms)


@handles(a.SelectOption)
async def select_option(b: TaskBrowser, action: a.SelectOption, env: ActionEnv) -> Any:
    locator = b.current.locator(action.selector).first
    try:
        return await locator.select_option(action.values, timeout=action.timeout_ms)
    except Exception:  # not values: try the visible labels
        return await locator.select_option(label=action.values, timeout=action.timeout_ms)


@handles(a.Check)
async def check(b: TaskBrowser, action: a.Check, env: ActionEnv) -> Any:
    await b.current.set_checked(action.selector, action.checked, timeout=action.timeout_ms)


@handles(a.Press)
async def press(b: TaskBrowser, action: a.Press, env: ActionEnv) -> Any:
    if action.selector:
        await b.current.press(action.selector, action.key, timeout=action.timeout_ms)
    else:
        await b.current.keyboard.press(action.key)
    await _settle(b.current)


@handles(a.Hover)
async def hover(b: TaskBrowser, action: a.Hover, env: ActionEnv) -> Any:
    await b.current.hover(action.selector, timeout=action.timeout_ms)


@handles(a.Scroll)
async def scroll(b: TaskBrowser, action: a.Scroll, env: ActionEnv) -> Any:
    if action.selector:
        await b.current.locator(action.selector).first.scroll_into_view_if_needed()
    else:
        await b.current.evaluate("dy => window.scrollBy(0, dy)", action.dy)
    return {"scroll_y": await b.current.evaluate("window.scrollY")}


@handles(a.WaitFor)
async def wait_for(b: TaskBrowser, action: a.WaitFor, env: ActionEnv) -> Any:
    if action.selector:
        await b.current.locator(action.selector).first.wait_for(state="visible", timeout=action.timeout_ms)
    elif action.text:
        await b.current.get_by_text(action.text).first.wait_for(state="visible", timeout=action.timeout_ms)
    else:
        await b.current.wait_for_timeout(action.timeout_ms)


@handles(a.Back)
async def back(b: TaskBrowser, action: a.Back, env: ActionEnv) -> Any:
    await b.current.go_back(wait_until="load", timeout=NAVIGATION_TIMEOUT_MS)


@handles(a.Forward)
async def forward(b: TaskBrowser, action: a.Forward, env: ActionEnv) -> Any:
    await b.current.go_forward(wait_until="load", timeout=NAVIGATION_TIMEOUT_MS)


_LINKS_JS = """root => [...root.querySelectorAll('a[href]')].map(a => ({text: a.innerText.trim(), href: a.href}))"""
_TABLES_JS = """root => [...root.querySelectorAll('table')].map(t =>
    [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim())))"""


@handles(a.Extract)
async def extract(b: TaskBrowser, action: a.Extract, env: ActionEnv) -> Any:
    page = b.current
    root = page.locator(action.selector or "body").first
    if action.what == "text":
        data: Any = await root.inner_text()
    elif action.what == "links":
        data = await root.evaluate(_LINKS_JS)
    elif action.what == "tables":
        data = await root.evaluate(_TABLES_JS)
    elif action.what == "html":
        return {"html": env.keep("page.html", (await page.content()).encode(), "text/html").model_dump()}
    else:
        if not action.fields:
            raise TaskValidationError("extract what='fields' needs a 'fields' map of name -> selector")
        data = {}
        for name, selector in action.fields.items():
            if name.endswith("[]"):
                data[name[:-2]] = [t.strip() for t in await page.locator(selector).all_inner_texts()]
            else:
                found = page.locator(selector)
                data[name] = (await found.first.inner_text()).strip() if await found.count() else None
    encoded = json.dumps(data)
    if len(encoded) > INLINE_DATA_LIMIT:
        ref = env.keep(f"extract-{action.what}.json", encoded.encode(), "application/json")
        return {"artifact": ref.model_dump(), "preview": encoded[:500]}
    return data


@handles(a.Screenshot)
async def screenshot(b: TaskBrowser, action: a.Screenshot, env: ActionEnv) -> Any:
    page, clip, shown = b.current, None, {}
    if action.full_page:
        width, height = await page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        if height > MAX_SCREENSHOT_HEIGHT:  # Chromium cannot capture taller pages in one image
            clip = {"x": 0, "y": 0, "width": width, "height": MAX_SCREENSHOT_HEIGHT}
            shown = {"page_height": height, "captured_height": MAX_SCREENSHOT_HEIGHT}
    png = await page.screenshot(full_page=action.full_page, clip=clip)
    return {"screenshot": env.keep(f"{action.name}.png", png, "image/png").model_dump(), **shown}


@handles(a.OpenTab)
async def open_tab(b: TaskBrowser, action: a.OpenTab, env: ActionEnv) -> Any:
    page = await b.context.new_page()
    b.current = page
    if action.url:
        check_url(action.url, b.guard.config)
        await page.goto(action.url, wait_until="load", timeout=NAVIGATION_TIMEOUT_MS)
    return {"tab": b.tabs.index(page)}


@handles(a.SwitchTab)
async def switch_tab(b: TaskBrowser, action: a.SwitchTab, env: ActionEnv) -> Any:
    if action.index >= len(b.tabs):
        raise ActionFailed(f"switch_tab: there is no tab {action.index} ({len(b.tabs)} open)")
    b.current = b.tabs[action.index]
    await b.current.bring_to_front()


@handles(a.CloseTab)
async def close_tab(b: TaskBrowser, action: a.CloseTab, env: ActionEnv) -> Any:
    index = b.tabs.index(b.current)
    await b.current.close()
    b.current = b.tabs[max(0, index - 1)] if b.tabs else await b.context.new_page()


@handles(a.Upload)
async def upload(b: TaskBrowser, action: a.Upload, env: ActionEnv) -> Any:
    if action.file not in env.files:
        raise TaskValidationError(f"upload: {action.file!r} is not in the task's inputs.files {sorted(env.files)}")
    path = Path(env.files[action.file])
    if not path.is_file():
        raise TaskValidationError(f"upload: {path} (inputs.files[{action.file!r}]) is not a file on the worker")
    await b.current.set_input_files(action.selector, path, timeout=action.timeout_ms)


@handles(a.Download)
async def download(b: TaskBrowser, action: a.Download, env: ActionEnv) -> Any:
    async with b.current.expect_download(timeout=action.timeout_ms) as started:
        await b.current.click(action.selector, timeout=action.timeout_ms)
    done = await started.value
    path = await done.path()
    ref = env.keep(done.suggested_filename, Path(path).read_bytes(), "application/octet-stream")
    return {"download": ref.model_dump()}


_missing = set(a.ACTION_TYPES.values()) - set(HANDLERS)
if _missing:  # one registry: an action model without a handler is a bug, found at import
    raise RuntimeError(f"browser actions without a handler: {sorted(m.__name__ for m in _missing)}")
