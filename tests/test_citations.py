"""AMA and Vancouver lines, CSL-JSON mapping, links and Highwire tags for real studies.

The expected lines are written by hand from the manuals' rules, not captured from the code:
AMA Manual of Style 11th ed. (list all authors up to 6, more than 6 -> first 3 + "et al."; journal
abbreviation; Year;Vol(Issue):pages with the full last page; "doi:" last, no full stop) and
Citing Medicine 2nd ed. / Vancouver (up to 6 authors, more -> first 6 + "et al."; Year Mon;
Vol(Issue):pages with repeated digits dropped, 304-11; DOI and PubMed ids punctuated as PubMed's
own NLM citation prints them: "doi: 10.x. PMID: n; PMCID: PMCn."). AMA article titles are in
sentence case (AMA 11th ed. 3.9), Vancouver titles as published (as PubMed prints them).
"""

from __future__ import annotations

import re
from dataclasses import asdict

import pytest

from build_tools.records.model import Study
from tests.citation_api import citations
from tests.conftest import make_study as build_study


def people(*names: str) -> tuple:
    """Authors from 'Family Given' strings ('=Group' for a group author)."""
    return tuple({"literal": n[1:]} if n.startswith("=") else
                 dict(zip(("family", "given"), n.rsplit(" ", 1), strict=True)) for n in names)


def make_study(**fields) -> Study:
    """A Study with the bibliographic fields the test gives (the builder fills the rest)."""
    base = {"participants": None, "risk_of_bias": None, "reviewed": "2026-11-22",
            "verified_from": ({"key": "abstract", "url": "https://pubmed.ncbi.nlm.nih.gov/1/",
                               "basis": "abstract"},)}
    return build_study(fields.pop("id", "doe-2020"), **(base | fields))


SIGTERMANS = make_study(
    id="sigtermans-2009",
    title="Ketamine produces effective and long-term pain relief in patients with Complex "
          "Regional Pain Syndrome Type 1",
    authors=people("Sigtermans MJ", "van Hilten JJ", "Bauer MCR", "Arbous MS", "Marinus J",
                   "Sarton EY", "Dahan A"),
    journal="Pain", journal_abbrev="Pain", year=2009, month=10, volume="145", issue="3",
    pages="304-311", ids={"doi": "10.1016/j.pain.2009.06.023", "pmid": "19665301"})
BRUEHL = make_study(  # one author, no issue, an article number
    id="bruehl-2015", title="Complex regional pain syndrome", authors=people("Bruehl S"),
    journal="BMJ", journal_abbrev="BMJ", year=2015, month=7, volume="351", pages="h2730",
    ids={"doi": "10.1136/bmj.h2730"}, design="narrative-review")
GOLDBERG = make_study(  # eight authors, no DOI
    id="goldberg-2005",
    title="Multi-day low dose ketamine infusion for the treatment of complex regional pain syndrome",
    authors=people("Goldberg ME", "Domsky R", "Scaringe D", "Hirsh R", "Dotson J", "Sharaf I",
                   "Torjman MC", "Schwartzman RJ"),
    journal="Pain Physician", journal_abbrev="Pain Physician", year=2005, month=4, volume="8",
    issue="2", pages="175-179", ids={"pmid": "16850072"}, design="prospective-cohort")
CORRELL = make_study(  # five authors, no identifiers at all
    id="correll-2004",
    title="Subanesthetic ketamine infusion therapy: a retrospective analysis of a novel "
          "therapeutic approach to complex regional pain syndrome",
    authors=people("Correll GE", "Maleki J", "Gracely EJ", "Muir JJ", "Harbut RE"),
    journal="Pain Medicine", journal_abbrev="Pain Med", year=2004, month=9, volume="5", issue="3",
    pages="263-275", design="retrospective-cohort")
SCHWARTZMAN = make_study(  # exactly six authors: both styles list them all
    id="schwartzman-2009",
    title="Outpatient intravenous ketamine for the treatment of complex regional pain syndrome: "
          "a double-blind placebo controlled study",
    authors=people("Schwartzman RJ", "Alexander GM", "Grothusen JR", "Paylor T",
                   "Reichenberger E", "Perreault M"),
    journal="Pain", journal_abbrev="Pain", year=2009, month=12, volume="147", issue="1-3",
    pages="107-115", ids={"doi": "10.1016/j.pain.2009.08.015", "registry": ("NCT00579085",)})
PEREZ = make_study(  # a group author among eight, no issue, an article number
    id="perez-2010", title="Evidence based guidelines for complex regional pain syndrome type 1",
    authors=people("Perez RS", "Zollinger PE", "Dijkstra PU", "Thomassen-Hilgersom IL",
                   "Zuurmond WW", "Rosenbrand KC", "Geertzen JH", "=CRPS I task force"),
    journal="BMC Neurology", journal_abbrev="BMC Neurol", year=2010, volume="10", pages="20",
    ids={"doi": "10.1186/1471-2377-10-20"}, design="guideline")

