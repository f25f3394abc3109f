"""The studies a claim is graded on: testing links merged per study, their design tier, their
risk of bias and their share of the body (in participants of known number and in studies)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from build_tools.grade.vocabulary import CERTAINTY_ORDER, STANCES, SYNTHESES
from build_tools.records.model import Claim, Study

HIGH_RISK_OF_BIAS = ("high", "serious", "critical")
# A study that starts High or Low needs a risk-of-bias judgement; these values are none.
NO_JUDGEMENT = (None, "no-information", "not-applicable", "not-reported")
# Starting level by design. Designs in CONTROL_DEPENDENT start Low only when a linked outcome
# compares against a concurrent or pooled control, else Very low; every other design: Very low.
RANDOMISED = ("rct", "crossover-rct")
CONTROLLED = ("nonrandomised-controlled", "secondary-analysis")
CONTROL_DEPENDENT = ("prospective-cohort", "retrospective-cohort", "systematic-review",
                     "meta-analysis", "overview-of-reviews", "health-technology-assessment")
CONTROLLED_COMPARISONS = ("vs-placebo", "vs-active", "pooled-vs-control")
@dataclass(frozen=True)
class Linked:
    """One testing study as the rules see it: its links merged into one stance and directness."""

    id: str
    design: str
    stance: str
    direct: bool
    n: int | None  # None: the record gives no count (never read as 0)
    controlled: bool
    high_risk: bool
    rob_reason: str


def _high_risk(study: Study, controlled: bool) -> tuple[bool, str]:
    """Whether a study counts as high risk of bias, and why when it has no judgement."""
    overall = (study.risk_of_bias or {}).get("overall")
    if overall in HIGH_RISK_OF_BIAS:
        return True, f"judged {overall}"
    needs_one = study.design in RANDOMISED + CONTROLLED or (
        controlled and study.design in CONTROL_DEPENDENT and study.design not in SYNTHESES)
    if needs_one and overall in NO_JUDGEMENT:
        return True, "no risk-of-bias judgement, counted as high"
    return False, f"judged {overall}" if overall else "not judged"


def linked_studies(claim: Claim, studies: Mapping[str, Study], role: str = "tests"
                   ) -> tuple[Linked, ...]:
    """Each study linked in that role once, sorted by id; unknown studies are E301's business."""
    by_id: dict[str, list[Any]] = {}
    for link in claim.evidence:
        if (link.get("role", "tests") == role and link.get("stance") in STANCES
                and link.get("study") in studies):
            by_id.setdefault(link["study"], []).append(link)
    out = []
    for sid in sorted(by_id):
        study, links = studies[sid], by_id[sid]
        # Inconclusive links cannot decide the claim, so the decisive ones set the stance;
        # a study whose own links both support and refute counts as inconclusive.
        decisive = {lk["stance"] for lk in links} - {"inconclusive"}
        stance = decisive.pop() if len(decisive) == 1 else "inconclusive"
        outcomes = [study.outcome(lk["outcome"]) for lk in links if lk.get("outcome")]
        controlled = any(o and o.get("comparison") in CONTROLLED_COMPARISONS for o in outcomes)
        high, why = _high_risk(study, controlled)
        out.append(Linked(sid, study.design, stance,
                          any(lk.get("directness") == "direct" for lk in links), study.n,
                          controlled, high, why))
    return tuple(out)


def start_level(design: str, controlled: bool) -> str:
    """The GRADE starting level of one study design."""
    if design in RANDOMISED:
        return "high"
    if design in CONTROLLED or (design in CONTROL_DEPENDENT and controlled):
        return "low"
    return "very-low"


def ids_of(items: tuple[Linked, ...] | list[Linked]) -> str:
    return ", ".join(s.id for s in items)


@dataclass(frozen=True)
class Share:
    """A part of the body counted in participants and in studies; `over` compares both."""

    known_part: int
    known_total: int
    studies_part: int
    studies_total: int
    unknown: tuple[str, ...]

    def at_least_half(self, strictly: bool = False) -> bool:
        """The conservative reading: true when either count reaches half (or passes it)."""
        def reaches(part: int, total: int) -> bool:
            return total > 0 and (2 * part > total if strictly else 2 * part >= total)
        by_studies = reaches(self.studies_part, self.studies_total)
        if not self.unknown:
            return reaches(self.known_part, self.known_total)
        return reaches(self.known_part, self.known_total) or by_studies

    def sentence(self, what: str) -> str:
        """'19 of 79 participants (24%) come from …', with the per-study count when N is unknown."""
        studies = (f"{self.studies_part} of {self.studies_total} studies "
                   f"({round(100 * self.studies_part / self.studies_total)}%)")
        if self.known_total == 0:
            return f"{studies} {what}; no graded study reports its participants"
        people = (f"{self.known_part} of {self.known_total} participants of known number "
                  f"({round(100 * self.known_part / self.known_total)}%)")
        if not self.unknown:
            return f"{people} {what}".replace(" of known number", "")
        return (f"{people} and {studies} {what} ({', '.join(self.unknown)}: size unknown, so the "
                "more conservative of the two shares applies)")


def share(body: tuple[Linked, ...], part: tuple[Linked, ...]) -> Share:
    """The part's share of the body, in known participants and in studies."""
    return Share(sum(s.n or 0 for s in part), sum(s.n or 0 for s in body), len(part), len(body),
                 tuple(s.id for s in body if s.n is None))


def size_text(body: tuple[Linked, ...]) -> str:
    """'79 participants in 2 studies' or 'at least 60 participants … (size unknown: x)'."""
    known = sum(s.n or 0 for s in body)
    count = f"{len(body)} {'study' if len(body) == 1 else 'studies'}"
    unknown = [s.id for s in body if s.n is None]
    if not unknown:
        return f"{known} participants in {count}"
    return (f"{known} participants of known number in {count} ({', '.join(unknown)}: size "
            "unknown, so the total is at least this and is judged on what is known)")


def best_tier(linked: tuple[Linked, ...]) -> tuple[tuple[Linked, ...], tuple[Linked, ...]]:
    """(graded body, set-aside studies): the highest design tier present decides.

    As in GRADE, the conclusion rests on the best available evidence. A trial's null or
    inconclusive result stays in the grade and weighs against "supported"; a lower tier is
    listed, never weighed against it, and never decides in its place.
    """
    levels = {s: start_level(s.design, s.controlled) for s in linked}
    for level in reversed(CERTAINTY_ORDER):
        tier = tuple(s for s in linked if levels[s] == level)
        if tier:
            return tier, tuple(s for s in linked if s not in tier)
    return (), ()
