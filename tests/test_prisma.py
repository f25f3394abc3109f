"""The PRISMA flow on the literature-search page: counted from the search records, and every box
equal to the sum of what flows out of it, on the real base and on a small hand-counted fixture."""

from __future__ import annotations

import re

import pytest

from build_tools.check.runner import check
from build_tools.records.model import Search, build_corpus
from build_tools.records.prisma import METHODS, REASONS, UNCATEGORISED, Box, Flow, flow
from build_tools.site.render import render
from build_tools.site.views.reference import search_page


def _search(sid: str, method: str = "database-search", hits: int | None = None,
            *candidates: dict) -> Search:
    """A search record with these candidates."""
    return Search(id=sid, database="d", query="q", date="2026-12-01", hits=hits,
                  method=method, candidates=tuple(candidates))


def _c(decision: str, study: str | None = None, exclusion: str | None = None) -> dict:
    """One candidate."""
    out = {"label": "x", "decision": decision}
    return out | ({"study": study} if study else {}) | ({"exclusion": exclusion} if exclusion else {})


FIXTURE = {s.id: s for s in (
    _search("db-1", "database-search", 8, _c("included", "a-2001"), _c("included", "b-2002"),
            _c("duplicate", "a-2001"), _c("excluded", exclusion="not-crps"),
            _c("excluded")),  # no category: counted as uncategorised
    _search("db-2", "database-search", 5, _c("included", "a-2001"),  # a second inclusion of a
            _c("excluded", exclusion="not-crps"), _c("excluded", exclusion="not-a-study")),
    _search("back-1", "backward-citation", 0),  # a reference list nobody could read
    _search("back-2", "backward-citation", None, _c("excluded", exclusion="not-ketamine")),
    _search("reg-1", "registry", 3, _c("duplicate", "c-2003"), _c("included", "d-2004")),
    _search("watch-1", "watch", 2, _c("excluded", exclusion="no-outcome-data")),
)}
STUDIES = ("a-2001", "b-2002", "c-2003", "d-2004", "e-2005")


def assert_adds_up(result: Flow) -> None:
    """Every box equals the sum of what flows out of it, in each column and across them."""
    for box in (*result.boxes, result.total):
        assert box.identified == box.duplicates + box.screened, box
        assert box.screened == box.excluded + box.included, box
        assert box.excluded == sum(n for _, n in box.excluded_by_reason), box
        assert box.included == len(box.studies) + box.repeat_inclusions >= len(box.studies), box
        assert [r for r, _ in box.excluded_by_reason] == [*REASONS, UNCATEGORISED]
    for field in ("searches", "hits", "hits_missing", "identified", "duplicates", "included"):
        assert getattr(result.total, field) == sum(getattr(b, field) for b in result.boxes), field
    for i, (reason, n) in enumerate(result.total.excluded_by_reason):
        assert n == sum(b.excluded_by_reason[i][1] for b in result.boxes), reason
    assert result.total.studies == frozenset().union(*(b.studies for b in result.boxes))
    assert result.studies_in_base == (len(result.total.studies) + len(result.only_as_duplicate)
                                      + len(result.not_in_searches))
    assert [b.method for b in result.boxes] == list(METHODS)


def test_the_fixture_flow_matches_a_count_by_hand():
    result = flow(FIXTURE, STUDIES)
    assert_adds_up(result)
    total = result.total
    assert (total.searches, total.hits, total.hits_missing) == (6, 18, 1)
    assert (total.identified, total.duplicates, total.screened) == (12, 2, 10)
    assert (total.excluded, total.included, len(total.studies)) == (6, 4, 3)
    assert total.repeat_inclusions == 1  # a-2001, included by db-1 and again by db-2
    reasons = dict(total.excluded_by_reason)
    assert reasons == dict.fromkeys(REASONS, 0) | {"not-crps": 2, "not-a-study": 1,
                                                   "not-ketamine": 1, "no-outcome-data": 1,
                                                   UNCATEGORISED: 1}
    boxes = {b.method: b for b in result.boxes}
    assert (boxes["backward-citation"].searches, boxes["backward-citation"].identified) == (2, 1)
    assert boxes["watch"].excluded == 1 and boxes["forward-citation"] == Box(
        "forward-citation", 0, 0, 0, 0, 0, boxes["forward-citation"].excluded_by_reason, 0,
        frozenset())
    assert result.only_as_duplicate == ("c-2003",) and result.not_in_searches == ("e-2005",)


def test_the_real_base_adds_up():
    result = check()
    assert not [p for p in result.problems if p.severity == "error"]
    corpus = build_corpus(result.records)
    real = flow(corpus.searches, corpus.studies)
    assert_adds_up(real)
    assert real.total.searches == len(corpus.searches) > 0
    assert real.total.identified == sum(len(s.candidates) for s in corpus.searches.values())


@pytest.fixture(scope="module")
def real_page() -> str:
    """The literature-search page of the real base, rendered."""
    result = check()
    return render("search.md.j2", page=search_page(build_corpus(result.records)))


def test_the_page_shows_the_counted_numbers_not_typed_ones(real_page):
    corpus = build_corpus(check().records)
    real = flow(corpus.searches, corpus.studies)
    row = re.search(r"^\| \*\*Records identified\*\* \| (.+) \|$", real_page, re.MULTILINE)
    assert row, "the flow table has no Records identified row"
    assert [int(n) for n in row.group(1).split(" | ")] == \
        [b.identified for b in (*real.boxes, real.total)]
    screened = re.search(r"Records screened</span> <span class=\"ev-flow__count\">(\d+)<", real_page)
    assert screened and int(screened.group(1)) == real.total.screened
    assert f"holds {real.studies_in_base} study records" in real_page


def test_the_page_carries_the_protocol_and_its_limits(real_page):
    for heading in ("## Protocol", "### Eligibility", "### Citation chasing",
                    "### The weekly watch for new studies", "## What the search cannot see",
                    "## Flow by method"):
        assert re.search(rf"^{re.escape(heading)}\b", real_page, re.MULTILINE), heading
    assert "an archive, not live PubMed" in real_page
    assert re.search(r"Of the \d+ backward-chasing records, \d+ could not screen a single entry",
                     real_page)


def test_the_figure_shows_the_same_counts_and_describes_them():
    from build_tools.figures import prisma as figure
    from build_tools.records.model import Corpus

    corpus = Corpus(studies={s: None for s in STUDIES}, claims={}, sources={}, searches=FIXTURE)
    data = figure.build(corpus, {})
    [table] = data.tables
    rows = {row[0]: row[1:] for row in table.rows}
    assert table.columns[1:] == ("Database search", "Backward chasing", "Forward chasing",
                                 "Registries", "Watch", "All")
    assert rows["Records identified"] == ("8", "1", "0", "2", "1", "12")
    assert rows["Excluded: no category recorded"][-1] == "1"
    assert rows["Distinct study records"][-1] == "3"
    assert data.alt.startswith("Flow diagram of the literature search: 12 records identified "
                               "from 6 searches, 2 duplicates set aside, 10 screened")
