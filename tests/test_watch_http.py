"""The watch's HTTP client, offline: pacing to the published rate limits, 429 and Retry-After,
bounded retries, time-outs, and clear messages for replies that are not the JSON expected."""

from __future__ import annotations

import pytest

from build_tools.watch.http import Reply, json_body, retry_after
from build_tools.watch.model import WatchError
from tests.watch_support import body, client, no_network, ok  # noqa: F401 (no_network: autouse)

ESEARCH = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi?db=pubmed"
RATE_LIMITED = Reply(429, {"retry-after": "1", "content-type": "application/json"},
                     body("rate-limit.json"))


def test_a_429_is_waited_out_as_retry_after_says_then_the_answer_is_used():
    made, script, fake = client([RATE_LIMITED, ok("esearch-crps.json")])
    reply = made.get(ESEARCH, "PubMed esearch")
    assert reply.status == 200 and len(script.urls) == 2 and made.requests == 2
    assert 1.0 in fake.slept  # the server's Retry-After, not our own backoff


def test_retry_after_may_be_an_http_date():
    assert retry_after("Fri, 15 Jan 2027 08:00:30 GMT", now=1800000000.0 + 0) is not None
    assert retry_after("30", now=0) == 30.0
    assert retry_after("soon", now=0) is None and retry_after(None, now=0) is None
    made, _, fake = client([Reply(429, {"retry-after": "Fri, 15 Jan 2027 08:00:30 GMT"}),
                            ok("esearch-crps.json")])
    made.wall = lambda: 1_800_000_000.0  # 2027-01-15 08:00:00 UTC
    made.get(ESEARCH, "PubMed esearch")
    assert 30.0 in fake.slept


def test_a_retry_after_longer_than_the_bound_gives_up_at_once_with_a_clear_message():
    made, script, fake = client([Reply(429, {"retry-after": "3600"}), ok("esearch-crps.json")])
    with pytest.raises(WatchError, match="asked to wait 3600 s, more than the 60 s"):
        made.get(ESEARCH, "PubMed esearch")
    assert len(script.urls) == 1 and sum(fake.slept) == 0


def test_server_errors_are_retried_with_growing_waits_then_reported():
    made, script, fake = client([Reply(503, {}, body("error-page.html"))])
    with pytest.raises(WatchError, match=r"PubMed esearch: HTTP 503 after 4 tries"):
        made.get(ESEARCH, "PubMed esearch")
    assert len(script.urls) == 4
    assert [w for w in fake.slept if w >= 1] == [2.0, 4.0, 8.0]


def test_rate_limits_that_never_lift_are_reported_as_such():
    made, _, _ = client([RATE_LIMITED])
    with pytest.raises(WatchError, match=r"HTTP 429 \(rate limit\) after 4 tries"):
        made.get(ESEARCH, "PubMed esearch")


def test_time_outs_are_retried_and_reported_without_a_traceback():
    made, script, _ = client([TimeoutError("timed out"), ok("esearch-crps.json")])
    assert made.get(ESEARCH, "PubMed esearch").status == 200 and len(script.urls) == 2
    made, _, _ = client([TimeoutError("timed out")])
    with pytest.raises(WatchError, match="no answer before the time-out after 4 tries"):
        made.get(ESEARCH, "PubMed esearch")
    made, _, _ = client([ConnectionRefusedError(111, "Connection refused")])
    with pytest.raises(WatchError, match=r"network error \(Connection refused\)"):
        made.get(ESEARCH, "PubMed esearch")


@pytest.mark.parametrize(("interval", "least"), [(0.34, 1 / 3), (0.1, 0.1)])
def test_requests_to_one_host_keep_to_its_rate_limit(interval, least):
    made, _, fake = client([ok("esearch-empty.json")], interval=interval)
    starts = []
    for _ in range(5):
        made.get(ESEARCH, "PubMed esearch")
        starts.append(fake.now)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert all(g >= least for g in gaps), gaps  # at most 3 a second (10 with an API key)


def test_hosts_are_paced_separately():
    made, _, fake = client([ok("esearch-empty.json")])
    made.get(ESEARCH, "PubMed")
    made.get("https://clinicaltrials.gov/api/v2/studies?x=1", "ClinicalTrials.gov")
    assert fake.slept == []  # a first request to another host need not wait


@pytest.mark.parametrize(("reply", "message"), [
    (Reply(200, {}, body("error-page.html")),
     r"HTML or XML page, not JSON \(NCBI - Service Temporarily Unavailable\)"),
    (Reply(200, {}, body("esummary-error.xml")),
     r"HTML or XML page, not JSON \(Empty id list - nothing todo\)"),
    (Reply(200, {}, body("esearch-truncated.json")), "not valid JSON"),
    (Reply(200, {}, b""), "not valid JSON"),
    (Reply(200, {}, b"\xff\xfe\x00garbage"), "not valid JSON"),
    (Reply(404, {}, body("error-page.html")), r"HTTP 404 \(NCBI - Service"),
    (Reply(400, {}, b'{"error":"bad parameter"}'), r"HTTP 400"),
])
def test_replies_that_are_not_json_get_a_message_naming_what_came(reply, message):
    with pytest.raises(WatchError, match=message):
        json_body(reply, "PubMed esearch")


def test_a_json_reply_is_read():
    assert json_body(ok("esearch-empty.json"), "x")["esearchresult"]["count"] == "0"
