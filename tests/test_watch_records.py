"""What the watch reads and writes on our side: the queries file, what the base has already
screened (identifiers and titles), and the draft record (schema-shaped, never over a file)."""

from __future__ import annotations

import re
import shutil

import pytest

from build_tools.check.runner import check
from build_tools.paths import EVIDENCE_DIR, modeline
from build_tools.records.model import build_corpus
from build_tools.records.yamlio import load_text
from build_tools.site.render import render
from build_tools.site.views.reference import search_page
from build_tools.watch import draft
from build_tools.watch.dedupe import load_screened, normalise, screened
from build_tools.watch.model import Dropped, Found, InputError, QueryOutcome, WatchResult
from build_tools.watch.queries import QUERIES_FILE, load_queries
from tests.watch_support import FIXTURES, no_network  # noqa: F401 (autouse)


def pubmed(key: str, title: str = "", doi: str | None = None, pmcid: str | None = None) -> Found:
    """A found PubMed record."""
    return Found("pubmed", key, title, f"label {key}", f"https://pubmed.ncbi.nlm.nih.gov/{key}/",
                 doi, pmcid)


@pytest.fixture(scope="module")
def seen():
    """What the real base has screened."""
    return load_screened()


def test_the_real_queries_file_loads_and_the_methods_page_lists_its_families():
    queries = load_queries(QUERIES_FILE)
    ids = [f.id for f in queries.families]
    assert ids[0] == "crps" and "registry" in ids and len(ids) == len(set(ids))
    assert all("{" not in (f.pubmed or "") for f in queries.families)  # blocks expanded
    assert [f.id for f in queries.families if f.ctgov] == ["registry"]
    page = render("search.md.j2", page=search_page(build_corpus(check().records)))
    section = page.split("### The weekly watch for new studies")[1].split("\n## ")[0]
    assert re.findall(r"^\| `([a-z-]+)` \|", section, re.MULTILINE) == ids


@pytest.mark.parametrize(("text", "message"), [
    ("families:\n  - id: x\n    pubmed: '{nope} AND y'\n", ":3:13: unknown block {nope}"),
    ("families:\n  - id: x\n    pubmed: a\n  - id: x\n    pubmed: b\n", ":4:9: family x appears twice"),
    ("families:\n  - id: x\n", ":2:5: family x has neither pubmed nor ctgov"),
    ("families:\n  - id: X Y\n    pubmed: a\n", ":2:9: family id must be"),
    ("families:\n  - id: x\n    ctgov: {cond: a, where: b}\n", ":3:12: ctgov has cond and/or intr"),
    ("families: []\n", ":1:11: `families` must be a non-empty list"),
    ("families:\n  - id: x\n    pubmed: '(a'\n", ":3:13: query is over 4000 characters or"),
    ("families: [\n", ":2:1: while parsing a flow node"),
    ("- a\n", ":1:1: top level is not a mapping"),
])
def test_a_wrong_queries_file_is_refused_with_its_position(tmp_path, text, message):
    path = tmp_path / "queries.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_queries(path)
    assert str(caught.value).startswith(str(path) + message), caught.value
    with pytest.raises(InputError, match="cannot read the queries file"):
        load_queries(tmp_path / "missing.yaml")


def test_identifiers_already_in_the_base_are_found_with_where(seen):
    sigtermans = ("Ketamine produces effective and long-term pain relief in patients with Complex "
                  "Regional Pain Syndrome Type 1.")  # its PMID is not in the base: the title is
    assert seen.match(pubmed("19665301", sigtermans)) == "its title matches study sigtermans-2009"
    assert seen.match(pubmed("1", doi="10.1016/J.Pain.2009.06.023")) == \
        "DOI 10.1016/J.Pain.2009.06.023 is in study sigtermans-2009"
    assert seen.match(pubmed("27281730")) == "PMID 27281730 is in search lit-biblio-03-stoker-citation"
    trial = Found("ctgov", "NCT00579085", "", "", "https://clinicaltrials.gov/study/NCT00579085")
    assert "NCT id NCT00579085 is in study" in seen.match(trial)
    assert seen.match(pubmed("41999999", "A new fictional study of ketamine in CRPS")) is None


def test_titles_match_when_nearly_the_same_and_short_ones_never(seen):
    schwartzman = ("Outpatient intravenous ketamine for the treatment of complex regional pain "
                   "syndrome: a double-blind, placebo controlled study.")
    assert seen.match(pubmed("41999998", schwartzman)) == "its title matches study schwartzman-2009"
    assert seen.match(pubmed("41999997", "Ketamine")) is None
    assert normalise("Ketamine–induced “CRPS” relief, Ålesund") == "ketamine induced crps relief alesund"


