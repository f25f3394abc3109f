"""Table-driven tests of the grading rules (DESIGN section 4) and the Summary-of-Findings tables."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.grade import body as grade_body
from build_tools.grade import rules, vocabulary
from build_tools.grade.claim_effects import claim_effects
from build_tools.grade.rules import (
    CERTAINTY_ORDER,
    DOMAINS,
    ClaimGrade,
    grade_all,
    grade_claim,
    grade_to_dict,
    start_level,
)
from build_tools.grade.sof import SofRow, SofTable, summary_of_findings
from build_tools.records.model import Claim, Corpus, Study
from tests.conftest import make_study as build_study

# ---------------------------------------------------------------- factories (no real records)


def make_study(sid: str, design: str = "rct", n: int | None = 500, rob: str | None = "low",
               critiques: tuple = (), outcomes: tuple = ()) -> Study:
    """A trial-sized study by default (n=None leaves the participant numbers unreported)."""
    return build_study(sid, design, n=n, rob=rob, critiques=tuple(critiques),
                       outcomes=tuple(outcomes), year=2009)


def link(sid: str, stance: str = "supports", directness: str = "direct",
         outcome: str | None = None, role: str = "tests") -> dict:
    """One evidence link (testing the claim unless role says context)."""
    out = {"study": sid, "role": role, "stance": stance, "directness": directness}
    if outcome:
        out["outcome"] = outcome
    return out


def make_claim(*links: dict, cid: str = "c", type: str = "efficacy", judgements: dict | None = None,
               attribution: dict | None = None, domain: str | None = "pain",
               timeframe: str | None = "short-term", pico: dict | None = None,
               statement: str = "Ketamine reduces CRPS pain more than placebo.",
               question: str | None = "effect") -> Claim:
    """A minimal valid claim with the given evidence links."""
    return Claim(id=cid, statement=statement, type=type, question=question,
                 asserted_by=({"source": "s", "paraphrase": "p"},), evidence=tuple(links),
                 reviewed="2026-01-01", domain=domain, timeframe=timeframe, pico=pico,
                 judgements=judgements, attribution=attribution)


def studies(*items: Study) -> dict[str, Study]:
    return {s.id: s for s in items}


def dom(grade: ClaimGrade, name: str) -> rules.DomainRating:
    return next(d for d in grade.domains if d.domain == name)


# ---------------------------------------------------------------- starting level

@pytest.mark.parametrize("design, controlled, expected", [
    ("rct", False, "high"), ("crossover-rct", False, "high"),
    ("nonrandomised-controlled", False, "low"), ("secondary-analysis", False, "low"),
    ("prospective-cohort", False, "very-low"), ("prospective-cohort", True, "low"),
    ("retrospective-cohort", True, "low"), ("meta-analysis", False, "very-low"),
    ("meta-analysis", True, "low"), ("systematic-review", True, "low"),
    ("case-series", True, "very-low"), ("case-report", False, "very-low"),
    ("pk-pd", False, "very-low"), ("animal", False, "very-low"), ("guideline", True, "very-low"),
    ("consensus-statement", False, "very-low"), ("narrative-review", False, "very-low"),
    ("expert-opinion", False, "very-low"),
])
def test_start_level_by_design(design, controlled, expected):
    assert start_level(design, controlled) == expected


@pytest.mark.parametrize("designs, expected", [
    (("rct", "case-series"), "high"),
    (("nonrandomised-controlled", "case-report"), "low"),
    (("case-series", "case-report", "animal"), "very-low"),
])
def test_body_starts_at_its_best_design(designs, expected):
    body = studies(*(make_study(f"s{i}", d) for i, d in enumerate(designs)))
    grade = grade_claim(make_claim(*(link(s) for s in body)), body)
    assert grade.start == expected
    assert CERTAINTY_ORDER.index(grade.certainty) <= CERTAINTY_ORDER.index(expected)


@pytest.mark.parametrize("comparison, expected", [
    ("pooled-vs-control", "low"), ("vs-placebo", "low"), ("pooled-vs-baseline", "very-low"),
])
def test_review_starts_from_its_linked_comparison(comparison, expected):
    outcome = {"id": "pain", "domain": "pain", "timepoint": "t", "result": "r",
               "direction": "benefit", "comparison": comparison, "cite": {}}
    review = make_study("ma", "meta-analysis", rob="not-applicable", outcomes=(outcome,))
    assert grade_claim(make_claim(link("ma", outcome="pain")), studies(review)).start == expected
    assert grade_claim(make_claim(link("ma")), studies(review)).start == "very-low"


# ---------------------------------------------------------------- the computed domains

@pytest.mark.parametrize("high_n, low_n, expected", [
    (50, 50, -1),   # exactly half: downgrade
    (49, 51, 0),
    (51, 49, -1),
    (0, 100, 0),
    (100, 0, -1),
])
def test_risk_of_bias_half_of_participants(high_n, low_n, expected):
    body = studies(make_study("a", n=high_n, rob="high"), make_study("b", n=low_n, rob="low"))
    d = dom(grade_claim(make_claim(link("a"), link("b")), body), "risk-of-bias")
    assert d.computed == expected
    assert d.studies == (("a",) if expected else ())
    assert f"{high_n} of {high_n + low_n} participants" in d.reason


@pytest.mark.parametrize("design, overall, expected", [
    ("rct", "high", -1), ("rct", "serious", -1), ("rct", "critical", -1),
    ("rct", "some-concerns", 0), ("rct", "moderate", 0), ("rct", "low", 0),
    # v2: a randomised or controlled study without a judgement counts as high risk
    ("rct", "not-applicable", -1), ("rct", "no-information", -1), ("rct", None, -1),
    ("nonrandomised-controlled", None, -1),
    # uncontrolled designs and syntheses are not penalised for a missing judgement
    ("case-series", None, 0), ("case-series", "not-applicable", 0),
    ("meta-analysis", "not-applicable", 0),
])
def test_risk_of_bias_values_that_count_as_high(design, overall, expected):
    body = studies(make_study("a", design, rob=overall))
    d = dom(grade_claim(make_claim(link("a")), body), "risk-of-bias")
    assert d.computed == expected
    if expected and overall not in grade_body.HIGH_RISK_OF_BIAS:
        assert "no risk-of-bias judgement, counted as high" in d.reason


def test_a_curated_judgement_says_why_a_study_without_one_is_not_high_risk():
    body = studies(make_study("a", rob=None))
    judgement = {"risk-of-bias": {"rating": "no-change", "reason": "Blinded outcome assessors."}}
    d = dom(grade_claim(make_claim(link("a"), judgements=judgement), body), "risk-of-bias")
    assert (d.computed, d.curated, d.applied) == (-1, 0, 0)


def test_unknown_n_is_never_zero_the_conservative_share_applies():
    # v1 read "0 of 60 participants at high risk"; by studies it is 1 of 2, which downgrades.
    body = studies(make_study("a", n=None, rob="high"), make_study("b", n=60, rob="low"))
    grade = grade_claim(make_claim(link("a"), link("b")), body)
    d = dom(grade, "risk-of-bias")
    assert d.computed == -1 and d.studies == ("a",)
    assert "0 of 60 participants of known number" in d.reason and "1 of 2 studies" in d.reason
    assert "a: size unknown" in d.reason
    assert grade.unknown_size == ("a",)
    imprecision = dom(grade, "imprecision")
    assert "60 participants of known number in 2 studies" in imprecision.reason
    assert "a: size unknown" in imprecision.reason and imprecision.computed == -2


def test_unknown_size_in_a_minority_of_studies_and_participants_does_not_downgrade():
    body = studies(make_study("a", n=None, rob="high"), make_study("b", n=60, rob="low"),
                   make_study("c", n=60, rob="low"))
    assert dom(grade_claim(make_claim(link("a"), link("b"), link("c")), body),
               "risk-of-bias").computed == 0


@pytest.mark.parametrize("robs, expected", [(("high", "low"), -1), (("high", "low", "low"), 0)])
def test_no_known_n_counts_studies(robs, expected):
    body = studies(*(make_study(f"s{i}", n=None, rob=r) for i, r in enumerate(robs)))
    d = dom(grade_claim(make_claim(*(link(s) for s in body)), body), "risk-of-bias")
    assert d.computed == expected and "no graded study reports its participants" in d.reason


@pytest.mark.parametrize("links, expected", [
    ([link("a"), link("b", "refutes")], -1),
    ([link("a"), link("b", "refutes", "indirect-population")], 0),
    ([link("a"), link("b", "inconclusive")], 0),
    ([link("a"), link("b")], 0),
    ([link("a"), link("a", "refutes", outcome="x")], 0),  # one study's own links disagree
])
def test_inconsistency_between_direct_studies(links, expected):
    body = studies(make_study("a"), make_study("b"))
    assert dom(grade_claim(make_claim(*links), body), "inconsistency").computed == expected


@pytest.mark.parametrize("indirect_n, direct_n, expected", [
    (50, 50, 0),    # exactly half: not more than half
    (51, 49, -1),
    (49, 51, 0),
    (100, 0, -1),
])
def test_indirectness_more_than_half(indirect_n, direct_n, expected):
    body = studies(make_study("i", n=indirect_n), make_study("d", n=direct_n))
    claim = make_claim(link("i", directness="indirect-comparator"), link("d"))
    d = dom(grade_claim(claim, body), "indirectness")
    assert d.computed == expected
    assert d.studies == (("i",) if expected else ())


def test_a_study_with_one_direct_link_is_direct():
    body = studies(make_study("a"))
    claim = make_claim(link("a", directness="indirect-outcome"), link("a", outcome="x"))
    assert dom(grade_claim(claim, body), "indirectness").computed == 0


@pytest.mark.parametrize("ns, expected", [
    ((99,), -2), ((100,), -1), ((399,), -1), ((400,), 0), ((0,), -2), ((None,), -2),
    ((50, 49), -2), ((50, 50), -1), ((200, 199), -1), ((200, 200), 0), ((None, 450), 0),
])
def test_imprecision_thresholds(ns, expected):
    body = studies(*(make_study(f"s{i}", n=n) for i, n in enumerate(ns)))
    assert dom(grade_claim(make_claim(*(link(s) for s in body)), body),
               "imprecision").computed == expected


def test_each_study_counted_once():
    body = studies(make_study("a", n=300))
    grade = grade_claim(make_claim(link("a"), link("a", outcome="x"), link("a", outcome="y")),
                        body)
    assert (grade.n_studies, grade.n_participants) == (1, 300)
    assert dom(grade, "imprecision").computed == -1


@pytest.mark.parametrize("name", vocabulary.CURATED_ONLY)
def test_curated_only_domains_compute_nothing(name):
    body = studies(make_study("a", n=10, rob="high"))
    d = dom(grade_claim(make_claim(link("a"), link("a", "refutes")), body), name)
    assert (d.computed, d.curated, d.applied) == (0, None, 0)


# ---------------------------------------------------------------- curated judgements, certainty

def test_curated_judgement_replaces_computed_and_both_stay_visible():
    body = studies(make_study("a", n=500, rob="high"))
    judgements = {"risk-of-bias": {"rating": "no-change", "reason": "Blinding held up.",
                                   "critiques": ["a#unblinding"]},
                  "publication-bias": {"rating": "serious", "reason": "Small positive trials."}}
    grade = grade_claim(make_claim(link("a"), judgements=judgements), body)
    rob = dom(grade, "risk-of-bias")
    assert (rob.computed, rob.curated, rob.applied) == (-1, 0, 0)
    assert rob.curated_reason == "Blinding held up." and "high risk" in rob.reason
    assert rob.critiques == ("a#unblinding",)
    pub = dom(grade, "publication-bias")
    assert (pub.computed, pub.curated, pub.applied) == (0, -1, -1)
    assert grade.certainty == "moderate"
    assert "Risk of bias: reviewers' judgement no change replaces the computed rating: Blinding " \
        "held up." in grade.trail
    assert "Publication bias: reviewers' judgement down 1 level: Small positive trials." \
        in grade.trail  # a curated-only domain has no computed rating to replace


@pytest.mark.parametrize("start_design, n, judgements, expected", [
    ("rct", 500, {}, "high"),
    ("rct", 300, {}, "moderate"),
    ("rct", 50, {}, "low"),
    ("rct", 50, {"indirectness": {"rating": "very-serious", "reason": "r"}}, "very-low"),
    ("case-series", 500, {"large-effect": {"rating": "upgrade-two", "reason": "r"}}, "moderate"),
    ("rct", 500, {"large-effect": {"rating": "upgrade-one", "reason": "r"}}, "high"),
    ("case-series", 10, {}, "very-low"),
])
def test_certainty_is_start_plus_applied_clamped(start_design, n, judgements, expected):
    body = studies(make_study("a", start_design, n=n))
    assert grade_claim(make_claim(link("a"), judgements=judgements), body).certainty == expected


def test_critiques_collected_per_domain_and_in_trail_order():
    crit = ({"id": "unblinding", "text": "Side effects unmask allocation.",
             "grade_domain": "risk-of-bias"},
            {"id": "small", "text": "Small.", "grade_domain": "imprecision"},
            {"id": "style", "text": "Style.", "grade_domain": "none"})
    body = studies(make_study("a", n=60, rob="high", critiques=crit))
    grade = grade_claim(make_claim(link("a")), body)
    assert dom(grade, "risk-of-bias").critiques == ("a#unblinding",)
    assert dom(grade, "imprecision").critiques == ("a#small",)
    trail = grade.trail
    first = [next(i for i, t in enumerate(trail) if t.startswith(p))
             for p in ("Critique a#unblinding", "Risk of bias:", "Certainty:", "Verdict:")]
    assert first == sorted(first)
    assert "Side effects unmask allocation" in trail[first[0]]


def test_claim_with_no_evidence():
    grade = grade_claim(make_claim(), {})
    assert (grade.certainty, grade.verdict, grade.n_studies) == (None, "insufficient-evidence", 0)
    assert grade.plain == "No linked study tests whether ketamine reduces CRPS pain more than placebo."
    assert all(d.applied == 0 for d in grade.domains)
    assert [d.domain for d in grade.domains] == list(DOMAINS)


# ---------------------------------------------------------------- verdict and wording

A, B, C = make_study("a", n=300), make_study("b", n=200), make_study("c", n=100)
ABC = studies(A, B, C)


@pytest.mark.parametrize("links, expected", [
    ([], "insufficient-evidence"),
    ([link("a")], "supported"),
    ([link("a"), link("b", "inconclusive")], "supported"),
    ([link("a"), link("b", "refutes", "indirect-population")], "supported"),
    ([link("a"), link("c", "refutes")], "mixed"),           # a direct refuting study
    ([link("b"), link("a", "refutes")], "mixed"),
    ([link("a", "refutes")], "contradicted"),
    ([link("a", "refutes"), link("b", directness="indirect-outcome")], "contradicted"),
    ([link("a", "inconclusive"), link("b", "inconclusive")], "not-shown"),
    ([link("b"), link("a", "inconclusive")], "not-shown"),   # 200 of 500: a minority
    ([link("a"), link("b", "inconclusive"), link("c", "inconclusive")], "not-shown"),  # half
    ([link("c", "refutes"), link("a", "inconclusive")], "not-shown"),
    ([link("a", role="context")], "insufficient-evidence"),     # context is never graded
    ([link("a"), link("b", "refutes", role="context")], "supported"),
])
def test_verdict_table(links, expected):
    assert grade_claim(make_claim(*links), ABC).verdict == expected


def test_verdict_counts_studies_when_no_n_is_known():
    body = studies(*(make_study(x, n=None) for x in "abc"))
    claim = make_claim(link("a"), link("b"), link("c", "inconclusive"))
    assert grade_claim(claim, body).verdict == "supported"


@pytest.mark.parametrize("stance", vocabulary.STANCES)
def test_very_low_certainty_gives_no_direction(stance):
    grade = grade_claim(make_claim(link("x", stance)), studies(make_study("x", "case-series", n=12)))
    assert (grade.verdict, grade.certainty) == ("very-uncertain", "very-low")
    assert grade.plain == ("The evidence is very uncertain about whether ketamine reduces CRPS "
                           "pain more than placebo.")
    assert "very low certainty gives no direction" in grade.trail[-1]


@pytest.mark.parametrize("directness, certainty, verdict", [
    (("indirect-population",), "very-low", "very-uncertain"),    # only indirect: capped
    (("indirect-population", "indirect-outcome"), "very-low", "very-uncertain"),
    (("direct", "indirect-population"), "high", "supported"),    # one direct link: no cap
])
def test_a_body_of_only_indirect_links_is_at_best_very_low(directness, certainty, verdict):
    body = studies(*(make_study(f"s{i}", n=500) for i in range(len(directness))))
    claim = make_claim(*(link(f"s{i}", directness=d) for i, d in enumerate(directness)))
    grade = grade_claim(claim, body)
    assert (grade.certainty, grade.verdict) == (certainty, verdict)
    if certainty == "very-low":
        assert any("capped at Very low" in step for step in grade.trail)


@pytest.mark.parametrize("pro_n, null_n, verdict", [
    (60, 19, "supported"),   # the larger trial supports, the smaller is null: still supported
    (19, 60, "not-shown"),   # a larger null trial weighs against "supported"
])
def test_a_null_trial_stays_in_the_grade(pro_n, null_n, verdict):
    body = studies(make_study("t1", n=pro_n), make_study("t2", n=null_n))
    grade = grade_claim(make_claim(link("t1"), link("t2", "inconclusive")), body)
    assert grade.verdict == verdict and grade.graded == ("t1", "t2")


def test_majority_must_hold_by_studies_too_when_a_size_is_unknown():
    # 60 known participants support, but two trials of unknown size are null: 1 of 3 studies
    body = studies(make_study("a", n=60), make_study("b", n=None), make_study("c", n=None))
    grade = grade_claim(make_claim(link("a"), link("b", "inconclusive"),
                                   link("c", "inconclusive")), body)
    assert grade.verdict == "not-shown"


def test_context_links_are_listed_apart():
    body = studies(make_study("t"), make_study("x", "case-series"))
    grade = grade_claim(make_claim(link("t"), link("x", "refutes", role="context")), body)
    assert grade.context == ("x",) and grade.graded == ("t",) and grade.set_aside == ()


@pytest.mark.parametrize("n, judgements, words", [
    (500, {}, "The evidence shows that ketamine reduces"),
    (300, {}, "It is likely that ketamine reduces"),
    (50, {}, "It may be that ketamine reduces"),
    (50, {"risk-of-bias": {"rating": "serious", "reason": "r"}}, "The evidence is very uncertain"),
    (500, {"large-effect": {"rating": "upgrade-one", "reason": "r"}}, "the effect is large."),
])
def test_plain_sentence_wording(n, judgements, words):
    grade = grade_claim(make_claim(link("a"), judgements=judgements), studies(make_study("a", n=n)))
    assert words in grade.plain
    assert grade.plain.endswith(".") and ". " not in grade.plain  # one sentence


def test_plain_keeps_acronyms():
    claim = make_claim(link("a", "refutes"), statement="IV ketamine cures CRPS.")
    assert grade_claim(claim, studies(make_study("a"))).plain == (
        "The evidence shows that it is not true that IV ketamine cures CRPS.")


# ---------------------------------------------------------------- attribution claims

def check(matches: str, aspect: str = "days") -> dict:
    return {"aspect": aspect, "asserted": "4 days", "record_says": "10 days", "matches": matches}


@pytest.mark.parametrize("found, verdict, n_differences", [
    (("yes",), "accurate", 0),
    (("yes", "yes"), "accurate", 0),
    (("yes", "partly"), "partly-accurate", 1),
    (("partly",), "partly-accurate", 1),
    (("yes", "unverifiable"), "partly-accurate", 1),
    (("yes", "no"), "inaccurate", 1),
    (("partly", "no", "unverifiable"), "inaccurate", 3),
    (("unverifiable", "unverifiable"), "unverifiable", 2),
    ((), "unverifiable", 0),
])
def test_attribution_verdicts(found, verdict, n_differences):
    block = {"study": "a", "checks": [check(m, f"aspect {i}") for i, m in enumerate(found)]}
    grade = grade_claim(make_claim(type="attribution", attribution=block), studies(make_study("a")))
    assert (grade.kind, grade.verdict, grade.certainty) == ("attribution", verdict, None)
    assert len(grade.differences) == n_differences
    assert grade.trail[-1] == f"Verdict: {verdict}."


def test_attribution_difference_names_both_sides():
    block = {"study": "a", "checks": [check("no")]}
    grade = grade_claim(make_claim(type="attribution", attribution=block), {})
    assert grade.differences == ("days: asserted 4 days; record says 10 days (no)",)
    assert "record of a" in grade.plain


# ---------------------------------------------------------------- order independence, export

POOL = studies(make_study("p1", "rct", 40, "high"), make_study("p2", "case-series", None, None),
               make_study("p3", "nonrandomised-controlled", 250, "serious"),
               make_study("p4", "crossover-rct", 120, "low"))
links_strategy = st.lists(st.builds(
    link, st.sampled_from(sorted(POOL)), st.sampled_from(vocabulary.STANCES),
    st.sampled_from(["direct", "indirect-population", "indirect-outcome"]),
    st.sampled_from([None, "o1", "o2"])), max_size=8)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), links=links_strategy)
def test_order_of_links_does_not_change_the_grade(data, links):
    shuffled = data.draw(st.permutations(links))
    reordered_pool = dict(reversed(POOL.items()))  # the studies mapping's order is irrelevant too
    assert grade_claim(make_claim(*links), POOL) == grade_claim(make_claim(*shuffled),
                                                                reordered_pool)


def test_grade_all_sorted_and_json_ready():
    claims = {c: make_claim(link("a"), cid=c) for c in ("zeta", "alpha", "mid")}
    corpus = Corpus(studies=studies(make_study("a")), claims=claims, sources={}, searches={})
    grades = grade_all(corpus)
    assert list(grades) == ["alpha", "mid", "zeta"]
    data = grade_to_dict(grades["alpha"])
    assert json.loads(json.dumps(data)) == data
    assert data["domains"][0]["domain"] == "risk-of-bias" and isinstance(data["trail"], list)


# ---------------------------------------------------------------- Summary-of-Findings tables

def test_summary_of_findings_tables_rows_and_footnotes():
    outcome = {"id": "week-1", "domain": "pain", "timepoint": "week 1", "result": "NRS 2.7 vs 5.5",
               "direction": "benefit", "p": "<0.001", "comparison": "vs-placebo", "cite": {},
               "effect": {"measure": "mean-per-arm", "scale": "NRS 0-10", "scale_max": 10,
                          "lower_is_better": True, "cite": {},
                          "arms": [{"arm": "k", "role": "intervention", "n": 30, "value": 2.7,
                                    "spread": {"kind": "sd", "value": 1.5}},
                                   {"arm": "p", "role": "comparator", "n": 30, "value": 5.5,
                                    "spread": {"kind": "sd", "value": 1.5}}]}}
    body = studies(make_study("t1", n=60, rob="high", outcomes=(outcome,)),
                   make_study("cs", "case-series", n=None, rob=None))
    claims = {
        "short": make_claim(link("t1", outcome="week-1"), link("cs"), cid="short",
                            pico={"outcome": "pain intensity"},
                            judgements={"publication-bias": {"rating": "serious",
                                                             "reason": "Few small trials."}}),
        "long": make_claim(link("t1"), cid="long", timeframe="beyond-3-months", type="duration"),
        "harms": make_claim(link("cs"), cid="harms", type="safety", domain=None, timeframe=None),
        "mech": make_claim(link("t1"), cid="mech", type="mechanism", domain="mechanism"),
        "func": make_claim(cid="func", domain="physical-function", timeframe="any"),
    }
    corpus = Corpus(studies=body, claims=claims, sources={}, searches={})
    grades = grade_all(corpus)
    effects = {cid: claim_effects(c, grades[cid], body) for cid, c in claims.items()}
    tables = summary_of_findings(corpus, grades, effects, {"t1": "Trial 2009"})
    assert all(isinstance(t, SofTable) for t in tables)
    assert [t.domain for t in tables] == ["pain-short-term", "pain-beyond-3-months",
                                          "physical-function", "adverse-events"]
    row = tables[0].rows[0]
    assert (row.outcome, row.timeframe, row.claim_ids) == ("pain intensity", "up to 3 months",
                                                           ("short",))
    # The case series is set aside: the randomised tier decides.
    assert (row.n_studies, row.n_participants, row.designs) == (1, 60, ("rct",))
    assert row.verdict == "very-uncertain" and row.relative == "not estimable"
    assert row.absolute.startswith("Trial 2009, week 1: 2.8 points lower on NRS 0-10 than "
                                   "placebo (2.7 vs 5.5) (95% CI -3.56 to -2.04); P <0.001")
    assert "Not pooled: only 1 study" in row.absolute
    assert row.meaning.startswith("Trial 2009, week 1: above the 2-point threshold")
    assert row.certainty == "very-low"
    assert [f.split(" (")[0] for f in row.footnotes] == ["Risk of bias", "Imprecision",
                                                        "Publication bias"]
    assert "reviewers' judgement): Few small trials." in row.footnotes[2]
    assert tables[3].rows[0].claim_ids == ("harms",)
    empty = tables[2].rows[0]
    assert (empty.certainty, empty.absolute, empty.footnotes) == (
        None, "No graded study reports this outcome.", ())


def test_sof_footnotes_name_every_applied_domain():
    body = studies(make_study("a", n=50, rob="high"), make_study("b", n=50, rob="low"))
    claim = make_claim(link("a"), link("b", "refutes"), cid="x")
    corpus = Corpus(studies=body, claims={"x": claim}, sources={}, searches={})
    grades = grade_all(corpus)
    row: SofRow = summary_of_findings(corpus, grades)[0].rows[0]
    moved = [vocabulary.DOMAIN_LABELS[d.domain] for d in grades["x"].domains if d.applied]
    assert moved == ["Risk of bias", "Inconsistency", "Imprecision"]
    assert [f.split(" (")[0] for f in row.footnotes] == moved


# ---------------------------------------------------------------- best tier decides

@pytest.mark.parametrize("rct_stance, series_stance, verdict", [
    ("refutes", "supports", "contradicted"),        # trials outweigh any series
    ("supports", "refutes", "supported"),
    # v2: a null trial stays in the grade; the series may not decide in its place (v1: supported)
    ("inconclusive", "supports", "not-shown"),
    ("inconclusive", "inconclusive", "not-shown"),
])
def test_the_highest_tier_present_decides(rct_stance, series_stance, verdict):
    body = studies(make_study("t", n=400), make_study("s", "case-series", n=5000))
    grade = grade_claim(make_claim(link("t", rct_stance), link("s", series_stance)), body)
    assert grade.verdict == verdict
    assert (grade.graded, grade.set_aside) == (("t",), ("s",))
    assert "a higher design tier decides: s" in grade.start_reason


def test_a_lower_tier_decides_only_when_no_higher_tier_tested_it():
    body = studies(make_study("s", "case-series", n=20), make_study("r", "rct"))
    grade = grade_claim(make_claim(link("s"), link("r", role="context")), body)
    assert grade.graded == ("s",) and grade.verdict == "very-uncertain"


# ---------------------------------------------------------------- record checks

@pytest.mark.parametrize("kind, block, expected", [
    ("critique", True, "attribution"), ("attribution", True, "attribution"),
    ("practice", True, "attribution"),   # a factual practice statement checked against records
    ("practice", False, "evidence"),
])
def test_record_checks_are_not_graded(kind, block, expected):
    attribution = {"study": "a", "checks": [check("yes")]} if block else None
    grade = grade_claim(make_claim(link("a"), type=kind, attribution=attribution,
                                   question=None if block else "practice"),
                        studies(make_study("a")))
    assert grade.kind == expected
    assert (grade.certainty is None) == (expected == "attribution")


def test_a_check_may_read_another_record():
    block = {"study": "a", "checks": [check("yes"), {**check("no"), "study": "b"}]}
    grade = grade_claim(make_claim(type="critique", attribution=block, question=None), {})
    assert grade.verdict == "inaccurate"
    assert "the records of a, b" in grade.plain
    assert any(step.startswith("Check against b, days") for step in grade.trail)
