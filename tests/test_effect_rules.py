"""E317, effect numbers that cannot all be true: each slip is found where it is, and the
numbers of real records (and their edge cases) pass."""

from __future__ import annotations

import pytest

from build_tools.check.effect_rules import check_effects

CITE = {"from": "abstract", "locator": "abstract"}


def study(effect: dict) -> dict:
    """A study with one outcome carrying effect."""
    return {"outcomes": [{"id": "o", "effect": {"scale": "NRS 0-10", "lower_is_better": True,
                                                "cite": CITE, **effect}}]}


def arm(name: str, role: str, **numbers) -> dict:
    return {"arm": name, "role": role, **numbers}


WRONG = {
    "more events than people": (
        {"measure": "proportion-per-arm", "arms": [arm("k", "intervention", n=10, events=11)]},
        ("outcomes", 0, "effect", "arms", 0, "events")),
    "percentage above 100": (
        {"measure": "proportion-per-arm", "arms": [arm("k", "intervention", value=101)]},
        ("outcomes", 0, "effect", "arms", 0, "value")),
    "percentage at odds with counts": (
        {"measure": "proportion-per-arm",
         "arms": [arm("k", "intervention", n=30, events=23, value=67)]},
        ("outcomes", 0, "effect", "arms", 0, "value")),
    "single proportion below 0": (
        {"measure": "proportion", "estimate": -3}, ("outcomes", 0, "effect", "estimate")),
    "risk difference beyond 100 points": (
        {"measure": "risk-difference", "estimate": 120}, ("outcomes", 0, "effect", "estimate")),
    "reversed interval": (
        {"measure": "mean-difference", "estimate": -1.5,
         "interval": {"kind": "ci95", "low": -0.4, "high": -2.4}},
        ("outcomes", 0, "effect", "interval", "low")),
    "interval leaving out its estimate": (
        {"measure": "mean-difference", "estimate": -3.0,
         "interval": {"kind": "ci95", "low": -2.4, "high": -0.4}},
        ("outcomes", 0, "effect", "interval")),
    "ratio at zero": (
        {"measure": "risk-ratio", "estimate": 0}, ("outcomes", 0, "effect", "estimate")),
    "ratio interval below zero": (
        {"measure": "odds-ratio", "estimate": 2.0,
         "interval": {"kind": "ci95", "low": -0.5, "high": 4.0}},
        ("outcomes", 0, "effect", "interval", "low")),
    "two interventions": (
        {"measure": "mean-per-arm",
         "arms": [arm("k", "intervention", value=3), arm("p", "intervention", value=5)]},
        ("outcomes", 0, "effect", "arms", 1, "role")),
    "arm spread reversed": (
        {"measure": "median-per-arm",
         "arms": [arm("k", "intervention", value=3, spread={"kind": "iqr", "low": 5, "high": 2})]},
        ("outcomes", 0, "effect", "arms", 0, "spread", "low")),
}


@pytest.mark.parametrize("case", sorted(WRONG))
def test_each_slip_is_found_at_its_place(case):
    effect, path = WRONG[case]
    found = list(check_effects(study(effect)))
    assert [f.path for f in found] == [path], found


@pytest.mark.parametrize("effect", [
    # as printed in real records: rounded percentages, a CI touching its estimate, ratios > 0
    {"measure": "proportion-per-arm", "arms": [arm("k", "intervention", n=30, events=23,
                                                   value=77), arm("p", "comparator", value=18)]},
    {"measure": "proportion-per-arm", "arms": [arm("k", "intervention", n=3, events=2,
                                                   value=66.7)]},
    {"measure": "risk-ratio", "estimate": 3.26, "interval": {"kind": "ci95", "low": 1.05,
                                                             "high": 10.09}},
    {"measure": "mean-difference", "estimate": -1.0, "interval": {"kind": "ci95", "low": -1.0,
                                                                  "high": 0.2}},
    {"measure": "mean-difference", "estimate": -1.5, "interval": {"kind": "se", "value": 0.3}},
    {"measure": "mean-per-arm", "arms": [arm("k", "intervention", n=0, value=2.1,
                                             spread={"kind": "sd", "value": 0})]},
    {"measure": "risk-difference", "estimate": -100},
])
def test_numbers_that_can_all_be_true_pass(effect):
    assert list(check_effects(study(effect))) == []
