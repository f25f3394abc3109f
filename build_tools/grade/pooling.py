"""Pooling comparable effects with a maintained library (statsmodels), or saying why not.

Only estimates that a meta-analysis could combine are pooled: at least two studies, the same
measure on the same scale, each against a control group, each with a variance from a 95% CI
or an SE. The random-effects estimate uses the DerSimonian-Laird between-study variance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from build_tools.grade.effects import RATIOS, Effect, Interval

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
    import numpy as np  # heavy imports, only when something is pooled
    from statsmodels.stats.meta_analysis import combine_effects

    ratio = group[0].measure in RATIOS
    values = np.array([math.log(e.value) if ratio else e.value for e in group], dtype=float)
    variances = np.array([e.variance for e in group], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):  # the random row when tau2 < 0
        result = combine_effects(values, variances, method_re="dl")
        intervals = result.conf_int(use_t=False)
    # DerSimonian-Laird truncates the between-study variance at 0; statsmodels 0.15 does not
    # (with Q below its degrees of freedom it weights by 1 / (v + a negative tau2), and with
    # identical estimates divides by zero). At tau2 = 0 the random-effects estimate and its
    # interval are the fixed-effect ones: rows [fixed, random, ...] of the result.
    tau2 = max(0.0, float(result.tau2))
    row = 1 if tau2 > 0 else 0
    low, high = intervals[row]
    estimate = result.mean_effect_re if row else result.mean_effect_fe
    if ratio:
        estimate, low, high = math.exp(estimate), math.exp(low), math.exp(high)
    return Pooled(group[0].measure, float(estimate), Interval(float(low), float(high), "ci95"),
                  tuple(e.study for e in group), i_squared(float(result.q), len(group) - 1),
                  tau2)


def i_squared(q: float, df: int) -> float:
    """Higgins and Thompson's I², truncated at 0: (Q - df) / Q, and 0 when Q is 0.

    statsmodels' own `i2` is 1 - df/Q untruncated: negative when Q < df (studies agreeing more
    closely than chance would have it) and minus infinity when the estimates are identical."""
    return max(0.0, (q - df) / q) if q > 0 else 0.0
