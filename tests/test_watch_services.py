"""PubMed (E-utilities) and ClinicalTrials.gov (API v2) as the watch reads them, offline against
recorded replies: the requests it makes, what it makes of good, empty and malformed answers."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.watch import ctgov, pubmed
from build_tools.watch.dedupe import Screened
from build_tools.watch.http import Reply
from build_tools.watch.model import WatchError
from build_tools.watch.queries import CtgovQuery, load_queries
from build_tools.watch.run import run_watch
from tests.watch_support import FIXTURES, body, client, no_network, ok  # noqa: F401

WHO = pubmed.Identity("ketamine-crps-evidence", "curator@example.org")
SINCE, UNTIL = date(2027, 1, 4), date(2027, 1, 11)
TERM = "ketamine[tiab] AND CRPS[tiab]"
TRIALS = CtgovQuery("complex regional pain syndrome", "ketamine")


def params(url: str) -> dict[str, str]:
    """A request's query parameters."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_esearch_asks_for_the_window_by_entrez_date_and_names_the_caller():
    made, script, _ = client([ok("esearch-crps.json")])
    outcome = pubmed.search(made, "crps", TERM, SINCE, UNTIL, WHO)
    sent = params(script.urls[0])
    assert sent["datetype"] == "edat" and (sent["mindate"], sent["maxdate"]) == (
        "2027/01/04", "2027/01/11")
    assert (sent["tool"], sent["email"], sent["retmode"]) == (
        "ketamine-crps-evidence", "curator@example.org", "json")
    assert "api_key" not in sent and sent["term"] == TERM
    assert outcome.count == 4 and outcome.keys == ("41000004", "41000003", "41000002", "41000001")


def test_an_api_key_is_sent_when_there_is_one():
    made, script, _ = client([ok("esearch-empty.json")])
    pubmed.search(made, "crps", TERM, SINCE, UNTIL, pubmed.Identity("t", "e@x.org", "KEY"))
    assert params(script.urls[0])["api_key"] == "KEY"


def test_empty_results_and_terms_pubmed_did_not_know():
    made, _, _ = client([ok("esearch-empty.json")])
    assert pubmed.search(made, "crps", TERM, SINCE, UNTIL, WHO).keys == ()
    made, _, _ = client([ok("esearch-phrase-not-found.json")])
    outcome = pubmed.search(made, "oldnames", TERM, SINCE, UNTIL, WHO)
    assert outcome.warnings == ("PubMed did not find phrases 'algoneurodystrophy'",)


def test_many_results_are_paged_and_too_many_refused():
    def page(url: str) -> Reply:
        start = int(params(url)["retstart"])
        ids = [str(41100000 + i) for i in range(start, min(start + 200, 250))]
        data = {"esearchresult": {"count": "250", "idlist": ids}}
        return Reply(200, {}, json.dumps(data).encode())
    made, script, _ = client(page)
    assert len(pubmed.search(made, "crps", TERM, SINCE, UNTIL, WHO).keys) == 250
    assert [params(u)["retstart"] for u in script.urls] == ["0", "200"]
    made, _, _ = client([Reply(200, {}, b'{"esearchresult":{"count":"5000","idlist":["1"]}}')])
    with pytest.raises(WatchError, match="5000 records since 2027-01-04, more than the 1000"):
        pubmed.search(made, "crps", TERM, SINCE, UNTIL, WHO)


def test_a_server_that_repeats_a_page_does_not_loop_forever():
    made, script, _ = client([Reply(200, {}, b'{"esearchresult":{"count":"9","idlist":["1"]}}')])
    assert pubmed.search(made, "crps", TERM, SINCE, UNTIL, WHO).keys == ("1",)
    assert len(script.urls) == 2


@pytest.mark.parametrize(("name", "message"), [
    ("esearch-error.json", "PubMed says: Invalid query: unbalanced parentheses"),
    ("esearch-missing-idlist.json", "the reply lacks a count or a list of PMIDs"),
    ("rate-limit.json", "PubMed says: API rate limit exceeded"),
    ("ctgov-empty.json", "the reply has no esearchresult"),
])
def test_esearch_replies_missing_what_is_needed_are_reported(name, message):
    made, _, _ = client([ok(name)])
    with pytest.raises(WatchError, match=f"PubMed esearch, family crps: {message}"):
        pubmed.search(made, "crps", TERM, SINCE, UNTIL, WHO)


def test_esummary_gives_labels_dois_and_keeps_what_it_cannot_summarise():
    made, script, _ = client([ok("esummary-crps.json")])
    found = pubmed.summaries(made, ["41000001", "41000002", "41000004"], WHO)
    assert params(script.urls[0])["id"] == "41000001,41000002,41000004"
    first, second, missing = found
    assert first.label.startswith("Quillfeather A et al. 2027: Five-day subanaesthetic")
    assert first.label.endswith("(Pain Med; PMID 41000001)") and first.doi == "10.9999/fictional.2027.001"
    assert second.doi == "10.1016/J.PAIN.2009.06.023"
    assert missing.label == "PMID 41000004 (PubMed gave no summary)"
    assert missing.url == "https://pubmed.ncbi.nlm.nih.gov/41000004/"


