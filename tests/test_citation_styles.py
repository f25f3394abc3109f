"""Issue 22's style rules: sentence case, online ahead of print, Epub and day, incomplete lists."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from build_tools.cite.sentence_case import sentence_case
from build_tools.records import files
from build_tools.records.model import build_corpus
from tests.bib_readers import bibtex_by_both, ris_by_both
from tests.citation_api import citations
from tests.test_citations import make_study, people

DATA = Path(__file__).parent / "data"
SENTENCE_CASE = yaml.safe_load((DATA / "citations" / "sentence-case.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def studies():
    """The repository's own study records."""
    records, problems = files.load([f for f in files.discover() if f.kind == "study"])
    assert problems == []
    return build_corpus(records).studies


def _article(**fields):
    """A journal article with a DOI and PMID, overridable."""
    base = {"id": "doe-2021", "title": "A trial", "authors": people("Doe J", "Roe R"),
            "journal": "Pain Practice", "journal_abbrev": "Pain Pract", "year": 2021,
            "ids": {"doi": "10.1111/papr.13056", "pmid": "34233070"}}
    return make_study(**(base | fields))


# --- sentence case ---------------------------------------------------------------------------

def test_every_article_title_in_the_base_has_its_checked_sentence_case(studies):
    articles = {sid for sid, s in studies.items() if s.publication_type != "report"}
    assert articles == set(SENTENCE_CASE)
    wrong = {sid: sentence_case(" ".join(studies[sid].title.split())) for sid in SENTENCE_CASE
             if sentence_case(" ".join(studies[sid].title.split())) != SENTENCE_CASE[sid]}
    assert wrong == {}


@pytest.mark.parametrize("title, expected", [
    ("Ketamine Infusions for Chronic Pain: A Systematic Review",
     "Ketamine infusions for chronic pain: a systematic review"),
    ("IV Ketamine in CRPS Type I and Type II", "IV ketamine in CRPS type I and type II"),
    ("S(+)-Ketamine Versus (R)-Ketamine", "S(+)-ketamine versus (R)-ketamine"),
    ("NMDA Antagonists in the Netherlands and New Zealand",
     "NMDA antagonists in the Netherlands and New Zealand"),
    ("Results From May 2019: Ketamine May Help", "Results from May 2019: ketamine may help"),
    ("Type A Behaviour and A Trial", "Type A behaviour and a trial"),
    ("A Bayesian Meta-Analysis of O'Connell's Data", "A Bayesian meta-analysis of O'Connell's data"),
    ("Does Ketamine Work? A Review", "Does ketamine work? A review"),
    ("pH and mRNA After Ketamine", "pH and mRNA after ketamine"),
    ("the European Pain Federation Task Force", "The European Pain Federation task force"),
    ("Sudeck's Atrophy in Europe", "Sudeck's atrophy in Europe"),
])
def test_sentence_case_rules(title, expected):
    assert sentence_case(title) == expected


def test_ama_sets_article_titles_in_sentence_case_and_vancouver_keeps_them():
    study = _article(title="Ketamine Infusions for CRPS: A Systematic Review", volume="1")
    assert "Ketamine infusions for CRPS: a systematic review. Pain Pract." in citations.reference(
        study, "ama")
    assert "Ketamine Infusions for CRPS: A Systematic Review. Pain Pract." in citations.reference(
        study, "vancouver")
    assert citations.to_csl(study)["title"] == study.title  # the export keeps the title as published


# --- published online ---------------------------------------------------------------------

def test_a_print_article_without_volume_is_never_published_online():
    line = citations.reference(_article(), "ama")
    assert line.endswith("Pain Pract. 2021. doi:10.1111/papr.13056") and "Published online" not in line


def test_an_article_online_ahead_of_print_says_so_in_both_styles():
    study = _article(online_date="2021-07-07", online_ahead_of_print=True)
    assert citations.reference(study, "ama").endswith(
        "Pain Pract. Published online July 7, 2021. doi:10.1111/papr.13056")
    assert citations.reference(study, "vancouver").endswith(
        "Pain Pract. 2021 Jul 7. doi: 10.1111/papr.13056. Online ahead of print. PMID: 34233070.")


def test_no_line_in_the_base_says_published_online_for_a_print_article(studies):
    for study in studies.values():
        line = citations.reference(study, "ama")
        assert ("Published online" in line) == study.online_ahead_of_print, (study.id, line)
    assert {s.id for s in studies.values() if s.online_ahead_of_print} == {"mangnus-2021", "duong-2018"}


# --- Epub date, day, DOI and PMID punctuation --------------------------------------------------

