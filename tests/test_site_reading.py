"""What a reader gets from the built fixture site beyond the records: real addresses in the
sitemap and canonical links, titles that name the site once, studies in reading order, source
pages that show the source's own address, and tables and grades marked up for phones and
screen readers (issues 16 and 21)."""

from __future__ import annotations

import html
import re

from build_tools.site.parts import study_sort_key
from tests.conftest import ROOT, TEST_SITE_URL

SITE_NAME = "IV ketamine for CRPS — evidence base"


def _html(built_site, rel: str) -> str:
    return (built_site.site / rel).read_text(encoding="utf-8")


def test_sitemap_and_canonical_links_use_the_configured_address(built_site):
    sitemap = _html(built_site, "sitemap.xml")
    assert f"<loc>{TEST_SITE_URL}studies/quixworth-2009/</loc>" in sitemap
    page = _html(built_site, "studies/quixworth-2009/index.html")
    assert f'<link rel="canonical" href="{TEST_SITE_URL}studies/quixworth-2009/">' in page
    # without SITE_URL, the published address of the project (GitHub Pages) is used
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r'^site_url: !ENV \[SITE_URL, "https://[^"]+/"\]$', config, re.MULTILINE)


def test_titles_name_the_site_once(built_site):
    home = re.search(r"<title>(.*?)</title>", _html(built_site, "index.html")).group(1)
    assert home == "IV ketamine for CRPS — what the evidence says"
    claims = re.search(r"<title>(.*?)</title>", _html(built_site, "claims/index.html")).group(1)
    assert claims == f"Claims - {SITE_NAME}"


def test_studies_are_listed_by_first_author_then_year(rendered):
    page = rendered.pages["studies/index.md"]
    listed = re.findall(r"^\| \[.*?\]\(([a-z0-9-]+)\.md\) \|", page, re.MULTILINE)
    expected = [s.id for s in sorted(rendered.corpus.studies.values(), key=study_sort_key)]
    assert listed == expected and listed != sorted(listed)
    table = rendered.pages["profile/dosing.md"].split("| Study | Regimen |")[1].split("\n\n")[0]
    dosing = re.findall(r"^\| \[.*?\]\(\.\./studies/([a-z0-9-]+)\.md\) \|", table,
                        re.MULTILINE)
    assert dosing == [sid for sid in expected if sid in dosing]


def test_source_pages_show_the_address_and_archive_not_a_seed_file(rendered):
    page = rendered.pages["sources/fixture-clinic.md"]
    assert "https://clinic.example.org/ketamine" in page
    assert "https://web.archive.org/web/2016/https://clinic.example.org/ketamine" in page
    assert "000_0123456789abcdef" not in page and "Seed file" not in page


def test_every_table_cell_knows_its_column_for_the_phone_cards(built_site):
    page = _html(built_site, "claims/fixture-function/index.html")
    assert '<td data-label="Study"><a href="../../studies/quixworth-2009/">' in page
    assert '<td data-label="Risk of bias">' in page
    cells = re.findall(r"<td(?: [^>]*)?>", _html(built_site, "studies/index.html"))
    assert cells and all("data-label=" in cell for cell in cells)


def test_grades_carry_words_for_screen_readers(built_site):
    page = html.unescape(_html(built_site, "claims/index.html"))
    assert ('<span class="ev-cert ev-cert--low" aria-hidden="true">⊕⊕◯◯</span> Low'
            '<span class="ev-sr"> certainty</span>') in page
    assert '<span aria-hidden="true">○</span> Not shown</span>' in page
    # symbols written in running text become an image named in words
    assert ('<span aria-label="High certainty" class="ev-cert" role="img">⊕⊕⊕⊕</span>'
            in page)
