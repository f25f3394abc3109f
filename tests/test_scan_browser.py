"""The "Check a text" page in Debian's Chromium: the same answers as `evidence scan`, links to
the claim pages, and hostile pastes (markup, scripts, a megabyte) shown as text or refused."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_tools.paths import DOCS_DIR
from build_tools.scan.annotate import annotate
from build_tools.scan.export import index_json
from tests import test_browser
from tests.test_browser import _require_browser, serving
from tests.test_scan import LEX, real_index

# The fixture site served on 127.0.0.1, one Chromium, and a page that fails the test on any
# request off the site, console error or dialog: the same fixtures as tests/test_browser.py.
browser, server, page = test_browser.browser, test_browser.server, test_browser.page

pytestmark = pytest.mark.browser
TEXTS = Path(__file__).parent / "data" / "scan" / "texts"
PAGE = """<!doctype html><meta charset="utf-8"><title>check</title>
<div data-ev-check><p role="status"></p></div><script src="javascripts/check.js"></script>"""


@pytest.fixture(scope="module")
def agreement_server(tmp_path_factory) -> Iterator[str]:
    """check.js on a bare page with the index of the repository's own evidence base."""
    _require_browser()
    folder = tmp_path_factory.mktemp("scan-agreement")
    (folder / "javascripts").mkdir()
    shutil.copy(DOCS_DIR / "javascripts" / "check.js", folder / "javascripts" / "check.js")
    (folder / "claims").mkdir()
    (folder / "claims" / "scan-index.json").write_text(index_json(real_index()), encoding="utf-8")
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    with serving(folder) as base:
        yield base


def _labelled_texts() -> list[str]:
    """Each evaluation text as one pasted text, a sentence per line."""
    import yaml

    return ["\n".join(s["text"] for s in yaml.safe_load(p.read_text(encoding="utf-8"))["sentences"])
            for p in sorted(TEXTS.glob("*.yaml"))]


def test_the_browser_gives_the_same_answers_as_the_command(browser, agreement_server):
    tab = browser.new_page()
    tab.goto(agreement_server + "/index.html")
    tab.wait_for_function("window.evidenceCheck && window.evidenceCheck.index")
    texts = _labelled_texts() + ["# Ketamine for CRPS\n\n- **Relief** lasts [months](x.html) "
                                 "to years. Dr. Lee says it is not a cure!\n"]
    compared = 0
    for text in texts:
        js = tab.evaluate("t => window.evidenceCheck.annotate(t, window.evidenceCheck.index)", text)
        py = annotate(text, real_index())
        assert len(js) == len(py)
        for mine, theirs in zip(py, js, strict=True):
            m = mine.match
            want = (mine.sentence.text, mine.sentence.start, mine.sentence.end, m.status,
                    m.claim.id if m.claim else None, m.score, m.best)
            got = tuple(theirs[k] for k in ("sentence", "start", "end", "status", "claim",
                                            "score", "best"))
            assert got == want  # scores too: the same floats, not merely close ones
            compared += 1
    assert compared >= 225
    tab.close()


def _check(tab, text: str) -> None:
    """Open the page, paste the text and press the button."""
    tab.goto(tab.base + "/check/")
    tab.wait_for_function("window.evidenceCheck && window.evidenceCheck.index")
    # Set as a paste sets it (typing a megabyte through fill() takes minutes).
    tab.locator("#ev-check-input").evaluate("(box, text) => { box.value = text; }", text)
    tab.locator("#ev-check-run").click()


def test_the_page_annotates_a_text_and_links_to_the_claim(page):
    _check(page, "Ketamine infusions reduce CRPS pain more than placebo for up to 3 months.\n"
                 "Call us today to book a consultation.")
    rows = page.locator(".ev-check__results li")
    assert rows.count() == 2
    first = rows.nth(0)
    assert first.get_attribute("data-claim") == "fixture-pain-short-term"
    href = first.locator("a").get_attribute("href")
    assert href == page.base + "/claims/fixture-pain-short-term/"
    assert rows.nth(1).get_attribute("data-status") == "not-checkable"
    assert "2 sentences" in page.locator(".ev-check__summary").inner_text()
    first.locator("a").click()
    page.wait_for_url("**/claims/fixture-pain-short-term/")
    assert "placebo" in page.locator("h1").inner_text()


def test_a_hostile_paste_is_shown_as_text_and_never_run(page):
    page.add_init_script("window.__xss = [];")
    hostile = ('<script>window.__xss.push(1)</script> Ketamine is a last resort.\n'
               '<img src=x onerror="window.__xss.push(2)"><b>bold</b> &lt;i&gt; text.\n'
               '[link](javascript:window.__xss.push(3)) "><svg onload=window.__xss.push(4)>')
    _check(page, hostile)
    results = page.locator(".ev-check__results")
    assert results.locator("li").count() >= 2
    assert results.locator("script, img, svg, b, iframe").count() == 0
    shown = results.inner_text()
    assert "push(1) Ketamine" in shown and "&lt;i&gt;" in shown  # text, not markup
    assert page.evaluate("window.__xss") == []


def test_a_megabyte_paste_is_refused_with_a_message(page):
    _check(page, "Ketamine is a last resort when all else fails. " * 22000)  # about 1 MB
    status = page.locator(".ev-check__summary").inner_text()
    assert "characters; the checker reads up to 200,000" in status
    assert page.locator(".ev-check__results li").count() == 0
    assert page.evaluate("1 + 1") == 2  # the page still answers


def test_a_paste_just_below_the_limit_is_checked(page):
    text = "Ketamine is a last resort when all else fails. Call us today.\n" * 3000
    assert len(text) < 200000
    _check(page, text)
    page.wait_for_function("document.querySelectorAll('.ev-check__results li').length > 0")
    assert page.locator(".ev-check__results li").count() == 6000
    assert LEX.settings.threshold > 0
