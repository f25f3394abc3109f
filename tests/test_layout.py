"""Every screen and paper (issue 16), in Debian's Chromium, on the site built from the evidence.

Phones (390 px) and desks (1280 px): no text of the main content lies beyond the screen's
right edge, every claim page has its verdict, certainty and effect in the first phone screen,
and record tables become cards on phones with verdict and certainty in view. Paper is
tests/test_print.py.
"""

from __future__ import annotations

import pytest

from tests.browser_kit import OVERFLOW_JS, PAGE_KINDS, guarded_page, open_page, resize

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CLAIM = PAGE_KINDS["claim page"]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_text_beyond_the_right_edge_on_a_phone_or_a_desk(chromium, real_server, kind):
    with guarded_page(chromium, real_server, **PHONE) as tab:
        open_page(tab, PAGE_KINDS[kind])
        for width in (390, 1280):  # the layout follows the width without a reload
            resize(tab, width, 844)
            assert tab.evaluate(OVERFLOW_JS) == [], f"{kind} at {width} px"
            scroll = tab.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert scroll <= 1, f"{kind} at {width} px scrolls sideways by {scroll} px"


def test_every_claim_page_shows_verdict_certainty_and_effect_in_the_first_phone_screen(
        chromium, real_server, real_site):
    claims = sorted(p.parent.name for p in (real_site.site / "claims").glob("*/index.html"))
    assert len(claims) >= 10
    late = []
    with guarded_page(chromium, real_server, **PHONE) as tab:
        for claim in claims:
            open_page(tab, f"/claims/{claim}/")
            bottom = tab.locator(".md-content .ev-bottom-line")
            shown = bottom.inner_text()
            wanted = {"verdict": bottom.locator(".ev-verdict")}
            if "Certainty:" in shown:  # attribution claims are checked, not graded
                wanted["certainty"] = bottom.locator("p", has_text="Certainty:")
            if "How much:" in shown:
                wanted["effect"] = bottom.locator(".ev-effect")
            for selector, place in wanted.items():
                box = place.first.bounding_box()
                if not (box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
                        and box["x"] + box["width"] <= PHONE["width"]):
                    late.append(f"{claim}: {selector} at {box}")
    assert late == []


@pytest.mark.parametrize("path", [PAGE_KINDS["claims index"], CLAIM, PAGE_KINDS["home"],
                                  PAGE_KINDS["evidence profile"]])
def test_record_tables_are_cards_on_a_phone_with_verdict_and_certainty_in_view(chromium,
                                                                               real_server, path):
    with guarded_page(chromium, real_server, **PHONE) as tab:
        open_page(tab, path)
        tables = tab.evaluate("""() => [...document.querySelectorAll('.md-content table')]
          .filter(t => t.querySelectorAll('thead th').length >= 3)
          .map(t => ({
            headers: [...t.querySelectorAll('thead th')].map(th => th.textContent.trim()),
            rows: [...t.tBodies[0].rows].map(r => ({
              display: getComputedStyle(r).display,
              cells: [...r.cells].filter(c => getComputedStyle(c).display !== 'none').map(c => {
                const b = c.getBoundingClientRect();
                return {label: c.dataset.label, left: b.left, right: b.right,
                        before: getComputedStyle(c, '::before').content};
              })}))}))""")
        assert tables, path
        for table in tables:
            for row in table["rows"]:
                assert row["display"] == "block", path  # a card, not a table row
                for cell in row["cells"]:
                    assert cell["label"] and cell["left"] >= 0 and cell["right"] <= PHONE["width"]
                shown = {cell["label"] for cell in row["cells"]}
                for always in ("Verdict", "Certainty"):
                    assert always not in table["headers"] or always in shown, (path, always)
                # below the card's title, each value has its column's name in front of it
                assert all(c["before"] not in ("none", "normal") for c in row["cells"][1:])