LINES = {
    "sigtermans-2009": (
        SIGTERMANS,
        "Sigtermans MJ, van Hilten JJ, Bauer MCR, et al. Ketamine produces effective and long-term "
        "pain relief in patients with complex regional pain syndrome type 1. Pain. "
        "2009;145(3):304-311. doi:10.1016/j.pain.2009.06.023",
        "Sigtermans MJ, van Hilten JJ, Bauer MCR, Arbous MS, Marinus J, Sarton EY, et al. Ketamine "
        "produces effective and long-term pain relief in patients with Complex Regional Pain "
        "Syndrome Type 1. Pain. 2009 Oct;145(3):304-11. doi: 10.1016/j.pain.2009.06.023. "
        "PMID: 19665301."),
    "bruehl-2015": (
        BRUEHL,
        "Bruehl S. Complex regional pain syndrome. BMJ. 2015;351:h2730. doi:10.1136/bmj.h2730",
        "Bruehl S. Complex regional pain syndrome. BMJ. 2015 Jul;351:h2730. "
        "doi: 10.1136/bmj.h2730."),
    "goldberg-2005": (
        GOLDBERG,
        "Goldberg ME, Domsky R, Scaringe D, et al. Multi-day low dose ketamine infusion for the "
        "treatment of complex regional pain syndrome. Pain Physician. 2005;8(2):175-179.",
        "Goldberg ME, Domsky R, Scaringe D, Hirsh R, Dotson J, Sharaf I, et al. Multi-day low dose "
        "ketamine infusion for the treatment of complex regional pain syndrome. Pain Physician. "
        "2005 Apr;8(2):175-9. PMID: 16850072."),
    "correll-2004": (
        CORRELL,
        "Correll GE, Maleki J, Gracely EJ, Muir JJ, Harbut RE. Subanesthetic ketamine infusion "
        "therapy: a retrospective analysis of a novel therapeutic approach to complex regional "
        "pain syndrome. Pain Med. 2004;5(3):263-275.",
        "Correll GE, Maleki J, Gracely EJ, Muir JJ, Harbut RE. Subanesthetic ketamine infusion "
        "therapy: a retrospective analysis of a novel therapeutic approach to complex regional "
        "pain syndrome. Pain Med. 2004 Sep;5(3):263-75."),
    "schwartzman-2009": (
        SCHWARTZMAN,
        "Schwartzman RJ, Alexander GM, Grothusen JR, Paylor T, Reichenberger E, Perreault M. "
        "Outpatient intravenous ketamine for the treatment of complex regional pain syndrome: a "
        "double-blind placebo controlled study. Pain. 2009;147(1-3):107-115. "
        "doi:10.1016/j.pain.2009.08.015",
        "Schwartzman RJ, Alexander GM, Grothusen JR, Paylor T, Reichenberger E, Perreault M. "
        "Outpatient intravenous ketamine for the treatment of complex regional pain syndrome: a "
        "double-blind placebo controlled study. Pain. 2009 Dec;147(1-3):107-15. "
        "doi: 10.1016/j.pain.2009.08.015."),
    "perez-2010": (
        PEREZ,
        "Perez RS, Zollinger PE, Dijkstra PU, et al. Evidence based guidelines for complex "
        "regional pain syndrome type 1. BMC Neurol. 2010;10:20. doi:10.1186/1471-2377-10-20",
        "Perez RS, Zollinger PE, Dijkstra PU, Thomassen-Hilgersom IL, Zuurmond WW, Rosenbrand KC, "
        "et al. Evidence based guidelines for complex regional pain syndrome type 1. BMC Neurol. "
        "2010;10:20. doi: 10.1186/1471-2377-10-20."),
}


@pytest.mark.parametrize("sid", sorted(LINES))
def test_ama_line_follows_the_manual(sid):
    study, ama, _ = LINES[sid]
    assert citations.reference(study, "ama") == ama


@pytest.mark.parametrize("sid", sorted(LINES))
def test_vancouver_line_follows_citing_medicine(sid):
    study, _, vancouver = LINES[sid]
    assert citations.reference(study, "vancouver") == vancouver


def test_an_incomplete_author_list_ends_with_et_al_in_both_styles():
    study = make_study(id="dahan-2011", title="Population pharmacokinetic-pharmacodynamic "
                       "modeling of ketamine-induced pain relief of chronic pain",
                       authors=people("Dahan A"), authors_incomplete=True,
                       journal="European Journal of Pain", journal_abbrev="Eur J Pain", year=2011,
                       volume="15", issue="3", pages="258-267", design="pk-pd")
    assert citations.reference(study, "ama").startswith("Dahan A, et al. Population")
    assert citations.reference(study, "vancouver").startswith("Dahan A, et al. Population")
    assert "et al" not in str(citations.to_csl(study)["author"])  # never a fake author in data
    assert citations.to_csl(study)["custom"]["authors_incomplete"] is True


def test_a_title_ending_in_a_question_mark_gets_no_extra_full_stop():
    study = make_study(id="x-2020", title="Does ketamine help CRPS?", authors=people("X A"),
                       journal="Pain", journal_abbrev="Pain", year=2020, volume="1", pages="1-2")
    for style in ("ama", "vancouver"):
        line = citations.reference(study, style)
        assert "CRPS? Pain." in line and "?." not in line


