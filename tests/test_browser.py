"""Real-browser tests: Debian's Chromium, driven by Playwright, against the built fixture site.

The site is served by http.server on 127.0.0.1 (port 0) in a thread. Every request the page
makes is routed through a check: anything not for that server is recorded and aborted, and a
test fails if one happened or if the console logged an error.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
STUDY_TITLE = "Fictional S-ketamine infusion trial for the rendering fixture"

pytestmark = pytest.mark.browser


def _require_browser() -> None:
    """Skip without Chromium or Playwright, except under CI, where their absence is a failure."""
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "the playwright Python package is missing"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run under CI: {missing}")
        pytest.skip(missing)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep the test output clean."""


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A page left before a download finished (a broken pipe) is not an error here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serving(directory: Path) -> Iterator[str]:
    """A static server for directory on http://127.0.0.1:<free port> (loopback only)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server(built_site) -> Iterator[str]:
    """The built site on http://127.0.0.1:<free port>/."""
    with serving(built_site.site) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (the Debian build; never a downloaded one)."""
    from tests.browser_kit import launch  # here: browser_kit reads this module's constants

    with launch() as chromium:
        yield chromium


@pytest.fixture
def page(browser, server):
    """A fresh page that refuses and records off-site requests, console errors and dialogs."""
    from tests.browser_kit import guarded_page  # here: browser_kit reads this module's constants

    dialogs: list[str] = []
    with guarded_page(browser, server) as tab:
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        yield tab
    assert dialogs == [], f"dialogs opened: {dialogs}"


def _search(tab, query: str):
    """Type a query into Material's search box and wait for a result naming the study."""
    tab.goto(tab.base + "/")
    tab.locator("label.md-search__icon, .md-search__input").first.click()
    box = tab.locator("input.md-search__input")
    box.press_sequentially(query, delay=20)
    result = tab.locator(".md-search-result__item", has_text=STUDY_TITLE).first
    result.wait_for(timeout=15000)
    return result


def test_search_by_first_author_then_open_the_citation(page):
    result = _search(page, "Quixworth")
    result.locator("a").first.click()
    page.wait_for_url("**/studies/quixworth-2009/**")
    heading = page.locator("h2", has_text="Cite this study")
    heading.wait_for()
    citation = page.locator(".md-content pre", has_text="Quixworth AB").first
    assert citation.is_visible()
    assert "Fictional S-ketamine infusion trial" in citation.inner_text()
    # citation lines wrap on screen rather than scroll out of sight
    assert citation.evaluate("e => getComputedStyle(e.querySelector('code')).whiteSpace") \
        == "pre-wrap"


def test_search_by_a_number_from_the_abstract(page):
    result = _search(page, "3.17")
    assert STUDY_TITLE in result.inner_text()


def _column(tab, index: int) -> list[str]:
    cells = tab.locator(f"table tbody tr:not([hidden]) td:nth-child({index + 1})")
    return [c.strip() for c in cells.all_inner_texts()]


def test_studies_table_sorts_and_filters(page):
    page.goto(page.base + "/studies/")
    page.locator(".ev-controls select").first.wait_for()
    year = page.locator("th button.ev-sort", has_text="Year")
    year.click()
    years = _column(page, 2)
    assert years == sorted(years) and len(years) == 4
    assert page.locator("th", has_text="Year").get_attribute("aria-sort") == "ascending"
    year.click()
    assert _column(page, 2) == sorted(years, reverse=True)
    page.locator("th button.ev-sort", has_text="N").first.click()
    numbers = [int(n) for n in _column(page, 3) if n]
    assert numbers == sorted(numbers)
    page.get_by_label("Design").select_option("RCT")
    assert _column(page, 0) == ["Quixworth et al. 2009"]
    assert "Showing 1 of 4" in page.locator(".ev-controls__count").inner_text()
    page.get_by_label("Design").select_option("")
    page.get_by_label("Filter studies: text").fill("brannigan")
    assert _column(page, 0) == ["Brannigan and Osei 2012"]


def test_claims_table_filters_by_verdict(page):
    page.goto(page.base + "/claims/")
    page.get_by_label("Verdict").select_option("○ Not shown")
    rows = _column(page, 0)
    assert rows == ["IV ketamine improves physical function in CRPS compared with placebo."]


@pytest.mark.parametrize("path", ["/studies/hostile-2020/", "/claims/hostile-claim/",
                                  "/sources/hostile-source/", "/studies/", "/claims/",
                                  "/tags/", "/profile/dosing/"])
def test_hostile_records_run_no_script(page, path):
    page.goto(page.base + path)
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("iframe, marquee, .md-content u").count() == 0


def test_print_keeps_tables_and_citations_and_drops_navigation(page):
    page.goto(page.base + "/studies/quixworth-2009/")
    page.emulate_media(media="print")
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator(".md-header").is_visible()
    assert page.locator(".md-content table").first.is_visible()
    citation = page.locator(".md-content pre", has_text="Quixworth AB").first
    assert citation.is_visible()
    assert citation.evaluate("e => getComputedStyle(e.querySelector('code')).whiteSpace") \
        == "pre-wrap"


@pytest.mark.parametrize("path", ["/", "/studies/", "/studies/quixworth-2009/", "/claims/"])
def test_phone_width_scrolls_tables_not_the_page(page, path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + path)
    page.wait_for_load_state("load")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than a phone screen"
