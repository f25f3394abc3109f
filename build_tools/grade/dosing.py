"""Dose normalisation: a study's structured intervention fields on one mg/kg/h scale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from build_tools.text import number

REFERENCE_WEIGHT_KG = 70.0
UG_KG_MIN_TO_MG_KG_H = 0.06  # 1 ug/kg/min = 60 ug/kg/h = 0.06 mg/kg/h

# Unit -> (factor to mg/kg/h, the assumption that factor rests on, or "" when exact).
RATE_UNITS: dict[str, tuple[float, str]] = {
    "mg/kg/h": (1.0, ""),
    "mg/h": (1 / REFERENCE_WEIGHT_KG,
             "mg/h divided by a 70 kg reference weight (the source gives no per-kg rate)"),
    "mg/h/70kg": (1 / REFERENCE_WEIGHT_KG, "mg/h per 70 kg divided by 70 kg"),
    "ug/kg/min": (UG_KG_MIN_TO_MG_KG_H, ""),
}


@dataclass(frozen=True)
class Normalised:
    """An intervention's dose on the mg/kg/h scale, with every assumption the numbers rest on."""

    mg_per_kg_h_min: float | None = None
    mg_per_kg_h_max: float | None = None
    total_hours: float | None = None
    days: float | None = None
    cumulative_mg_per_kg_max: float | None = None
    assumptions: tuple[str, ...] = ()

    @property
    def has_rate(self) -> bool:
        """True when at least one end of the rate range is known."""
        return self.mg_per_kg_h_min is not None or self.mg_per_kg_h_max is not None


def _num(value: Any) -> float | None:
    """A number as float, or None for anything else (booleans are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _rate(iv: Mapping, assumptions: list[str]) -> tuple[float | None, float | None]:
    """The min and max rate in mg/kg/h from `rate`, or from dose per session over its hours."""
    rate = iv.get("rate")
    if isinstance(rate, Mapping):
        unit = rate.get("unit")
        if unit in RATE_UNITS:
            factor, why = RATE_UNITS[unit]
            if why:
                assumptions.append(why)
            low, high = _num(rate.get("min")), _num(rate.get("max"))
            return (None if low is None else low * factor, None if high is None else high * factor)
        if unit == "mg/kg":
            assumptions.append("dose given as mg/kg boluses, not a rate: not converted")
            return None, None
    dose, hours = iv.get("dose_per_session_mg"), _num(iv.get("hours_per_session"))
    if isinstance(dose, Mapping) and hours:
        low, high = _num(dose.get("min")), _num(dose.get("max"))
        if low is not None or high is not None:
            assumptions.append("average rate: mg per session divided by hours per session and "
                               "by a 70 kg reference weight")
            scale = 1 / (hours * REFERENCE_WEIGHT_KG)
            return (None if low is None else low * scale, None if high is None else high * scale)
    return None, None


def _duration(iv: Mapping, assumptions: list[str]) -> tuple[float | None, float | None]:
    """Total infusion hours and days of treatment from sessions, hours and continuous days."""
    hours, sessions = _num(iv.get("hours_per_session")), _num(iv.get("sessions"))
    continuous = _num(iv.get("continuous_days"))
    regimen = iv.get("regimen")
    total = days = None
    if continuous is not None:
        total, days = continuous * 24, continuous
    elif hours is not None and sessions is not None:
        total = hours * sessions
    elif hours is not None and regimen == "single-infusion":
        total, sessions = hours, 1.0
        assumptions.append("single infusion: one session")
    if days is None and sessions is not None and regimen == "intermittent-daily":
        days = sessions
        assumptions.append("one session per day")
    elif days is None and sessions == 1 and total is not None and total <= 24:
        days = 1.0
    return total, days


# Normalised doses of frozen record data (immutable), by identity: a preview asks for every
# study's dose several times per edit (dosing map, studies table, dosing page). Holding the
# mapping keeps its identity unique; cleared when large, so memory stays bounded.
_FROZEN: dict[int, tuple[MappingProxyType, Normalised]] = {}


def normalise(intervention: Mapping | None) -> Normalised:
    """Rates in mg/kg/h, total hours, days and an upper-bound cumulative mg/kg, with assumptions."""
    if isinstance(intervention, MappingProxyType):
        known = _FROZEN.get(id(intervention))
        if known is None or known[0] is not intervention:
            if len(_FROZEN) > 50_000:
                _FROZEN.clear()
            known = _FROZEN[id(intervention)] = (intervention, _normalise(intervention))
        return known[1]
    return _normalise(intervention)


def _normalise(intervention: Mapping | None) -> Normalised:
    """normalise() itself."""
    if not isinstance(intervention, Mapping):
        return Normalised()
    assumptions: list[str] = []
    low, high = _rate(intervention, assumptions)
    total, days = _duration(intervention, assumptions)
    cumulative = None
    top = high if high is not None else low
    if top is not None and total is not None:
        cumulative = top * total
        assumptions.append("cumulative dose is an upper bound: the highest rate times the total "
                           "hours")
    return Normalised(_round(low), _round(high), _round(total), _round(days), _round(cumulative),
                      tuple(assumptions))


def _round(value: float | None) -> float | None:
    """Round to 4 significant figures so output is stable and free of float noise."""
    if value is None:
        return None
    return float(f"{value:.4g}")


def format_number(value: float | None) -> str:
    """A number for display: integers as they are, others to 3 significant figures; '' for None."""
    return number(value, 3)


def format_range(low: float | None, high: float | None) -> str:
    """'0.1–0.35', 'up to 0.35', 'from 0.1' or '' for a min/max pair."""
    if low is not None and high is not None:
        return format_number(low) if low == high else f"{format_number(low)}–{format_number(high)}"
    if high is not None:
        return f"up to {format_number(high)}"
    if low is not None:
        return f"from {format_number(low)}"
    return ""
