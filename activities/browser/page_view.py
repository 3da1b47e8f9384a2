"""A compact view of the current page for the LLM: interactive elements indexed, text trimmed.

Each interactive element gets a ``data-aesop-id`` attribute, so the model can target it with
the selector ``[data-aesop-id="7"]`` whatever the page's own markup.
"""

from __future__ import annotations

import hashlib

from playwright.async_api import Page

from models.agent import PageView

MAX_ELEMENTS = 150
_VIEW_JS = """([maxElements]) => {
  const interactive = 'a[href], button, input, select, textarea, summary, [role=button], [role=link], [role=checkbox], [onclick], [contenteditable=true]';
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const elements = [];
  let next = 0;
  for (const el of document.querySelectorAll(interactive)) {
    if (!visible(el) || elements.length >= maxElements) continue;
    const id = next++;
    el.setAttribute('data-aesop-id', String(id));
    const tag = el.tagName.toLowerCase();
    const type = el.getAttribute('type') || '';
    const label = (el.innerText || el.getAttribute('aria-label') || el.getAttribute('placeholder') ||
                   el.getAttribute('name') || el.getAttribute('title') || el.getAttribute('value') || '').trim().replace(/\\s+/g, ' ').slice(0, 80);
    const extra = tag === 'a' ? ' -> ' + el.getAttribute('href') : (tag === 'select' ? ' options: ' + [...el.options].map(o => o.text).slice(0, 10).join(' | ') : '');
    const state = (type === 'checkbox' || type === 'radio') ? (el.checked ? ' [checked]' : ' [unchecked]') : '';
    elements.push(`[${id}] ${tag}${type ? ' type=' + type : ''} "${label}"${extra}${state}`);
  }
  return {title: document.title, elements, text: document.body ? document.body.innerText : ''};
}"""


async def page_view(page: Page, text_chars: int) -> PageView:
    raw = await page.evaluate(_VIEW_JS, [MAX_ELEMENTS])
    text = " ".join(raw["text"].split())
    fingerprint = hashlib.sha256(f"{page.url}\n{raw['elements']}\n{text}".encode()).hexdigest()[:16]
    return PageView(
        url=page.url, title=raw["title"], elements=raw["elements"], text=text[:text_chars],
        text_truncated=len(text) > text_chars, fingerprint=fingerprint,
    )


# Elements whose text shows a secret are marked, so the screenshot can cover them.
_MARK_SECRETS_JS = """([values]) => {
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement && values.some(v => node.nodeValue.includes(v))) node.parentElement.setAttribute('data-aesop-mask', '');
  }
}"""
_UNMARK_JS = "() => document.querySelectorAll('[data-aesop-mask]').forEach(el => el.removeAttribute('data-aesop-mask'))"


async def view_screenshot(page: Page, secrets: dict[str, str]) -> bytes:
    """The viewport as PNG. With secrets in play, every field and every text showing one is covered:
    an image cannot be redacted afterwards the way text is."""
    if not secrets:
        return await page.screenshot()
    await page.evaluate(_MARK_SECRETS_JS, [[v for v in secrets.values() if v]])
    try:
        return await page.screenshot(mask=[page.locator("[data-aesop-mask], input, textarea, [contenteditable]")])
    finally:
        await page.evaluate(_UNMARK_JS)
