"""Paper (issue 16), in Debian's Chromium, on the site built from the evidence.

Every page kind printed to PDF on A4 and on Letter and read back with poppler's pdftotext:
every word of every table is in the text (a column cut at the paper's edge loses its words),
and the table filters are not printed (Material already leaves out navigation and search).
A claim page's PDF holds every cell of its evidence table and its bottom line; a study page
keeps its citation block; links print their address.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.browser_kit import PAGE_KINDS, guarded_page, open_page

pytestmark = pytest.mark.browser

PAPERS = ("A4", "Letter")
# The search results page lists what a script found; on paper it is the query's own business.
PRINTED = {kind: path for kind, path in PAGE_KINDS.items() if kind != "search results"}


# The printed words of the elements a selector finds: screen-reader-only words (".ev-sr", as
# "certainty" after "Low") are in innerText although they are clipped on screen and not printed.
PRINTED_TEXT_JS = """(selector) => {
  const spoken = [...document.querySelectorAll('.md-content .ev-sr')];
  spoken.forEach(e => { e.style.display = 'none'; });
  const text = [...document.querySelectorAll(selector)].map(t => t.innerText);
  spoken.forEach(e => { e.style.display = ''; });
  return text.join('\\n');
}"""


def _pdftotext(pdf: bytes, tmp_path: Path, *flags: str) -> str:
    """poppler's text of a PDF (with flags such as -bbox)."""
    if not shutil.which("pdftotext"):  # pragma: no cover - the image installs poppler-utils
        pytest.fail("pdftotext (poppler-utils) is missing")
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(["pdftotext", *flags, str(source), "-"], capture_output=True,
                          check=True)
    return done.stdout.decode("utf-8")


def _flat(text: str) -> str:
    """Text with all whitespace (line breaks, hyphenless wraps) removed, for containment."""
    return re.sub(r"\s+", "", text)


def _tokens(text: str) -> Counter[str]:
    """Letters-and-digits runs with their counts (a hyphen splits words): pdftotext reads a table
    line by line across its columns, so a cell's words arrive interleaved with its neighbours'."""
    return Counter(re.findall(r"[^\W_]+", text.casefold()))


def _printed(pdf: bytes, tmp_path: Path) -> Counter[str]:
    """The words of a PDF as _tokens counts them, from pdftotext's word boxes (its plain text
    joins a word hyphenated at a line's end, "escalating-" "dose", into "escalatingdose")."""
    boxes = _pdftotext(pdf, tmp_path, "-bbox")
    return _tokens(" ".join(html.unescape(w) for w in re.findall(r"<word [^>]*>([^<]*)</word>",
                                                                   boxes)))


@pytest.mark.parametrize("kind", PRINTED)
def test_every_page_kind_prints_every_table_cell_and_no_controls(chromium, real_server, kind,
                                                                 tmp_path):
    with guarded_page(chromium, real_server) as tab:
        open_page(tab, PRINTED[kind])
        tables = tab.evaluate(PRINTED_TEXT_JS, ".md-content table")
        controls = tab.locator(".md-content .ev-controls").evaluate_all(
            "cs => cs.map(c => c.dataset.label)")
        pdfs = {paper: tab.pdf(format=paper) for paper in PAPERS}
    for paper, pdf in pdfs.items():
        # a column cut at the paper's edge loses its words (without print.css: 103 on a claim)
        missing = _tokens(tables) - _printed(pdf, tmp_path)
        text = _pdftotext(pdf, tmp_path)
        assert not missing, f"{kind} on {paper}: {sorted(missing.elements())[:20]}"
        for label in controls:  # table filters are for screens
            assert label not in text, (kind, paper, label)


def test_a_printed_claim_page_holds_every_cell_of_its_evidence_table(chromium, real_server,
                                                                   tmp_path):
    with guarded_page(chromium, real_server) as tab:
        open_page(tab, PAGE_KINDS["claim page"])
        evidence = ".md-content table:has(th:nth-child(9))"  # Study ... Note
        cells = tab.locator(f"{evidence} td").count()
        table = tab.evaluate(PRINTED_TEXT_JS, evidence)
        bottom = tab.evaluate(PRINTED_TEXT_JS, ".md-content .ev-bottom-line")
        pdfs = {paper: tab.pdf(format=paper) for paper in PAPERS}
    assert cells >= 9
    wanted = _tokens(table) + _tokens(bottom)
    for paper, pdf in pdfs.items():
        # every word of every cell, as often as the table and bottom line hold it
        missing = wanted - _printed(pdf, tmp_path)
        text = _pdftotext(pdf, tmp_path)
        assert not missing, f"{paper}: {sorted(missing.elements())[:20]}"
        # the bottom line (verdict, certainty, effect) is printed in words, not only symbols
        assert _flat(bottom.splitlines()[0]) in _flat(text), paper


def test_a_printed_study_page_keeps_its_citation_and_link_addresses(chromium, real_server,
                                                                    tmp_path):
    with guarded_page(chromium, real_server) as tab:
        open_page(tab, PAGE_KINDS["study page"])
        doi = tab.locator(".md-content a[href^='https://doi.org/']").first.get_attribute("href")
        text = _flat(_pdftotext(tab.pdf(format="A4"), tmp_path))
    assert "Cite" in text and "@article" in text  # the citation block and its BibTeX
    assert _flat(doi) in text, doi  # printed as its address, not only as link text
