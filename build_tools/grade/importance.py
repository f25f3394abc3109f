"""What a pain difference means: IMMPACT's thresholds for a clinically important change.

IMMPACT (Dworkin RH, et al. Interpreting the clinical importance of treatment outcomes in chronic
pain clinical trials: IMMPACT recommendations. J Pain. 2008;9(2):105-121,
doi:10.1016/j.jpain.2007.09.005) gives, for pain intensity on a 0-10 numerical rating scale,
about 1 point (10-20%) as a minimally important change, 2 points (about 30%) as a moderately
important change and 4 points (50% or more) as a substantial change; Farrar et al. (Pain.
2001;94(2):149-158, PubMed 11690728) found about 2 points or 30% to mark a clinically important
difference. These describe change in one patient; a difference between group means is judged
against them here as a yardstick, not as proof that patients felt the difference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from build_tools.grade.effects import Effect

MINIMAL_POINTS = 1.0
MODERATE_POINTS = 2.0
SUBSTANTIAL_POINTS = 4.0
SOURCES = (
    ("IMMPACT recommendations, Dworkin et al. 2008", "https://doi.org/10.1016/j.jpain.2007.09.005"),
    ("Farrar et al. 2001", "https://pubmed.ncbi.nlm.nih.gov/11690728/"),
)


@dataclass(frozen=True)
class Importance:
    """A difference on a 0-10 pain scale placed against the thresholds, in words."""

    points: float  # the difference on a 0-10 scale (negative: less pain)
    level: str  # below-minimal, minimal, moderate, substantial
    words: str


def on_ten_point_scale(effect: Effect) -> float | None:
    """The effect as points on a 0-10 scale, for a mean difference on a known pain scale."""
    if effect.measure not in ("mean-difference", "median-difference") or effect.value is None:
        return None
    if not effect.scale_max:
        return None
    points = effect.value * 10.0 / float(effect.scale_max)
    return points if math.isfinite(points) else None  # an absurd scale: no place on 0-10


def pain_importance(effect: Effect) -> Importance | None:
    """How a pain difference compares with IMMPACT's thresholds; None when it cannot be judged."""
    points = on_ten_point_scale(effect)
    if points is None or not effect.lower_is_better:
        return None
    size = abs(points)
    if size >= SUBSTANTIAL_POINTS:
        level, words = "substantial", "at or above the 4-point threshold for a substantial change"
    elif size >= MODERATE_POINTS:
        level, words = "moderate", "above the 2-point threshold for a moderately important change"
    elif size >= MINIMAL_POINTS:
        level, words = "minimal", ("between the 1-point (minimally important) and 2-point "
                                   "(moderately important) thresholds")
    else:
        level, words = "below-minimal", "below the 1-point threshold for a minimally important change"
    return Importance(points, level, f"{words} (IMMPACT, for one patient's change)")
