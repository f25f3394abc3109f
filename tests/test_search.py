"""Search that reads the pages (issue 16), in Debian's Chromium, on the site built from the
repository's evidence and indexed by Pagefind as `make site` does.

The query cases of the issue run on the results page, /search/?q=TERMS, which lists results as
links in rank order; the header box and the filters (kind, verdict, design) are tested too.
Nothing may be fetched from another host, and Material's own index is never downloaded.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser_kit import PAGE_KINDS, guarded_page, open_page

pytestmark = pytest.mark.browser

CURE = "/claims/cure-remission/"
SIDE_EFFECTS = "/claims/hallucinations-extremely-rare/"


def results(tab, query: str, **filters: str) -> list[str]:
    """The result links of the results page, in rank order, as site paths."""
    params = "&".join([f"q={quote(query)}"] + [f"{k}={quote(v)}" for k, v in filters.items()])
    open_page(tab, f"/search/?{params}")
    tab.wait_for_function("/result/.test(document.getElementById('ev-search-count').textContent)")
    hrefs = tab.locator("#ev-search-results a").evaluate_all("as => as.map(a => a.pathname)")
    assert not tab.locator(".ev-search-nojs").is_visible()
    return hrefs


@pytest.fixture
def tab(chromium, real_server):
    """A guarded tab that also records whether Material's search index was requested."""
    with guarded_page(chromium, real_server) as page:
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url))
        yield page
        assert not [u for u in fetched if "search_index.json" in u], "Material's index fetched"


def test_cure_finds_the_remission_claim_first(tab):
    # "cure" is written ('cure') on the claim page: punctuation splits words
    assert results(tab, "cure")[0] == CURE


def test_a_dose_finds_the_dosing_page_or_the_protocol_claim_in_the_first_three(tab):
    found = results(tab, "0.35 mg/kg")[:3]
    assert {"/profile/dosing/", "/claims/ten-day-outpatient-4h-protocol/"} & set(found), found


def test_an_author_finds_the_study_page_before_pages_that_name_it(tab):
    found = results(tab, "Sigtermans")
    assert found[0].startswith("/studies/sigtermans-"), found[:5]
    assert found.index("/claims/attribution-sigtermans-2009/") > found.index(
        "/studies/sigtermans-2009/")
    # the tables that list every record are not search results
    assert not {"/studies/", "/claims/", "/tags/"} & set(found)


def test_liver_finds_the_liver_injury_evidence_and_the_safety_claim(tab):
    found = results(tab, "liver")[:5]
    assert "/claims/repeated-course-long-term-safety/" in found, found
    assert "/studies/noppers-2011/" in found, found  # drug-induced liver injury


@pytest.mark.parametrize("query", ["psychotomimetic", "hallucinations"])
def test_both_words_for_the_side_effect_find_its_claim(tab, query):
    assert SIDE_EFFECTS in results(tab, query)[:3]


def test_word_forms_match(tab):
    assert CURE in results(tab, "remissions")[:3]  # stemming: remission(s)


def test_filters_narrow_by_kind_design_and_verdict(tab):
    studies = results(tab, "ketamine", kind="Study", design="RCT")
    assert studies and all(path.startswith("/studies/") for path in studies)
    assert tab.get_by_label("Design").input_value() == "RCT"
    kinds = tab.locator(".ev-result__kind").all_inner_texts()
    assert all("Study" in k and "RCT" in k for k in kinds), kinds
    claims = results(tab, "ketamine", kind="Claim", verdict="Very uncertain")
    assert claims and all(path.startswith("/claims/") for path in claims)
    assert all("Very uncertain" in k for k in tab.locator(".ev-result__kind").all_inner_texts())
    # changing a filter updates the list in place and the address, so it can be shared
    tab.get_by_label("Verdict").select_option("")
    tab.get_by_label("Kind").select_option("Source")
    tab.wait_for_function("""() => location.search.includes('kind=Source') &&
      !location.search.includes('verdict') && document.querySelector('.ev-result__kind') &&
      [...document.querySelectorAll('.ev-result__kind')].every(k => k.textContent.startsWith('Source'))""")


def test_the_header_box_lists_results_as_you_type(tab):
    open_page(tab, PAGE_KINDS["study page"])
    tab.locator("#ev-search-input").click()
    tab.keyboard.type("cure")
    first = tab.locator("#ev-search-list a").first
    first.wait_for()
    assert first.evaluate("a => a.pathname") == CURE
    assert tab.locator("#ev-search-status").inner_text().endswith("results")
    # Enter opens the shareable results page for the same words
    tab.locator("#ev-search-input").press("Enter")
    tab.wait_for_url("**/search/?q=cure")
    tab.locator("#ev-search-results a").first.wait_for()
