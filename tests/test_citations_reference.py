"""Reference lines against PubMed (issue 22): 12 real articles, character for character.

tests/data/citations/reference-lines.yaml holds, per article, what its PubMed page (or a mirror,
or PMC) prints, the expected Vancouver and AMA lines written by hand from those facts, the facts
the record does not carry yet, and each element we print differently from PubMed, decided.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from build_tools.records import files
from build_tools.records.model import build_corpus
from tests.citation_api import citations

DATA = yaml.safe_load((Path(__file__).parent / "data" / "citations" / "reference-lines.yaml")
                      .read_text(encoding="utf-8"))["entries"]
IDS = [entry["study"] for entry in DATA]


@pytest.fixture(scope="module")
def studies():
    """The repository's own study records."""
    records, problems = files.load([f for f in files.discover() if f.kind == "study"])
    assert problems == []
    return build_corpus(records).studies


def test_the_set_has_twelve_articles_each_with_both_expected_lines():
    assert len(DATA) == 12 and len(set(IDS)) == 12
    for entry in DATA:
        assert entry["vancouver"] and entry["ama"] and entry["derivation"], entry["study"]
        for difference in entry.get("differences", []):
            assert difference["pubmed"] and difference["ours"] and difference["why"]


@pytest.mark.parametrize("entry", DATA, ids=IDS)
def test_vancouver_line_is_the_expected_line(studies, entry):
    assert citations.reference(studies[entry["study"]], "vancouver") == entry["vancouver"]


@pytest.mark.parametrize("entry", DATA, ids=IDS)
def test_ama_line_is_the_expected_line(studies, entry):
    assert citations.reference(studies[entry["study"]], "ama") == entry["ama"]


def _with_page_facts(study, entry):
    """The record with the facts its page states and the record lacks (supported fields)."""
    return dataclasses.replace(study, **entry.get("record_lacks", {}))


PUBMED = [entry for entry in DATA if entry.get("pubmed_citation")]


@pytest.mark.parametrize("entry", PUBMED, ids=[e["study"] for e in PUBMED])
def test_pubmed_journal_line_appears_verbatim_once_the_record_has_the_page_facts(studies, entry):
    line = citations.reference(_with_page_facts(studies[entry["study"]], entry), "vancouver")
    expected = entry["pubmed_citation"]
    for difference in entry.get("differences", []):
        expected = expected.replace(difference["pubmed"], difference["ours"])
    assert f"{expected} PMID: {entry.get('pmid') or studies[entry['study']].ids['pmid']}" in line
    if entry.get("title"):
        assert f" {entry['title'].rstrip('.')}. " in line


@pytest.mark.parametrize("entry", DATA, ids=IDS)
def test_record_without_the_facts_differs_only_by_them(studies, entry):
    """The expected line is PubMed's (with decided differences) less the missing facts."""
    full = citations.reference(_with_page_facts(studies[entry["study"]], entry), "vancouver")
    lacks = entry.get("record_lacks", {})
    expected = entry["vancouver"]
    if "online_date" in lacks:
        y, m, d = (int(p) for p in lacks["online_date"].split("-"))
        month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1]
        expected = expected.replace(". PMID:", f". Epub {y} {month} {d}. PMID:")
    if "day" in lacks:
        expected = re.sub(r"^(.*\. \d{4} [A-Z][a-z]{2})([;:.])", rf"\g<1> {lacks['day']}\g<2>",
                          expected)
    assert full == expected