@pytest.mark.parametrize("doc", [
    {"title": 7, "authors": 5}, {"title": "T\x0b\x85 x", "authors": "nobody", "articleids": 3},
    {"title": "T", "authors": [None, {"name": 5}], "articleids": [None, {"value": 1}]},
    {"title": "x" * 900, "pubdate": None}, [], "text", None,
])
def test_esummary_documents_of_any_shape_never_crash(doc):
    data = {"result": {"uids": ["41000009"], "41000009": doc}}
    made, _, _ = client([Reply(200, {}, json.dumps(data).encode())])
    [found] = pubmed.summaries(made, ["41000009"], WHO)
    assert len(found.label) <= 300 and found.label.isprintable()


def test_an_esummary_without_result_is_reported():
    made, _, _ = client([Reply(200, {}, b'{"header":{}}')])
    with pytest.raises(WatchError, match=r"PubMed esummary \(1 PMIDs\): the reply has no result"):
        pubmed.summaries(made, ["41000001"], WHO)


def test_clinicaltrials_gov_asks_by_condition_intervention_and_last_update_and_pages():
    made, script, _ = client([ok("ctgov-page1.json"), ok("ctgov-page2.json")])
    outcome, found = ctgov.search(made, "registry", TRIALS, SINCE, UNTIL)
    first, second = (params(u) for u in script.urls)
    assert (first["query.cond"], first["query.intr"]) == ("complex regional pain syndrome", "ketamine")
    assert first["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2027-01-04,2027-01-11]"
    assert "pageToken" not in first and second["pageToken"] == "NF0g5JGBkPQ"
    assert outcome.count == 3 and [f.key for f in found] == ["NCT03319238", "NCT09999991",
                                                             "NCT09999992"]
    assert found[2].label.startswith("NCT09999992: Esketamine Nasal Spray")  # official title
    assert found[1].url == "https://clinicaltrials.gov/study/NCT09999991"


@pytest.mark.parametrize(("reply", "message"), [
    (ok("ctgov-no-studies.json"), "no list of studies"),
    (Reply(200, {}, b'{"studies":[{"protocolSection":{"identificationModule":{"nctId":"X1"}}}]}'),
     "has no valid NCT id"),
    (Reply(200, {}, body("error-page.html")), "HTML or XML page"),
])
def test_clinicaltrials_gov_replies_missing_what_is_needed_are_reported(reply, message):
    made, _, _ = client([reply])
    with pytest.raises(WatchError, match=f"ClinicalTrials.gov, family registry: .*{message}"):
        ctgov.search(made, "registry", TRIALS, SINCE, UNTIL)


def test_no_trials_updated_is_an_empty_answer():
    made, _, _ = client([ok("ctgov-empty.json")])
    outcome, found = ctgov.search(made, "registry", TRIALS, SINCE, UNTIL)
    assert (outcome.count, found) == (0, [])


def test_a_failed_service_is_not_asked_again_in_the_same_run_but_the_other_one_is():
    queries = load_queries(FIXTURES / "queries.yaml")
    twice = type(queries)(queries.families * 2, queries.display, queries.sha256)

    def answer(url: str) -> Reply:
        if "eutils" in url:
            return Reply(503, {}, body("error-page.html"))
        return ok("ctgov-empty.json")
    made, script, _ = client(answer)
    result = run_watch(twice, Screened(), made, WHO, SINCE, UNTIL)
    assert sum("eutils" in u for u in script.urls) == 4  # one query's four tries, no more
    assert sum("clinicaltrials" in u for u in script.urls) == 2
    assert result.failures[0] == "PubMed esearch, family crps: HTTP 503 after 4 tries"
    assert result.failures[1] == "PubMed, family crps: not asked after the failure above"


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.sampled_from(["esearchresult", "count", "idlist", "result",
                                                       "uids", "41000001", "title", "authors",
                                                       "articleids", "studies", "protocolSection",
                                                       "identificationModule", "nctId",
                                                       "nextPageToken", "totalCount", "ERROR",
                                                       "error", "errorlist"]) | st.text(max_size=8),
                                      inner, max_size=5), max_leaves=25)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(JSON.map(lambda v: json.dumps(v).encode()), st.binary(max_size=200)),
       st.sampled_from([200, 200, 400, 429, 503]))
def test_no_reply_of_any_shape_gives_anything_but_a_clear_error(raw, status):
    """Whatever comes back, the watch either reads it or raises WatchError: never a traceback."""
    reply = Reply(status, {"retry-after": "0"}, raw)
    for ask in (lambda m: pubmed.search(m, "crps", TERM, SINCE, UNTIL, WHO),
                lambda m: pubmed.summaries(m, ["41000001"], WHO),
                lambda m: ctgov.search(m, "registry", TRIALS, SINCE, UNTIL)):
        made, _, _ = client([reply])
        try:
            ask(made)
        except WatchError as exc:
            assert str(exc) and "\n" not in str(exc)
