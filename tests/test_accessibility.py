"""WCAG 2.2 AA (issue 21), in Debian's Chromium, on the site built from the evidence.

- axe-core (shipped inside the axe-playwright-python wheel; nothing is downloaded) finds no
  WCAG 2 A/AA violation on any page kind, at 1280 and 390 px, in the light and dark schemes;
- certainty symbols and verdict signs reach the accessibility tree as words;
- the sortable tables and the search box work from the keyboard alone.
"""

from __future__ import annotations

import re

import pytest

from tests.browser_kit import PAGE_KINDS, guarded_page, open_page, resize

pytestmark = pytest.mark.browser

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCHEMES = {"light": "default", "dark": "slate"}


def _violations(tab) -> list[str]:
    """axe-core's WCAG A/AA violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_AA},
                                    "resultTypes": ["violations"]}).response["violations"]
    return [f"{v['id']} ({v['impact']}): {n['target']} {n.get('failureSummary', '')[:160]}"
            for v in found for n in v["nodes"]]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_wcag_a_or_aa_violation(chromium, real_server, kind):
    problems = []
    for scheme, material in SCHEMES.items():
        with guarded_page(chromium, real_server, scheme=scheme) as tab:
            open_page(tab, PAGE_KINDS[kind])
            shown = tab.evaluate("document.body.dataset.mdColorScheme")
            assert shown == material, f"{scheme} scheme not applied: {shown}"
            for width in (1280, 390):  # the layout follows the width without a reload
                resize(tab, width, 900)
                problems += [f"{scheme} {width}px {line}" for line in _violations(tab)]
    assert not problems, "\n".join(problems)


def test_certainty_and_verdicts_are_read_as_words(chromium, real_server):
    with guarded_page(chromium, real_server) as tab:
        open_page(tab, PAGE_KINDS["claims index"])
        table = tab.locator(".md-content table").first.aria_snapshot()
        # symbols in the running text: an image named in words
        assert tab.get_by_role("img", name="Low certainty").count() >= 1
        open_page(tab, PAGE_KINDS["claim page"])
        headline = tab.locator(".md-content p", has_text="Verdict:").first.aria_snapshot()
        open_page(tab, PAGE_KINDS["study page"])
        bears_on = tab.locator(".md-content table", has_text="Stance").last.aria_snapshot()
    for tree in (table, headline, bears_on):
        assert not re.search("[⊕◯✓✗±○]", tree), tree  # no sign is read out as a character
    assert re.search(r"\b(Low|Very low|Moderate|High) certainty\b", table)
    assert "Supported" in table and "Very uncertain" in table
    assert "Very uncertain" in headline and "Very low certainty" in headline
    assert re.search(r"\b(Low|Very low|Moderate|High) certainty\b", bears_on)


def _tab_to(tab, selector: str, limit: int = 80):
    """Press Tab until the focused element matches selector; its handle."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate(f"document.activeElement.matches({selector!r})"):
            return tab.evaluate_handle("document.activeElement")
    raise AssertionError(f"Tab never reached {selector}")


def _focused_text(tab) -> str:
    return tab.evaluate("document.activeElement.textContent.trim()")


def test_the_studies_table_works_from_the_keyboard_alone(chromium, real_server):
    with guarded_page(chromium, real_server) as tab:
        open_page(tab, PAGE_KINDS["studies table"])
        _tab_to(tab, "th button.ev-sort")
        assert _focused_text(tab).startswith("Study")
        tab.keyboard.press("ArrowRight")
        tab.keyboard.press("ArrowRight")
        assert _focused_text(tab).startswith("Year")
        # a visible focus ring, not colour alone
        outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", "")
        tab.keyboard.press("Enter")
        year = tab.locator("th", has=tab.locator("button", has_text="Year"))
        assert year.get_attribute("aria-sort") == "ascending"
        tab.keyboard.press("Space")
        assert year.get_attribute("aria-sort") == "descending"
        assert "Sorted by Year, descending" in tab.locator(".ev-controls [role=status]").first \
            .text_content()
        years = [int(y) for y in tab.locator("td[data-label='Year']").all_inner_texts()]
        assert years == sorted(years, reverse=True)
        tab.keyboard.press("ArrowDown")
        first = _focused_text(tab)
        tab.keyboard.press("ArrowDown")
        second = _focused_text(tab)
        assert first != second and tab.evaluate("document.activeElement.tagName") == "A"
        tab.keyboard.press("Enter")
        tab.wait_for_url("**/studies/*/")
        assert second.split(" ")[0] in tab.locator("h1").inner_text()


def test_the_claims_filters_are_labelled_and_work_from_the_keyboard(chromium, real_server):
    with guarded_page(chromium, real_server) as tab:
        open_page(tab, PAGE_KINDS["claims index"])
        verdict = tab.get_by_label("Verdict", exact=True)
        assert verdict.evaluate("e => e.tagName") == "SELECT"
        assert tab.get_by_role("searchbox", name="Filter claims: text").count() == 1
        _tab_to(tab, "select[aria-label='Verdict']")
        tab.keyboard.press("ArrowDown")  # the first verdict after "All"
        chosen = verdict.evaluate("e => e.value")
        assert chosen
        shown = tab.locator("tbody tr:not([hidden]) td[data-label='Verdict']").all_inner_texts()
        assert shown and all(text.strip() == chosen for text in shown)


def test_the_search_box_works_from_the_keyboard_alone(chromium, real_server):
    with guarded_page(chromium, real_server) as tab:
        open_page(tab, PAGE_KINDS["study page"])
        tab.keyboard.press("/")
        assert tab.evaluate("document.activeElement.id") == "ev-search-input"
        tab.keyboard.type("cure")
        tab.locator("#ev-search-list a").first.wait_for()
        tab.keyboard.press("ArrowDown")
        assert tab.evaluate("document.activeElement.closest('#ev-search-list') !== null")
        tab.keyboard.press("Enter")
        tab.wait_for_url("**/claims/cure-remission/")
