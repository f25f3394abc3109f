"""A claim's effect in numbers: each testing outcome's effect in words, what a pain difference
means, and the pooled estimate (or why there is none)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from build_tools.grade.effects import COMPARATOR_WORDS, INTERVAL_WORDS, Effect, read_effect
from build_tools.grade.importance import Importance, pain_importance
from build_tools.grade.pooling import NotPooled, Pooled, pool
from build_tools.grade.vocabulary import SYNTHESES
from build_tools.records.model import Claim, Study
from build_tools.text import number

# How an outcome without numbers reads, by its direction: against a control group, against the
# patients' own baseline, for a harm, or as a description.
if TYPE_CHECKING:
    from build_tools.grade.rules import ClaimGrade

DIRECTION_WORDS = {
    "controlled": {"benefit": "better with ketamine than with {c}",
                   "no-difference": "no significant difference from {c}",
                   "harm": "worse with ketamine than with {c}", "mixed": "mixed against {c}"},
    "baseline": {"benefit": "better than before treatment",
                 "no-difference": "no significant change from before treatment",
                 "harm": "worse than before treatment", "mixed": "mixed change from baseline"},
    "harms": {"benefit": "less frequent with ketamine than with {c}",
              "no-difference": "no significant difference from {c}",
              "harm": "more frequent with ketamine than with {c}", "mixed": "mixed against {c}"},
    "descriptive": {"benefit": "reported as favourable", "no-difference": "no change reported",
                    "harm": "harm reported", "mixed": "mixed results reported"},
}


@dataclass(frozen=True)
class EffectLine:
    """One testing outcome of a claim, its numbers in words."""

    study: str
    outcome: str
    timepoint: str
    weeks: float | None
    text: str
    effect: Effect | None
    importance: Importance | None
    graded: bool  # in the graded tier (else set aside by a higher tier)


@dataclass(frozen=True)
class ClaimEffects:
    """Every testing outcome's numbers, the pooled estimate, and the headline in plain numbers."""

    lines: tuple[EffectLine, ...]
    pooled: Pooled | NotPooled

    @property
    def graded(self) -> tuple[EffectLine, ...]:
        """The lines of the graded studies, in time order."""
        return tuple(line for line in self.lines if line.graded)

    @property
    def numeric(self) -> tuple[EffectLine, ...]:
        """The lines that carry a number (for the forest figure)."""
        return tuple(line for line in self.lines if line.effect and line.effect.value is not None)


def _interval_text(effect: Effect) -> str:
    if effect.interval is None:
        return f"; no interval: {effect.why_no_interval}" if effect.why_no_interval else ""
    low, high = number(effect.interval.low, 3), number(effect.interval.high, 3)
    return f" ({INTERVAL_WORDS.get(effect.interval.kind, effect.interval.kind)} {low} to {high})"


def _arms_text(effect: Effect, unit: str = "") -> str:
    values = [a for a in effect.arms if a.value is not None]
    return " vs ".join(f"{number(a.value, 3)}{unit}" for a in values)


def effect_text(effect: Effect) -> str:
    """The effect in words and numbers, e.g. '2.77 points lower on NRS 0-10 than placebo'."""
    v = effect.value
    against = COMPARATOR_WORDS.get(effect.comparison or "", "the comparator")
    if v is None:
        return f"not computable ({effect.why_no_interval})"
    if effect.measure in ("mean-difference", "median-difference"):
        unit = "points " if effect.scale_max else ""
        what = "median " if effect.measure == "median-difference" else ""
        text = (f"{what}{number(abs(v), 3)} {unit}{'lower' if v < 0 else 'higher'} on "
                f"{effect.scale} than {against}")
        if effect.derived:
            text += f" ({_arms_text(effect)})"
    elif effect.measure == "risk-difference":
        more = "more" if v > 0 else "fewer"
        text = (f"{_arms_text(effect, '%')} with ketamine vs {against} ({number(abs(v), 3)} "
                f"percentage points {more})")
    elif effect.measure in ("risk-ratio", "odds-ratio", "standardised-mean-difference"):
        name = {"risk-ratio": "risk ratio", "odds-ratio": "odds ratio",
                "standardised-mean-difference": "standardised mean difference"}[effect.measure]
        text = f"{name} {number(v, 3)} against {against}"
    elif effect.measure == "proportion":
        text = f"{number(v, 3)}% ({effect.scale})" if effect.scale != "percent" else \
            f"{number(v, 3)}%"
    elif effect.measure == "mean-change":
        text = f"mean change {number(v, 3)} on {effect.scale} from before treatment"
    else:  # one group's mean or median
        text = f"{effect.measure} {number(v, 3)} on {effect.scale}"
    text += _interval_text(effect)
    return text + (f"; P {effect.p}" if effect.p else "")


def _outcome_text(outcome: Mapping) -> str:
    """An outcome without structured numbers: its direction and P value in words."""
    comparison = outcome.get("comparison") or ""
    against = COMPARATOR_WORDS.get(comparison, "the comparator")
    if comparison in ("vs-baseline", "pooled-vs-baseline"):
        frames = DIRECTION_WORDS["baseline"]
    elif comparison not in ("vs-placebo", "vs-active", "pooled-vs-control"):
        frames = DIRECTION_WORDS["descriptive"]
    else:
        frames = DIRECTION_WORDS["harms" if outcome.get("domain") == "adverse-events"
                                 else "controlled"]
    frame = frames.get(outcome.get("direction"), "direction not reported")
    text = frame.format(c=against) + "; no numbers reported"
    return text + (f"; P {outcome['p']}" if outcome.get("p") else "")


def claim_effects(claim: Claim, grade: ClaimGrade, studies: Mapping[str, Study]) -> ClaimEffects:
    """The numbers of every outcome a claim's testing links name, graded tier first."""
    lines = []
    for link in claim.evidence:
        study = studies.get(link.get("study"))
        if link.get("role") != "tests" or study is None or not link.get("outcome"):
            continue
        outcome = study.outcome(link["outcome"])
        if outcome is None:
            continue
        effect = read_effect(study.id, outcome)
        importance = pain_importance(effect) if effect and claim.domain == "pain" else None
        lines.append(EffectLine(study.id, outcome["id"], str(outcome.get("timepoint", "")),
                                outcome.get("weeks"),
                                effect_text(effect) if effect else _outcome_text(outcome),
                                effect, importance, study.id in grade.graded))
    unique = {(line.study, line.outcome): line for line in lines}
    ordered = sorted(unique.values(), key=lambda line: (
        not line.graded, line.weeks if line.weeks is not None else 999, line.study, line.outcome))
    # A synthesis's pooled estimate is shown as it is, never pooled again: its trials overlap
    # with the other syntheses' and with the trials linked in their own right.
    primary = [line.effect for line in ordered if line.graded and line.effect
               and studies[line.study].design not in SYNTHESES]
    pooled = pool(primary)
    if isinstance(pooled, NotPooled) and len(primary) < len([line for line in ordered
                                                            if line.graded and line.effect]):
        pooled = NotPooled(pooled.reason + "; the reviews' own pooled estimates are shown as "
                           "they are, never pooled again (their trials overlap)")
    return ClaimEffects(tuple(ordered), pooled)
