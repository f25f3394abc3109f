"""Forest plots, one per claim with numbers: each testing outcome's estimate and interval on one
axis with the scale's direction, and the pooled estimate where one exists."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from build_tools.figures.base import INK, MUTED, WIDTH_IN, FigureData, Table, plain, plain_ticks
from build_tools.grade.claim_effects import ClaimEffects, EffectLine
from build_tools.grade.effects import RATIOS, Effect
from build_tools.grade.importance import on_ten_point_scale
from build_tools.grade.pooling import Pooled
from build_tools.records.model import Claim, Study
from build_tools.site.parts import study_label
from build_tools.text import number

if TYPE_CHECKING:  # matplotlib is imported only to draw (figures/base.py)
    from matplotlib.figure import Figure

TOP_IN, BOTTOM_IN, ROW_IN = 0.25, 0.75, 0.5  # figure height: margins and one row per estimate
LABEL_CHARS = 48  # row labels wrap at this width so they fit the left margin

# Axis families: what the x axis shows, its no-effect line, and whether it is logarithmic.
AXES = {
    "points": ("Mean difference, points on a 0-10 scale", 0.0, False),
    "standardised-mean-difference": ("Standardised mean difference", 0.0, False),
    "ratio": ("Risk or odds ratio (log scale)", 1.0, True),
    "risk-difference": ("Risk difference, percentage points", 0.0, False),
}
# How far from zero (or, on the ratio axis, from 1 either way, by factors) a plot can draw: past
# that an axis loses its scale (matplotlib's log axis overflows; near the largest float its
# transform cannot be inverted and drawing fails). No study reports numbers near it.
DRAWABLE = 1e6


@dataclass(frozen=True)
class Point:
    """One row of the plot: a label, the estimate and interval on the plot's axis."""

    label: str
    study: str | None
    value: float
    low: float | None
    high: float | None
    graded: bool
    pooled: bool = False


def _axis(line: EffectLine) -> str | None:
    """Which axis family a line's effect belongs on, or None when it has no place on one."""
    effect = line.effect
    if effect is None or effect.value is None or not effect.controlled:
        return None
    if effect.measure in RATIOS:
        return "ratio"
    if effect.measure in ("standardised-mean-difference", "risk-difference"):
        return effect.measure
    if effect.measure == "mean-difference" and _on_ten_points(effect) is not None:
        return "points"
    return None


def _on_ten_points(effect: Effect) -> tuple[float, float | None, float | None] | None:
    """A mean difference and its interval's ends on a 0-10 scale, or None when the scale is
    unknown or one of them is not a finite number there."""
    value = on_ten_point_scale(effect)
    if value is None:
        return None
    scale = 10.0 / float(effect.scale_max)  # type: ignore[arg-type]
    low, high = ((effect.interval.low * scale, effect.interval.high * scale)
                 if effect.interval else (None, None))
    return None if any(x is not None and not math.isfinite(x) for x in (low, high)) else (
        value, low, high)


def _point(line: EffectLine, label: str, family: str) -> Point:
    effect = line.effect
    on_points = _on_ten_points(effect) if family == "points" else None
    if on_points is not None:
        value, low, high = on_points
    else:
        value = effect.value
        low, high = (effect.interval.low, effect.interval.high) if effect.interval else (None, None)
    return Point(label, line.study, value, low, high, line.graded)


def _drawable(point: Point, log: bool) -> bool:
    """Whether a point's estimate and interval ends lie in the range the axis can draw."""
    ends = [x for x in (point.value, point.low, point.high) if x is not None]
    if log:
        return all(1 / DRAWABLE <= x <= DRAWABLE for x in ends)
    return all(abs(x) <= DRAWABLE for x in ends)


def build(claim: Claim, effects: ClaimEffects, studies: Mapping[str, Study]) -> FigureData | None:
    """The forest plot of one claim, or None when no testing outcome has a plottable number."""
    families: dict[str, list[EffectLine]] = {}
    for line in effects.numeric:
        family = _axis(line)
        if family:
            families.setdefault(family, []).append(line)
    if not families:
        return None
    family = max(families, key=lambda f: (any(line.graded for line in families[f]),
                                          len(families[f]), f))
    points = [_point(line, f"{study_label(studies[line.study])}, {plain(line.timepoint)}", family)
              for line in families[family]]
    pooled = effects.pooled
    if isinstance(pooled, Pooled) and (pooled.measure in RATIOS) == (family == "ratio"):
        points.append(Point(f"Pooled, {len(pooled.studies)} studies (random effects)", None,
                            pooled.value, pooled.interval.low, pooled.interval.high, True, True))
    label, null, log = AXES[family]
    drawn = [p for p in points if _drawable(p, log)]
    if not drawn:
        return None
    left_out = len(points) - len(drawn)
    points = drawn
    better = "left" if (null == 0 or log) else "right"
    rows = tuple((p.label, number(p.value, 3),
                  f"{number(p.low, 3)} to {number(p.high, 3)}" if p.low is not None else "none",
                  "pooled" if p.pooled else ("yes" if p.graded else "no: a higher tier decides"))
                 for p in points)
    others = sorted({_axis(line) for line in effects.numeric} - {family, None})
    notes = ((f"Estimates on another scale ({', '.join(others)}) are listed on the claim page, "
              "not drawn here.",) if others else ()) + (
        (f"{left_out} estimate(s) beyond the range this axis can draw (more than a million "
         f"{'times or less than a millionth' if log else 'units from zero'}) are listed on the "
         "claim page, not drawn here.",) if left_out else ())
    caption = (f"{label}; the vertical line marks no difference. For these outcomes lower is "
               f"better, so estimates to the {better} favour ketamine. Squares are graded "
               "studies, open circles studies a higher design tier sets aside, a diamond the "
               "pooled estimate; a marker without a line has no interval in its source.")
    name = f"forest-{claim.id}"
    return FigureData(name, f"Forest plot: {plain(claim.statement)}",
                      f"Forest plot of {len(points)} estimates for this claim on the scale: "
                      f"{label.lower()}.", caption,
                      (Table(f"Data of the forest plot ({label})",
                             ("Study and time point", "Estimate", "95% CI", "Graded"), rows,
                             tuple(p.study for p in points)),),
                      notes, (WIDTH_IN, TOP_IN + BOTTOM_IN + ROW_IN * len(points)),
                      {"points": tuple(points), "null": null, "log": log, "label": label})


def draw(fig: Figure, data: FigureData) -> None:
    """Estimates as markers with interval lines, top to bottom in the table's order."""
    points, null, log = data.plot["points"], data.plot["null"], data.plot["log"]
    height = data.size[1]
    ax = fig.add_axes((0.42, BOTTOM_IN / height, 0.54, 1 - (BOTTOM_IN + TOP_IN) / height))
    for row, p in enumerate(reversed(points)):
        if p.low is not None:
            ax.plot([p.low, p.high], [row, row], color=INK, linewidth=1.2)
        marker = "D" if p.pooled else ("s" if p.graded else "o")
        ax.plot([p.value], [row], marker=marker, markersize=8 if p.pooled else 6,
                color=INK, markerfacecolor=INK if (p.graded or p.pooled) else "white")
    ax.axvline(null, color=MUTED, linewidth=1, linestyle="--")
    if log:
        ax.set_xscale("log")
        plain_ticks(ax.xaxis)
    ax.set_yticks(range(len(points)))
    ax.set_yticklabels([textwrap.fill(p.label, LABEL_CHARS) for p in reversed(points)],
                       fontsize=8)
    ax.set_ylim(-0.7, len(points) - 0.3)
    ax.set_xlabel(data.plot["label"], color=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
