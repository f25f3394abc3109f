"""Effects in numbers: derived differences against hand-computed values, pooling against a
published worked example, and what a pain difference means."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.grade.effects import read_effect
from build_tools.grade.importance import pain_importance
from build_tools.grade.pooling import NotPooled, Pooled, pool


def outcome(effect: dict, comparison: str = "vs-placebo", **extra) -> dict:
    """An outcome carrying one structured effect."""
    base = {"measure": "mean-per-arm", "scale": "NRS 0-10", "scale_max": 10,
            "lower_is_better": True, "cite": {}}
    return {"id": "o", "timepoint": "week 1", "weeks": 1, "comparison": comparison,
            "effect": base | effect, **extra}


def arms(treated: dict, control: dict) -> list[dict]:
    return [{"arm": "ketamine", "role": "intervention", **treated},
            {"arm": "placebo", "role": "comparator", **control}]


def test_mean_difference_with_sds_gets_a_95_ci():
    # hand-computed: 2.7 - 5.5 = -2.8; SE = sqrt(1.5^2/30 + 1.5^2/30) = 0.387298;
    # 95% CI = -2.8 -/+ 1.959964 * 0.387298 = -3.559 to -2.041
    e = read_effect("t", outcome({"arms": arms(
        {"n": 30, "value": 2.7, "spread": {"kind": "sd", "value": 1.5}},
        {"n": 30, "value": 5.5, "spread": {"kind": "sd", "value": 1.5}})}))
    assert (e.measure, e.derived) == ("mean-difference", True)
    assert e.value == pytest.approx(-2.8)
    assert (e.interval.low, e.interval.high) == pytest.approx((-3.5591, -2.0409), abs=1e-4)
    assert e.variance == pytest.approx(0.15)


def test_mean_difference_with_ses_and_different_sizes():
    # hand-computed: 4.0 - 6.0 = -2.0; SE = sqrt(0.3^2 + 0.4^2) = 0.5; CI -2.98 to -1.02
    e = read_effect("t", outcome({"arms": arms(
        {"n": 12, "value": 4.0, "spread": {"kind": "se", "value": 0.3}},
        {"n": 20, "value": 6.0, "spread": {"kind": "se", "value": 0.4}})}))
    assert (e.interval.low, e.interval.high) == pytest.approx((-2.98, -1.02), abs=1e-3)


@pytest.mark.parametrize("spread, n, reason", [
    ({"kind": "unnamed", "value": 0.51}, 30, "the ± measure is not named in the source"),
    ({"kind": "sd", "value": 1.5}, None, "group sizes or spreads needed for an interval"),
    (None, 30, "group sizes or spreads needed for an interval"),
])
def test_no_interval_without_a_usable_spread_and_the_reason_is_said(spread, n, reason):
    treated = {"value": 2.68, **({"n": n} if n else {}), **({"spread": spread} if spread else {})}
    control = {"value": 5.45, **({"n": n} if n else {}), **({"spread": spread} if spread else {})}
    e = read_effect("t", outcome({"arms": arms(treated, control)}))
    assert e.value == pytest.approx(-2.77) and e.interval is None and e.variance is None
    assert reason in e.why_no_interval


def test_proportions_give_percentage_points_and_an_interval_only_from_counts():
    pct = read_effect("t", outcome({"measure": "proportion-per-arm", "scale": "percent",
                                    "scale_max": 100, "arms": arms({"value": 76}, {"value": 18})}))
    assert (pct.measure, pct.value, pct.interval) == ("risk-difference", 58, None)
    assert "event counts are not reported" in pct.why_no_interval
    counts = read_effect("t", outcome({"measure": "proportion-per-arm", "scale": "percent",
                                       "scale_max": 100, "arms": arms(
                                           {"value": 80, "events": 24, "n": 30},
                                           {"value": 20, "events": 6, "n": 30})}))
    # hand-computed: RD 60 points; SE = 100*sqrt(.8*.2/30 + .2*.8/30) = 10.3280; CI 39.76-80.24
    assert (counts.interval.low, counts.interval.high) == pytest.approx((39.757, 80.243), abs=1e-2)


def test_a_ratio_interval_gives_a_log_scale_variance():
    e = read_effect("t", outcome({"measure": "risk-ratio", "scale": "risk ratio",
                                  "estimate": 3.26, "interval": {"kind": "ci95", "low": 1.05,
                                                                 "high": 10.09}}))
    se = (math.log(10.09) - math.log(1.05)) / (2 * 1.959963984540054)
    assert e.variance == pytest.approx(se * se) and not e.derived


def test_one_group_and_medians_are_never_made_into_a_difference():
    one = read_effect("t", outcome({"arms": [{"arm": "k", "role": "intervention", "value": 5.7}]},
                                   comparison="vs-baseline"))
    assert (one.measure, one.value, one.interval, one.derived) == ("mean", 5.7, None, False)
    medians = read_effect("t", outcome({"measure": "median-per-arm", "arms": arms(
        {"value": 3}, {"value": 6})}))
    assert (medians.measure, medians.value, medians.interval) == ("median-difference", -3, None)


# Kacker 2004 (Metrologia 41:132-136), nine estimates and variances, pooled with R's metafor
# rma(method="DL"): the reference values statsmodels' own tests use
# (statsmodels/stats/tests/results/results_meta.py, exk1_dl).
KACKER_Y = (61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9)
KACKER_V = (0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225)


def _estimate(i: int, value: float, variance: float, study: str | None = None):
    se = math.sqrt(variance)
    return read_effect(study or f"s{i}", outcome({
        "measure": "mean-difference", "estimate": value,
        "interval": {"kind": "se", "value": se}}))


def test_pooling_reproduces_the_published_worked_example():
    result = pool([_estimate(i, y, v) for i, (y, v) in enumerate(zip(KACKER_Y, KACKER_V,
                                                                        strict=True))])
    assert isinstance(result, Pooled)
    assert result.value == pytest.approx(62.3901386044504, abs=1e-9)
    assert (result.interval.low, result.interval.high) == pytest.approx(
        (61.9084781058787, 62.8717991030221), abs=1e-9)
    assert result.tau2 == pytest.approx(0.288049246973751, abs=1e-9)
    assert result.i2 == pytest.approx(0.67744403741711, abs=1e-9)


@pytest.mark.parametrize("values, expected", [
    ((-2.0, -2.0, -2.0), 0.0),       # identical estimates: Q = 0
    ((-2.0, -2.1, -1.9), 0.0),       # closer than chance: Q < df, never negative
    ((-4.0, 0.0, -2.0), 1 - 2 / 32),  # variance 0.25 (weight 4) each: Q = 32, (Q - 2) / Q
])
def test_i_squared_is_higgins_and_thompsons_truncated_at_zero(values, expected):
    result = pool([_estimate(i, v, 0.25) for i, v in enumerate(values)])
    assert isinstance(result, Pooled)
    assert result.i2 == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("values", [(-2.0, -2.0, -2.0), (-2.0, -2.1, -1.9)])
def test_studies_agreeing_beyond_chance_pool_with_no_between_study_variance(values):
    # Q <= df: DerSimonian-Laird's tau2 is 0, so the estimate is the inverse-variance mean of
    # equal-variance studies (their plain mean) with SE sqrt(v / k).
    result = pool([_estimate(i, v, 0.25) for i, v in enumerate(values)])
    assert isinstance(result, Pooled)
    assert result.tau2 == 0.0
    mean, half = sum(values) / 3, 1.959963984540054 * math.sqrt(0.25 / 3)
    assert result.value == pytest.approx(mean, abs=1e-12)
    assert (result.interval.low, result.interval.high) == pytest.approx(
        (mean - half, mean + half), abs=1e-12)


def test_not_pooled_says_why():
    assert "only 1 study" in pool([_estimate(0, -2.0, 0.25)]).reason
    baseline = read_effect("b", outcome({"measure": "mean-change", "estimate": -3,
                                         "interval": {"kind": "se", "value": 0.5}},
                                        comparison="vs-baseline"))
    assert isinstance(pool([baseline]), NotPooled)
    # one study twice (two time points) is still one study
    assert "only 1 study" in pool([_estimate(0, -2, 0.25, "x"), _estimate(1, -1, 0.25, "x")]).reason


@pytest.mark.parametrize("points, level", [
    (-0.99, "below-minimal"), (-1.0, "minimal"), (-1.99, "minimal"), (-2.0, "moderate"),
    (-3.99, "moderate"), (-4.0, "substantial"),
])
def test_pain_differences_against_the_immpact_thresholds(points, level):
    e = _estimate(0, points, 0.25)
    assert pain_importance(e).level == level


def test_a_0_to_100_scale_is_read_in_tenths_and_other_scales_are_not_judged():
    vas = read_effect("t", outcome({"measure": "mean-difference", "scale": "VAS 0-100",
                                    "scale_max": 100, "estimate": -25}))
    assert pain_importance(vas).points == pytest.approx(-2.5)
    unknown = read_effect("t", outcome({"measure": "mean-difference", "scale": "VAS",
                                        "scale_max": None, "estimate": -5}))
    assert pain_importance(unknown) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.floats(-10, 10), st.floats(0.01, 4)), min_size=2, max_size=8))
def test_any_poolable_set_gives_a_proper_random_effects_result(studies):
    result = pool([_estimate(i, value, variance) for i, (value, variance) in enumerate(studies)])
    assert isinstance(result, Pooled)
    assert result.tau2 >= 0 and 0 <= result.i2 <= 1
    assert all(map(math.isfinite, (result.value, result.interval.low, result.interval.high)))
    assert result.interval.low <= result.value <= result.interval.high
    # Never narrower than the fixed-effect interval (tau2 >= 0 only widens it).
    fixed_se = math.sqrt(1 / sum(1 / v for _, v in studies))
    assert result.interval.high - result.interval.low >= 2 * 1.959963984540054 * fixed_se - 1e-9
