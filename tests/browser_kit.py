"""Shared pieces of the real-browser tests on the site built from the repository's evidence:
the page kinds, a guarded tab (no request may leave 127.0.0.1, no console error), and the
measurement of text that lies beyond the right edge of the screen."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

from tests.test_browser import ARGS, CHROMIUM, _require_browser

# One page of every kind the site has (the claim, study and source are named in issue 16's
# query cases, so they exist as long as those cases do).
PAGE_KINDS = {
    "home": "/",
    "claims index": "/claims/",
    "claim page": "/claims/cure-remission/",
    "studies table": "/studies/",
    "study page": "/studies/sigtermans-2009/",
    "figures": "/figures/",
    "evidence profile": "/profile/",
    "dosing": "/profile/dosing/",
    "sources": "/sources/",
    "source page": "/sources/astoria-ketamine-rsd-2014/",
    "methods": "/methods/grading/",
    "check a text": "/check/",
    "search results": "/search/?q=ketamine",
}

# Text of the main content that lies beyond the viewport's right edge, as [text, right] pairs.
# Text that is hidden on purpose (display none, clipped for screen readers only) is skipped.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const root = document.querySelector('.md-content') || document.body;
  const hidden = (el) => {
    for (let e = el; e && e !== root.parentElement; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (e.hidden || s.display === 'none' || s.visibility === 'hidden' ||
          s.clipPath !== 'none' || (s.clip && s.clip !== 'auto')) return true;
    }
    return false;
  };
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || hidden(node.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) {
      if (box.width > 0 && box.right > width + 1) {
        out.push([node.textContent.trim().slice(0, 60), Math.round(box.right)]);
        break;
      }
    }
  }
  return out;
}"""


@contextlib.contextmanager
def launch() -> Iterator[object]:
    """Debian's Chromium, headless (never a downloaded build); skips only outside CI."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def guarded_page(browser, base: str, *, width: int = 1280, height: int = 900,
                 scheme: str = "light") -> Iterator[object]:
    """A tab that refuses off-site requests and fails the test on them or on console errors."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  color_scheme=scheme, service_workers="block")
    origin = urlsplit(base).netloc
    escaped: list[str] = []
    errors: list[str] = []

    def guard(route, request):
        if urlsplit(request.url).netloc == origin:
            route.continue_()
        else:
            escaped.append(request.url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.base = base
    try:
        yield tab
    finally:
        context.close()
    assert escaped == [], f"requests left 127.0.0.1: {escaped}"
    assert errors == [], f"console errors: {errors}"


def open_page(tab, path: str) -> None:
    """Load a page and wait until its scripts have run (tables made sortable, fonts ready)."""
    tab.goto(tab.base + path)
    tab.wait_for_load_state("load")
    tab.wait_for_function("document.fonts.status === 'loaded'")


def resize(tab, width: int, height: int) -> None:
    """Resize the tab and wait until the layout has settled: the header's search box animates
    its width across Material's breakpoints, and mid-animation it overhangs the page."""
    tab.set_viewport_size({"width": width, "height": height})
    tab.wait_for_function(f"innerWidth === {width}")
    tab.evaluate("Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
