"""Dose normalisation: every unit, duration rule and stated assumption, table-driven."""

from __future__ import annotations

import pytest

from build_tools.grade.dosing import Normalised, format_number, format_range, normalise

CASES = [
    # (intervention, rate min, rate max, total hours, days, cumulative, assumption fragments)
    ({"rate": {"min": 0.1, "max": 0.35, "unit": "mg/kg/h"}, "hours_per_session": 4,
      "sessions": 10, "regimen": "intermittent-daily"},
     0.1, 0.35, 40, 10, 14, ("one session per day", "upper bound")),
    ({"rate": {"min": 10, "max": 40, "unit": "mg/h"}, "continuous_days": 5},
     0.1429, 0.5714, 120, 5, 68.57, ("70 kg reference weight", "upper bound")),
    ({"rate": {"max": 22.2, "unit": "mg/h/70kg"}, "continuous_days": 4.2},
     None, 0.3171, 100.8, 4.2, 31.97, ("per 70 kg divided by 70 kg",)),
    ({"rate": {"min": 2, "max": 5, "unit": "ug/kg/min"}, "hours_per_session": 4,
      "regimen": "single-infusion"},
     0.12, 0.3, 4, 1, 1.2, ("single infusion",)),
    ({"rate": {"min": 3, "max": 7, "unit": "mg/kg"}, "continuous_days": 5},
     None, None, 120, 5, None, ("not a rate",)),
    ({"dose_per_session_mg": {"min": 40, "max": 80}, "hours_per_session": 4, "sessions": 10,
      "regimen": "intermittent-daily"},
     0.1429, 0.2857, 40, 10, 11.43, ("average rate", "one session per day")),
    ({"regimen": "continuous"}, None, None, None, None, None, ()),
]


@pytest.mark.parametrize(("iv", "low", "high", "hours", "days", "cumulative", "why"), CASES)
def test_normalise(iv, low, high, hours, days, cumulative, why):
    got = normalise(iv)
    assert (got.mg_per_kg_h_min, got.mg_per_kg_h_max) == (low, high)
    assert (got.total_hours, got.days, got.cumulative_mg_per_kg_max) == (hours, days, cumulative)
    for fragment in why:
        assert any(fragment in a for a in got.assumptions), (fragment, got.assumptions)
    if not why:
        assert got.assumptions == ()


def test_exact_units_state_no_weight_assumption():
    got = normalise({"rate": {"max": 0.3, "unit": "mg/kg/h"}})
    assert not any("70 kg" in a for a in got.assumptions)


def test_missing_or_odd_input_gives_nothing():
    assert normalise(None) == Normalised()
    assert normalise({"rate": {"unit": "mg/h", "max": True}}).mg_per_kg_h_max is None


@pytest.mark.parametrize(("low", "high", "text"), [
    (0.1, 0.35, "0.1–0.35"), (None, 0.35, "up to 0.35"), (0.1, None, "from 0.1"),
    (2.0, 2.0, "2"), (None, None, "")])
def test_format_range(low, high, text):
    assert format_range(low, high) == text


def test_format_number():
    assert (format_number(4.0), format_number(0.1429), format_number(1234.5), format_number(None)) \
        == ("4", "0.143", "1230", "")
