"""Fuzzing the numbers: any effect that passes `evidence check` must grade, pool, draw and
render without a crash, and never print a number that is not finite.

Two trials of a small synthetic base get generated effect blocks (every measure, spreads of
every kind, extreme and degenerate values); when the records pass the check, the claims that
link them are graded, their Summary-of-Findings rows, forest plots and pages made. The default
run tries 60 cases; the marked long run FUZZ_EXAMPLES/10.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate as synthetic_base
from build_tools.check.runner import check
from build_tools.grade.rules import grade_all
from build_tools.pipeline import plan
from build_tools.records.model import build_corpus

TRIALS = ("synth00000-2000", "synth00005-2005")  # the base's two RCTs (every fifth study)
MEASURES = ["mean-per-arm", "median-per-arm", "proportion-per-arm", "mean-difference",
            "standardised-mean-difference", "risk-ratio", "odds-ratio", "risk-difference",
            "mean-change", "proportion"]
# Finite numbers a careless or hostile record may hold: zeros, tiny, huge, negative.
numbers = st.one_of(st.sampled_from([0, 0.0, 1e-300, -1e-300, 1e300, -1e300, 1, -1, 100]),
                    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
                    st.integers(-10**6, 10**6))
counts = st.one_of(st.sampled_from([0, 1, 2]), st.integers(0, 10**6))
spreads = st.fixed_dictionaries(
    {"kind": st.sampled_from(["sd", "se", "ci95", "iqr", "range", "unnamed"])},
    optional={"value": st.one_of(st.sampled_from([0, 0.0, 1e-300, 1e300]),
                                 st.floats(0, 1e6, allow_nan=False)),
              "low": numbers, "high": numbers})
arms = st.fixed_dictionaries(
    {"arm": st.sampled_from(["ketamine", "placebo"]),
     "role": st.sampled_from(["intervention", "comparator"])},
    optional={"n": counts, "value": numbers, "events": counts, "spread": spreads})
effects = st.fixed_dictionaries(
    {"measure": st.sampled_from(MEASURES), "scale": st.sampled_from(["NRS 0-10", "percent"]),
     "lower_is_better": st.booleans(), "cite": st.just({"from": "abstract",
                                                        "locator": "abstract"})},
    optional={"scale_max": st.sampled_from([10, 100, 1e-300, 1e300, 0.5]),
              "arms": st.lists(arms, min_size=1, max_size=3), "estimate": numbers,
              "interval": spreads, "p": st.sampled_from(["0.04", "<0.001", "NS"])})

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.filter_too_much])
LONG = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")) // 10, deadline=None,
                database=None, suppress_health_check=list(FUZZ.suppress_health_check))
NOT_FINITE = re.compile(r"\b(?:nan|inf|infinity)\b", re.I)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic base of ten studies, two of them trials, and two claims linking them."""
    root = tmp_path_factory.mktemp("effects-fuzz")
    synthetic_base(root, 10)
    return root


def _set_effect(path: Path, effect: dict) -> None:
    """Put effect on the trial's pain outcome (the one its claims link)."""
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["outcomes"][0]["effect"] = effect
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    path.write_text(header + "\n" + yaml.safe_dump(record, sort_keys=False), encoding="utf-8")


def _made(base: Path, first: dict, second: dict, fuzzing: bool = True) -> dict[str, str]:
    """Both trials' effects set; when the records pass (fuzzing: or else the case is dropped),
    every claim page and plot, as text."""
    for sid, effect in zip(TRIALS, (first, second), strict=True):
        _set_effect(base / "evidence" / "studies" / f"{sid}.yaml", effect)
    result = check(evidence_dir=base / "evidence", root=base)
    if fuzzing:
        assume(result.ok)
    assert result.ok, result.problems
    corpus = build_corpus(result.records)
    grades = grade_all(corpus)
    with warnings.catch_warnings():  # an overflow while drawing is a plot without a scale
        warnings.simplefilter("error", RuntimeWarning)
        made = {job.path: job.make() for job in plan(corpus, grades, updated="2026-12-07")
                if job.path.startswith(("claims/", "figures/forest-", "profile/index"))}
    return {path: text.decode("utf-8") if isinstance(text, bytes) else text
            for path, text in made.items()}


def _case(base: Path, first: dict, second: dict) -> None:
    """Every claim page and plot is made, and shows no number that is not finite."""
    made = _made(base, first, second)
    assert any(path.startswith("claims/") for path in made)
    for path, text in made.items():
        # The effect's numbers are shown as given or derived, never as nan or inf.
        assert not NOT_FINITE.search(re.sub(r"<[^>]*>", " ", text)), path


CITED = {"from": "abstract", "locator": "abstract"}


@FUZZ
@given(effects, effects)
# Found by this fuzz: an absurd scale maximum put an estimate of "inf" points on the claim page.
@example({"measure": "mean-per-arm", "scale": "NRS 0-10", "lower_is_better": False,
          "cite": CITED},
         {"measure": "mean-difference", "scale": "NRS 0-10", "lower_is_better": False,
          "cite": CITED, "scale_max": 1e-300, "interval": {"kind": "sd"}, "estimate": 1e300})
# Found by this fuzz in CI: a ratio's interval from 1e-300 to 1e300 left the log axis without
# a scale (an overflow in matplotlib, the interval drawn off the axis).
@example({"measure": "mean-per-arm", "scale": "NRS 0-10", "lower_is_better": False,
          "cite": CITED},
         {"measure": "risk-ratio", "scale": "NRS 0-10", "lower_is_better": True, "cite": CITED,
          "estimate": 1, "interval": {"kind": "ci95", "low": 1e-300, "high": 1e300}})
def test_any_checked_effect_grades_pools_draws_and_renders(base, first, second):
    _case(base, first, second)


PLAIN = {"measure": "mean-per-arm", "scale": "NRS 0-10", "lower_is_better": False,
         "cite": CITED}
NEAR_THE_LARGEST_FLOAT = {"estimate": 1e300, "interval": {"kind": "ci95", "low": 1,
                                                         "high": 1.7e308}}


@pytest.mark.parametrize("measure", ["standardised-mean-difference", "odds-ratio"])
def test_an_estimate_no_axis_can_draw_is_listed_not_drawn(base, measure):
    # These passed the check and then crashed the build in matplotlib (a singular transform).
    effect = {**PLAIN, "measure": measure, "lower_is_better": True, **NEAR_THE_LARGEST_FLOAT}
    ratio = "ratio" in measure
    drawable = {**effect, "estimate": 0.5 if ratio else -0.5,
                "interval": {"kind": "ci95", "low": 0.25 if ratio else -1,
                             "high": 0.75 if ratio else 0}}
    made = _made(base, effect, drawable, fuzzing=False)
    assert any(path.startswith("figures/forest-") for path in made)  # drawn, the other study
    pages = [text for path, text in made.items() if path.startswith("claims/")
             and "forest-" in text]
    assert pages and all("1 estimate(s) beyond the range this axis can draw" in text
                         for text in pages)


@pytest.mark.slow
@LONG
@given(effects, effects)
def test_long_fuzz_effects(base, first, second):
    _case(base, first, second)