def test_vancouver_prints_the_epub_date_and_the_day_as_pubmed_does():
    study = _article(month=2, day=3, volume="13", issue="2", pages="263-269", online_date="2011-09-21")
    assert citations.reference(study, "vancouver").endswith(
        "Pain Pract. 2021 Feb 3;13(2):263-9. doi: 10.1111/papr.13056. Epub 2011 Sep 21. PMID: 34233070.")
    assert citations.reference(study, "ama").endswith(  # AMA prints neither
        "Pain Pract. 2021;13(2):263-269. doi:10.1111/papr.13056")
    no_doi = _article(ids={"pmid": "1", "pmcid": "PMC2"}, online_date="2011-09")
    assert citations.reference(no_doi, "vancouver").endswith(
        "Pain Pract. 2021. Epub 2011 Sep. PMID: 1; PMCID: PMC2.")


def test_csl_json_carries_the_online_date_status_and_day():
    schema = json.loads((DATA / "csl-schema" / "csl-data.json").read_text())
    epub = citations.to_csl(_article(month=2, day=3, online_date="2011-09-21"))
    ahead = citations.to_csl(_article(online_date="2021-07-07", online_ahead_of_print=True))
    jsonschema.Draft7Validator(schema).validate([epub, ahead])
    assert epub["issued"] == {"date-parts": [[2021, 2, 3]]}
    assert epub["available-date"] == {"date-parts": [[2011, 9, 21]]} and "status" not in epub
    assert ahead["issued"] == {"date-parts": [[2021, 7, 7]]} and ahead["status"]


def test_bibtex_ris_and_meta_tags_carry_the_dates():
    ahead = _article(online_date="2021-07-07", online_ahead_of_print=True)
    epub = _article(id="roe-2021", month=2, day=3, online_date="2011-09-21")
    first, second = bibtex_by_both(citations.to_bibtex([ahead, epub]))
    assert first["doe-2021"]["pubstate"] == second["doe-2021"]["pubstate"] == "prepublished"
    assert first["doe-2021"]["date"] == "2021-07-07" and first["roe-2021"]["date"] == "2021-02-03"
    assert "pubstate" not in first["roe-2021"]
    ris, strict = ris_by_both(citations.to_ris([epub]))
    assert ris[0]["date"] == strict[0]["DA"] == "2021/02/03/"
    assert ris[0]["edition"] == strict[0]["ET"] == "2011/09/21/"  # EndNote's Epub date tag
    tags = dict(citations.highwire_meta(epub))
    assert tags["citation_publication_date"] == "2021/02/03"
    assert tags["citation_online_date"] == "2011/09/21"


# --- incomplete author lists ---------------------------------------------------------------

@pytest.mark.parametrize("authors, ama, vancouver", [
    (people("Dahan A"), "Dahan A, et al. A trial.", "Dahan A, et al. A trial."),
    (({"family": "Dahan"},), "Dahan et al. A trial.", "Dahan et al. A trial."),
    (people("Duong S", "Bravo D", "Todd KJ"), "Duong S, Bravo D, Todd KJ, et al. A trial.",
     "Duong S, Bravo D, Todd KJ, et al. A trial."),
    (people(*[f"Author{c} A" for c in "ABCDEFG"]), "AuthorA A, AuthorB A, AuthorC A, et al. A trial.",
     "AuthorA A, AuthorB A, AuthorC A, AuthorD A, AuthorE A, AuthorF A, et al. A trial."),
])
def test_an_incomplete_author_list_ends_as_each_style_requires(authors, ama, vancouver):
    study = _article(authors=authors, authors_incomplete=True)
    assert citations.reference(study, "ama").startswith(ama)
    assert citations.reference(study, "vancouver").startswith(vancouver)
    assert "and others}" in citations.to_bibtex([study])  # BibTeX's own et al.


def test_no_line_in_the_base_renders_a_bare_surname_and_a_comma(studies):
    for study in studies.values():
        bare = [a["family"] for a in study.authors if set(a) == {"family"}]
        for style in ("ama", "vancouver"):
            line = citations.reference(study, style)
            assert not [f for f in bare if re.search(rf"\b{re.escape(f)},", line)], (study.id, line)


def test_a_line_break_in_any_value_never_breaks_a_reference_line():
    broken = "Pain\n```\n--8<-- \"index.md\"\u2028x"
    study = _article(title=broken, journal=broken, journal_abbrev=broken, volume="1\n2", issue="3\r4",
                     pages="5\n-6", authors=({"family": "Doe\nX", "given": "J\nK"}, {"literal": broken}))
    for style in ("ama", "vancouver"):
        line = citations.reference(study, style)
        assert len(line.splitlines()) == 1 and "\u2028" not in line, (style, line)
