"""Effects in numbers: an outcome's structured effect read as printed, and the differences the
build derives from per-arm values (never typed twice), with an interval only when the spread
allows one and a reason when it does not."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

Z95 = 1.959963984540054  # two-sided 95% normal quantile
RATIOS = ("risk-ratio", "odds-ratio")
DIFFERENCES = ("mean-difference", "standardised-mean-difference", "risk-difference",
               "median-difference")
SINGLE_GROUP = ("mean", "median", "proportion", "mean-change")
INTERVAL_WORDS = {"ci95": "95% CI", "se": "± SE", "sd": "SD", "iqr": "IQR", "range": "range",
                  "unnamed": "interval of unnamed kind"}
COMPARATOR_WORDS = {"vs-placebo": "placebo", "vs-active": "the active comparator",
                    "pooled-vs-control": "control", "vs-baseline": "before treatment",
                    "pooled-vs-baseline": "before treatment"}


@dataclass(frozen=True)
class Interval:
    """The low and high ends of an estimate's interval, with what kind of interval it is."""

    low: float
    high: float
    kind: str  # a key of INTERVAL_WORDS


@dataclass(frozen=True)
class ArmValue:
    """One group's value as the source prints it."""

    arm: str
    role: str
    value: float | None
    n: int | None
    events: int | None


@dataclass(frozen=True)
class Effect:
    """One outcome's effect: what it measures, its value and interval, and where it comes from."""

    study: str
    outcome: str
    timepoint: str
    weeks: float | None
    comparison: str | None
    measure: str  # a measure of the schema, or a derived one (mean, median, median-difference)
    value: float | None
    interval: Interval | None
    derived: bool  # True when the build computed it from per-arm values
    why_no_interval: str | None
    arms: tuple[ArmValue, ...]
    scale: str
    scale_max: float | None
    lower_is_better: bool
    p: str | None
    variance: float | None  # of value (log scale for ratios), when an interval allows it

    @property
    def controlled(self) -> bool:
        """True when the effect compares with a control group (not with baseline)."""
        return self.comparison in ("vs-placebo", "vs-active", "pooled-vs-control")


def _arms(effect: Mapping) -> tuple[ArmValue, ...]:
    return tuple(ArmValue(a["arm"], a["role"], a.get("value"), a.get("n"), a.get("events"))
                 for a in effect.get("arms") or ())


def _se_from(spread: Mapping | None, n: int | None) -> float | None:
    """A standard error from an SD (with n) or an SE; None for any other or unnamed spread."""
    if not spread or spread.get("value") is None:
        return None
    if spread.get("kind") == "se":
        return float(spread["value"])
    if spread.get("kind") == "sd" and n:
        return float(spread["value"]) / math.sqrt(n)
    return None


def _interval_of(effect: Mapping, ratio: bool) -> tuple[Interval | None, float | None, str | None]:
    """The printed estimate's interval, the variance it implies, and a reason when there is none."""
    spread = effect.get("interval")
    if not spread:
        return None, None, "the source gives no interval"
    kind = spread.get("kind", "unnamed")
    if kind == "se" and spread.get("value") is not None:
        se = float(spread["value"])
        value = float(effect["estimate"])
        if ratio:
            return None, None, "an SE of a ratio is not given on the log scale"
        return Interval(value - Z95 * se, value + Z95 * se, "ci95"), se * se, None
    if spread.get("low") is None or spread.get("high") is None:
        return None, None, f"the source gives only a {INTERVAL_WORDS.get(kind, kind)} value"
    interval = Interval(float(spread["low"]), float(spread["high"]), kind)
    if kind != "ci95":
        return interval, None, None
    if interval.low > interval.high:  # `evidence check` reports it (E317); nothing derived
        return interval, None, "the interval's ends are reversed"
    if ratio:
        if interval.low <= 0 or interval.high <= 0:
            return interval, None, None
        se = (math.log(interval.high) - math.log(interval.low)) / (2 * Z95)
    else:
        se = (interval.high - interval.low) / (2 * Z95)
    return interval, se * se, None


def _from_arms(measure: str, arms: tuple[ArmValue, ...], raw: Mapping
               ) -> tuple[str, float | None, Interval | None, str | None, float | None]:
    """(measure, value, interval, reason, variance) derived from per-arm values."""
    spreads = {a["role"]: a.get("spread") for a in raw.get("arms") or ()}
    by_role = {a.role: a for a in arms}
    single = {"mean-per-arm": "mean", "median-per-arm": "median",
              "proportion-per-arm": "proportion"}[measure]
    if set(by_role) != {"intervention", "comparator"}:
        only = next(iter(by_role.values()), None)
        return single, only.value if only else None, None, None, None
    treated, control = by_role["intervention"], by_role["comparator"]
    if treated.value is None or control.value is None:
        return single, None, None, "a group's value is not reported", None
    value = treated.value - control.value
    if measure == "median-per-arm":
        return "median-difference", value, None, "a difference of medians has no interval " \
               "without the data", None
    if measure == "proportion-per-arm":
        return "risk-difference", value, *_proportion_interval(treated, control)
    ses = (_se_from(spreads.get("intervention"), treated.n),
           _se_from(spreads.get("comparator"), control.n))
    if None in ses:
        kinds = {(spreads.get(r) or {}).get("kind") for r in ("intervention", "comparator")}
        why = ("the ± measure is not named in the source" if "unnamed" in kinds else
               "the group sizes or spreads needed for an interval are not reported")
        return "mean-difference", value, None, why, None
    se = math.hypot(*ses)
    return ("mean-difference", value, Interval(value - Z95 * se, value + Z95 * se, "ci95"),
            None, se * se)


def _proportion_interval(treated: ArmValue, control: ArmValue
                         ) -> tuple[Interval | None, str | None, float | None]:
    """A Wald interval for a risk difference in percentage points, only from printed counts."""
    if None in (treated.events, treated.n, control.events, control.n) or not (
            treated.n and control.n):
        return None, "event counts are not reported, only percentages", None
    if not all(0 <= a.events <= a.n for a in (treated, control)):  # type: ignore[operator]
        return None, "the event counts do not fit the group sizes", None
    p1, p2 = treated.events / treated.n, control.events / control.n
    se = 100 * math.sqrt(p1 * (1 - p1) / treated.n + p2 * (1 - p2) / control.n)
    value = 100 * (p1 - p2)
    return Interval(value - Z95 * se, value + Z95 * se, "ci95"), None, se * se


def read_effect(study_id: str, outcome: Mapping) -> Effect | None:
    """The outcome's effect as printed, and derived from per-arm values where it has them."""
    raw = outcome.get("effect")
    if not raw:
        return None
    arms = _arms(raw)
    measure = raw["measure"]
    if measure.endswith("-per-arm"):
        measure, value, interval, why, variance = _from_arms(measure, arms, raw)
        derived = value is not None and measure in DIFFERENCES
    else:
        value = float(raw["estimate"]) if raw.get("estimate") is not None else None
        interval, variance, why = _interval_of(raw, measure in RATIOS) if value is not None \
            else (None, None, "no estimate is printed")
        derived = False
    return Effect(study_id, outcome["id"], str(outcome.get("timepoint", "")),
                  outcome.get("weeks"), outcome.get("comparison"), measure, value, interval,
                  derived, why, arms, raw["scale"], raw.get("scale_max"),
                  bool(raw["lower_is_better"]), raw.get("p") or outcome.get("p"), variance)