def test_report_is_cited_with_its_web_address_and_access_date():
    report = make_study(
        id="cadth-2020", title="Ketamine for chronic non-cancer pain", authors=people("Tran K"),
        journal="CADTH Rapid Response Report", year=2020, month=5, publication_type="report",
        design="health-technology-assessment",
        verified_from=({"key": "cadth", "url": "https://cadth.ca/ketamine", "basis": "web-page",
                        "accessed": "2026-11-20"},))
    assert citations.reference(report, "ama").endswith(
        "Accessed November 20, 2026. https://cadth.ca/ketamine")
    assert ("[Internet]. 2020 May [cited 2026 Nov 20]. (CADTH Rapid Response Report). "
            "Available from: https://cadth.ca/ketamine") in citations.reference(report, "vancouver")


@pytest.mark.parametrize("given, expected", [
    ("304-11", "304-311"), ("1234-9", "1234-1239"), ("e12", "e12"), ("S1-S53", "S1-S53"),
    ("175\u2013179", "175-179"), ("CD009416", "CD009416"), ("E255-E261", "E255-E261")])
def test_page_ranges_are_written_in_full(given, expected):
    assert citations.expand_pages(given) == expected


def test_csl_item_keeps_extras_under_custom_only():
    item = citations.to_csl(SCHWARTZMAN)
    assert item["type"] == "article-journal" and item["id"] == "schwartzman-2009"
    assert item["author"][0] == {"family": "Schwartzman", "given": "R. J."}
    assert item["issued"] == {"date-parts": [[2009, 12]]}
    assert item["custom"] == {"publication_type": "journal-article", "design": "rct",
                              "registry": ["NCT00579085"]}
    assert citations.to_csl(PEREZ)["author"][-1] == {"literal": "CRPS I task force"}


def test_links_are_https_urls_of_each_identifier():
    study = make_study(id="x-2015", title="T", authors=people("X A"), year=2015,
                       ids={"doi": "10.1186/s12887-015-0515-4", "pmid": "26620833",
                            "pmcid": "PMC4665913", "registry": ("NCT00579085", "NL77785.078.21")})
    assert asdict(citations.links(study)) == {
        "doi": "https://doi.org/10.1186/s12887-015-0515-4",
        "pubmed": "https://pubmed.ncbi.nlm.nih.gov/26620833/",
        "pmc": "https://pmc.ncbi.nlm.nih.gov/articles/PMC4665913/",
        "registry": ("https://clinicaltrials.gov/study/NCT00579085",)}  # no stable URL for NL ids
    assert asdict(citations.links(CORRELL)) == {"doi": None, "pubmed": None, "pmc": None,
                                               "registry": ()}


def test_citation_block_has_every_format_as_text():
    block = citations.citation_block(SIGTERMANS)
    assert set(asdict(block)) == {"ama", "vancouver", "bibtex", "ris", "links", "meta"}
    assert block.ama == LINES["sigtermans-2009"][1]
    assert block.bibtex.startswith("@article{sigtermans-2009,")
    assert block.ris.startswith("TY  - JOUR\n") and "\nER  - " in block.ris
    assert all(isinstance(getattr(block, k), str) for k in ("ama", "vancouver", "bibtex", "ris"))


def test_highwire_tags_for_zotero():
    assert citations.highwire_meta(SIGTERMANS) == [
        ("citation_title", SIGTERMANS.title),
        ("citation_author", "Sigtermans, MJ"), ("citation_author", "van Hilten, JJ"),
        ("citation_author", "Bauer, MCR"), ("citation_author", "Arbous, MS"),
        ("citation_author", "Marinus, J"), ("citation_author", "Sarton, EY"),
        ("citation_author", "Dahan, A"),
        ("citation_journal_title", "Pain"), ("citation_publication_date", "2009/10"),
        ("citation_volume", "145"), ("citation_issue", "3"), ("citation_firstpage", "304"),
        ("citation_lastpage", "311"), ("citation_doi", "10.1016/j.pain.2009.06.023"),
        ("citation_pmid", "19665301")]
    tags = dict(citations.highwire_meta(PEREZ))
    assert tags["citation_publication_date"] == "2010" and "citation_lastpage" not in tags
    assert ("citation_author", "CRPS I task force") in citations.highwire_meta(PEREZ)


def test_output_has_no_markup_from_the_record():
    hostile = make_study(id="x-2020", title="<script>alert(1)</script> & <b>bold</b>",
                         authors=people("X A"), journal="Pain", year=2020)
    # Plain text out: the templates escape it; citeproc's HTML formatter would not.
    assert "<script>alert(1)</script> & <b>bold</b>" in citations.reference(hostile, "vancouver")
    # AMA's sentence case capitalises the first word, markup or not: still text, not markup.
    assert "<Script>alert(1)</script> & <b>bold</b>" in citations.reference(hostile, "ama")
    assert not re.search(r"<i>|</i>", citations.reference(hostile, "vancouver"))
