"""The hostile site in a real browser: no vector runs, opens a dialog or reaches the network.

The packed hostile corpus (every vector on every kind of record page, rotating through the
fields; tests/hostile_corpus.py) is built with the studies table in its big-base form, so the
rows the table script loads from JSON are hostile too. Debian's Chromium loads every page that
shows record text and every SVG figure directly. An init script sets window.__xss = [] first;
the vectors call window.__xss.push(n) or alert(n), so execution shows without a dialog, and a
dialog fails the test. Requests for anything but the 127.0.0.1 server are recorded and aborted.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import pagefind_index
from tests.hostile_corpus import VECTORS, build_project
from tests.test_browser import ARGS, CHROMIUM, _require_browser, serving

pytestmark = pytest.mark.browser


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep the test output clean."""

    def handle(self) -> None:
        """Serve; a page left before its last request finished is not an error."""
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The packed hostile corpus built into a site, studies table rows loaded from JSON."""
    _require_browser()
    project = tmp_path_factory.mktemp("hostile-browser")
    build_project(project, packed=True, lazy_rows=True)
    assert (project / "site" / "studies" / "table.json").is_file()
    pagefind_index(project / "site")  # the site search reads every page, vectors included
    return project / "site"


def _pages(site: Path) -> list[str]:
    """Every built page that shows record text, and every SVG figure, site-relative."""
    pages = [p for p in site.rglob("*.html") if "xss-" in p.read_text(encoding="utf-8")]
    pages += site.rglob("*.svg")
    return sorted(p.relative_to(site).as_posix() for p in pages)


@pytest.fixture(scope="module")
def server(hostile_site) -> Iterator[str]:
    """The hostile site on http://127.0.0.1:<free port>/."""
    with serving(hostile_site) as base:
        yield base


@pytest.fixture(scope="module")
def watched(server):
    """A Chromium tab that records executed vectors, dialogs, off-site requests and errors."""
    from playwright.sync_api import sync_playwright

    origin = urlsplit(server).netloc
    seen: dict[str, list] = {"escaped": [], "dialogs": [], "errors": []}

    def guard(route, request):
        if urlsplit(request.url).netloc == origin:
            route.continue_()
        else:
            seen["escaped"].append(request.url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900},
                                          service_workers="block")
            context.add_init_script("window.__xss = [];")
            context.route("**/*", guard)
            tab = context.new_page()
            tab.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
            tab.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error"
                   else None)
            tab.on("pageerror", lambda e: seen["errors"].append(str(e)))
            tab.base = server
            yield tab, seen
        finally:
            browser.close()


def test_no_vector_runs_on_any_page(watched, hostile_site):
    tab, seen = watched
    pages = _pages(hostile_site)
    assert len(pages) >= 30 and any(p.startswith("studies/hostile-") for p in pages)
    ran = {}
    for rel in pages:
        tab.goto(f"{tab.base}/{rel}", wait_until="load")
        pushed = tab.evaluate("window.__xss")
        if pushed is None or pushed:
            ran[rel] = pushed  # None: the init script's array was replaced
    assert ran == {}, f"vectors ran: {ran}"
    assert seen["dialogs"] == [], f"dialogs opened: {seen['dialogs']}"
    assert seen["escaped"] == [], f"requests left 127.0.0.1: {seen['escaped']}"
    assert seen["errors"] == [], f"console errors: {seen['errors'][:10]}"


def test_studies_table_rows_from_json_stay_text(watched):
    tab, seen = watched
    tab.goto(f"{tab.base}/studies/", wait_until="load")
    tab.locator(".ev-controls select").first.wait_for()
    rows = tab.locator("table tbody tr")
    assert rows.count() >= 2  # the first row in the page, the rest from table.json
    assert "<" in tab.locator("table tbody").inner_text()  # record text shown, not parsed
    tab.get_by_label("Filter studies: text").fill("xss-0")
    assert tab.evaluate("window.__xss") == []
    assert seen["dialogs"] == [] and seen["escaped"] == []


def test_search_results_show_vectors_as_text(watched):
    tab, seen = watched
    tab.goto(f"{tab.base}/", wait_until="load")
    tab.locator("#ev-search-input").click()
    tab.locator("#ev-search-input").press_sequentially("script", delay=20)
    tab.locator("#ev-search-list .md-search-result__item").first.wait_for(timeout=15000)
    # the results page lists every result, with titles, kinds and excerpts from the records
    tab.goto(f"{tab.base}/search/?q=xss", wait_until="load")
    tab.locator("#ev-search-results li").first.wait_for(timeout=15000)
    items = tab.locator("#ev-search-results li")
    for _ in range(5):
        if not tab.locator("#ev-search-more").is_visible():
            break
        shown = items.count()
        tab.locator("#ev-search-more").click()
        tab.wait_for_function(f"document.querySelectorAll('#ev-search-results li').length > {shown}")
    results = tab.locator("#ev-search-results")
    assert "xss-" in results.inner_text()
    assert tab.evaluate("window.__xss") == []
    assert tab.locator("#ev-search-results img, #ev-search-results iframe, "
                       "#ev-search-results script, .md-search-result img").count() == 0
    assert seen["dialogs"] == [] and seen["escaped"] == []


def test_every_vector_is_on_a_page_the_browser_loaded(hostile_site):
    text = "".join((hostile_site / rel).read_text(encoding="utf-8")
                   for rel in _pages(hostile_site) if rel.endswith(".html"))
    missing = [n for n in range(len(VECTORS)) if f"xss-{n:03d}" not in text]
    assert missing == []


def test_the_watch_sees_a_vector_that_does_run(watched, hostile_site):
    """The harness is not blind: raw vectors on a page of the same server are all caught."""
    tab, seen = watched
    canary = hostile_site / "canary-not-generated"
    canary.mkdir()
    (canary / "index.html").write_text(
        '<!doctype html><img src=x onerror="window.__xss.push(1)">'
        "<script>alert(2)</script><img src=\"https://evil.example/x.png\">", encoding="utf-8")
    before = {key: len(value) for key, value in seen.items()}
    tab.goto(f"{tab.base}/canary-not-generated/", wait_until="load")
    tab.wait_for_function("window.__xss.length > 0")
    assert tab.evaluate("window.__xss") == [1]
    assert seen["dialogs"][before["dialogs"]:] == ["2"]
    assert any("evil.example" in url for url in seen["escaped"][before["escaped"]:])
    for key, count in before.items():
        del seen[key][count:]