def test_a_title_inside_a_candidate_label_counts_as_screened():
    class Rec:  # a loaded search record, as records.files.load gives it
        def __init__(self, kind, stem, data):
            self.file = type("F", (), {"kind": kind, "stem": stem})()
            self.data = data
    records = [Rec("search", "s-1", {"date": "2026-12-07", "candidates": [
        {"label": "Doe 2027, Ketamine infusions for CRPS in children: a cohort (PubMed)",
         "url": "https://www.ncbi.nlm.nih.gov/pubmed/41000123"}]}),
        Rec("search", "watch-1", {"date": "2027-01-04", "method": "watch", "candidates": [
            {"label": "draft candidate without a decision", "url": "https://x.org/PMC1234567"}]})]
    seen = screened(records)
    assert seen.match(pubmed("9", "Ketamine infusions for CRPS in children: a cohort")) == \
        "its title matches a candidate of search s-1"
    assert seen.match(pubmed("41000123")) == "PMID 41000123 is in search s-1"
    assert seen.match(pubmed("8", pmcid="PMC1234567")) == "PMCID PMC1234567 is in search watch-1"
    assert seen.last_search == "2027-01-04"  # the watch's own last run wins


def test_the_last_search_of_the_real_base_is_its_latest_date(seen):
    dates = [load_text(p.read_bytes()).data["date"] for p in (EVIDENCE_DIR / "search").glob("*.yaml")]
    assert seen.last_search == max(str(d) for d in dates)


def test_a_record_that_does_not_load_stops_the_watch_with_its_position(tmp_path):
    shutil.copytree(EVIDENCE_DIR / "schema", tmp_path / "schema")
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "bad.yaml").write_text(modeline("search") + "\nid: [bad\n")
    with pytest.raises(InputError, match=r"search/bad.yaml:2:5: .*; fix the records first"):
        load_screened(tmp_path)


def result(new: int = 2, dropped: int = 1) -> WatchResult:
    """A watch result with some new and some dropped records."""
    return WatchResult("2027-01-04", "2027-01-11",
                       (QueryOutcome("crps", "pubmed", new + dropped, (), ("PubMed did not find x",)),),
                       tuple(pubmed(str(41000000 + i), f"Title {i}") for i in range(new)),
                       tuple(Dropped(pubmed(str(42000000 + i)), f"PMID {i} is in study s")
                             for i in range(dropped)))


def test_the_draft_is_a_search_record_that_waits_only_for_decisions(tmp_path):
    queries = load_queries(FIXTURES / "queries.yaml")
    folder = tmp_path / "search"
    folder.mkdir()
    path = folder / "watch-2027-01-11.yaml"
    draft.write_new(path, draft.render(draft.check_path(path), queries, result()))
    text = path.read_text()
    assert text.startswith(modeline("search") + "\n# DRAFT written by `evidence watch`")
    data = load_text(text).data
    assert (data["id"], data["method"], data["date"], data["hits"]) == (
        "watch-2027-01-11", "watch", "2027-01-11", 3)
    assert "SHA-256 " + queries.sha256[:16] in data["query"] and "2027-01-04 to 2027-01-11" in data["query"]
    assert "Warning: PubMed did not find x." in data["notes"]
    problems = check([path]).problems
    assert {(p.code, p.message.split(":")[-1].strip()) for p in problems} == {
        ("E202", "missing required field 'decision'")}
    assert len(problems) == 2  # one per candidate, nothing else wrong


def test_notes_stay_within_the_schema_limit_however_much_was_dropped():
    notes = draft.notes_text(result(new=1, dropped=400))
    assert len(notes) <= 4000 and re.search(r"; and \d+ more\.$", notes)


def test_the_draft_never_overwrites_and_takes_a_free_default_name(tmp_path):
    (tmp_path / "watch-2027-01-11.yaml").write_text("kept")
    assert draft.default_path("2027-01-11", tmp_path).name == "watch-2027-01-11-2.yaml"
    with pytest.raises(InputError, match="the file exists; the watch never overwrites"):
        draft.check_path(tmp_path / "watch-2027-01-11.yaml")
    with pytest.raises(InputError, match="the file exists"):
        draft.write_new(tmp_path / "watch-2027-01-11.yaml", "new")
    assert (tmp_path / "watch-2027-01-11.yaml").read_text() == "kept"
    for bad in ("Watch 1.yaml", "watch.yml", "-x.yaml"):
        with pytest.raises(InputError, match="file name is its id"):
            draft.check_path(tmp_path / bad)
    with pytest.raises(InputError, match="does not exist"):
        draft.check_path(tmp_path / "nowhere" / "watch-1.yaml")
