"""Pooling comparable effects (DerSimonian-Laird random effects), or saying why not.

Only estimates that a meta-analysis could combine are pooled: at least two studies, the same
measure on the same scale, each against a control group, each with a variance from a 95% CI
or an SE. The random-effects estimate uses the DerSimonian-Laird between-study variance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from build_tools.grade.effects import RATIOS, Z95, Effect, Interval

MIN_STUDIES = 2


@dataclass(frozen=True)
class Pooled:
    """A random-effects estimate with its 95% CI and heterogeneity."""

    measure: str
    value: float
    interval: Interval
    studies: tuple[str, ...]
    i2: float  # share of variability due to heterogeneity, 0-1
    tau2: float


@dataclass(frozen=True)
class NotPooled:
    """Why the effects were not pooled."""

    reason: str


def _key(effect: Effect) -> tuple:
    """What must match for two effects to be pooled."""
    return (effect.measure, effect.scale_max if effect.measure == "mean-difference" else None,
            effect.lower_is_better)


def comparable(effects: Sequence[Effect]) -> tuple[list[Effect], str | None]:
    """The largest group of poolable effects (one per study), or a reason there is none."""
    # A ratio at or below zero has no logarithm (`evidence check` reports it: E317).
    usable = [e for e in effects if e.value is not None and e.controlled and e.variance
              and (e.value > 0 or e.measure not in RATIOS)]
    if not usable:
        return [], "no study gives a controlled estimate with an interval"
    groups: dict[tuple, dict[str, Effect]] = {}
    for effect in sorted(usable, key=lambda e: (e.study, e.outcome)):
        groups.setdefault(_key(effect), {}).setdefault(effect.study, effect)
    best = max(groups.values(), key=len)
    if len(best) < MIN_STUDIES:
        return [], (f"only {len(best)} study gives a comparable controlled estimate with an "
                    "interval; pooling needs at least two")
    return list(best.values()), None


def pool(effects: Sequence[Effect]) -> Pooled | NotPooled:
    """Random-effects (DerSimonian-Laird) pooling of comparable effects, or the reason not."""
    group, why = comparable(effects)
    if why:
        return NotPooled(why)
    ratio = group[0].measure in RATIOS
    values = [math.log(e.value) if ratio else float(e.value) for e in group]  # type: ignore[arg-type]
    too_extreme = NotPooled("the studies' estimates or variances are too extreme to pool")
    try:  # Python's float ** and math.exp raise on overflow where * gives inf
        fit = dersimonian_laird(values, [float(e.variance) for e in group])  # type: ignore[arg-type]
        estimate, low, high = (fit.estimate, fit.estimate - Z95 * fit.se,
                               fit.estimate + Z95 * fit.se)
        if ratio:
            estimate, low, high = math.exp(estimate), math.exp(low), math.exp(high)
    except (OverflowError, ZeroDivisionError):
        return too_extreme
    if not all(map(math.isfinite, (estimate, low, high, fit.tau2, fit.i2))):
        return too_extreme
    return Pooled(group[0].measure, estimate, Interval(low, high, "ci95"),
                  tuple(e.study for e in group), fit.i2, fit.tau2)


@dataclass(frozen=True)
class Fit:
    """A random-effects fit: the estimate and its standard error, tau2 and I²."""

    estimate: float
    se: float
    tau2: float
    i2: float


def dersimonian_laird(values: Sequence[float], variances: Sequence[float]) -> Fit:
    """DerSimonian and Laird's random-effects estimate (1986), as metafor's rma(method="DL").

    Written out rather than taken from statsmodels: its combine_effects (0.15) leaves the
    between-study variance negative when Q < df, weighting each study by 1 / (v + tau2) with a
    negative tau2 (an interval too narrow; NaN for identical estimates), and its I² negative.
    """
    weights = [1 / v if v else math.inf for v in variances]
    total = sum(weights)
    fixed = sum(w * y for w, y in zip(weights, values, strict=True)) / total
    q = sum(w * (y - fixed) ** 2 for w, y in zip(weights, values, strict=True))
    df = len(values) - 1
    c = total - sum(w * w for w in weights) / total
    tau2 = max(0.0, (q - df) / c) if c > 0 else 0.0
    random = [1 / (v + tau2) for v in variances]
    estimate = sum(w * y for w, y in zip(random, values, strict=True)) / sum(random)
    return Fit(estimate, math.sqrt(1 / sum(random)), tau2, i_squared(q, df))


def i_squared(q: float, df: int) -> float:
    """Higgins and Thompson's I², truncated at 0: (Q - df) / Q, and 0 when Q is 0."""
    return max(0.0, (q - df) / q) if q > 0 else 0.0
