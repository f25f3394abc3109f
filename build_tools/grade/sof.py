"""Summary-of-Findings tables: one table per outcome domain, one row per graded claim."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from build_tools.grade.claim_effects import ClaimEffects
from build_tools.grade.effects import RATIOS
from build_tools.grade.pooling import Pooled
from build_tools.grade.rules import ClaimGrade, grade_claim
from build_tools.grade.vocabulary import DOMAIN_LABELS
from build_tools.records.model import Claim, Corpus
from build_tools.text import number

NOT_ESTIMABLE = "not estimable"

SOF_CLAIM_TYPES = ("efficacy", "duration", "safety")
# Table order and titles. Pain is split by time frame because that is where the trials and the
# web claims part ways (relief during the weeks after infusion versus lasting relief).
TABLES = {
    "pain-during-infusion": "Pain during infusion",
    "pain-short-term": "Pain, short term (up to 3 months)",
    "pain-beyond-3-months": "Pain beyond 3 months",
    "pain": "Pain, time frame not specified",
    "physical-function": "Physical function",
    "quality-of-life": "Quality of life",
    "emotional-function": "Emotional function",
    "global-impression": "Global impression of change",
    "signs-symptoms": "CRPS signs and symptoms",
    "opioid-use": "Opioid use",
    "sleep": "Sleep",
    "work-participation": "Work and participation",
    "adverse-events": "Adverse events",
}
TIMEFRAME_WORDS = {"during-infusion": "during infusion", "short-term": "up to 3 months",
                   "beyond-3-months": "beyond 3 months", "any": "any time"}


@dataclass(frozen=True)
class SofRow:
    """One row: a claim's outcome, body of evidence, effect, certainty and footnotes."""

    outcome: str
    timeframe: str
    claim_ids: tuple[str, ...]
    n_studies: int
    n_participants: int
    designs: tuple[str, ...]
    verdict: str
    relative: str  # ratios (risk or odds ratio) with their intervals, or "not estimable"
    absolute: str  # the effect in the outcome's units: differences, proportions, or words
    meaning: str  # against a minimal important difference where one applies, then plain words
    certainty: str | None
    footnotes: tuple[str, ...]
    unknown_size: tuple[str, ...] = ()


@dataclass(frozen=True)
class SofTable:
    """One outcome domain's table."""

    domain: str
    title: str
    rows: tuple[SofRow, ...]


def table_key(claim: Claim) -> str:
    """The table a claim joins: its outcome domain, pain split by time frame."""
    domain = claim.domain or ("adverse-events" if claim.type == "safety" else "other")
    if domain == "pain" and claim.timeframe in ("during-infusion", "short-term",
                                                "beyond-3-months"):
        return f"pain-{claim.timeframe}"
    return domain


def _title(key: str) -> str:
    return TABLES.get(key) or key.replace("-", " ").capitalize()


def _columns(effects: ClaimEffects | None, labels: Mapping[str, str]) -> tuple[str, str, str]:
    """(relative, absolute, importance) from the graded studies' numbers, GRADEpro's columns."""
    if effects is None or not effects.graded:
        return NOT_ESTIMABLE, "No graded study reports this outcome.", ""
    relative, absolute, importance = [], [], []
    for line in effects.graded:
        where = f"{labels.get(line.study, line.study)}, {line.timepoint}"
        target = relative if line.effect and line.effect.measure in RATIOS else absolute
        target.append(f"{where}: {line.text}")
        if line.importance:
            importance.append(f"{where}: {line.importance.words}")
    if isinstance(effects.pooled, Pooled):
        pooled = effects.pooled
        absolute.insert(0, f"Pooled ({len(pooled.studies)} studies, random effects): "
                           f"{number(pooled.value, 3)} (95% CI {number(pooled.interval.low, 3)} "
                           f"to {number(pooled.interval.high, 3)}); I² {round(100 * pooled.i2)}%")
    else:
        absolute.append(f"Not pooled: {effects.pooled.reason}")
    return ("; ".join(relative) or NOT_ESTIMABLE, "; ".join(absolute) or NOT_ESTIMABLE,
            "; ".join(importance))


def _footnotes(grade: ClaimGrade) -> tuple[str, ...]:
    """One footnote per domain that moved the certainty, curated ones marked as such."""
    notes = []
    for d in grade.domains:
        if d.applied == 0:
            continue
        sign = f"{d.applied:+d} level{'s' if abs(d.applied) > 1 else ''}"
        if d.curated is not None:
            notes.append(f"{DOMAIN_LABELS[d.domain]} ({sign}, reviewers' judgement): "
                         f"{d.curated_reason}")
        else:
            notes.append(f"{DOMAIN_LABELS[d.domain]} ({sign}): {d.reason}.")
    return tuple(notes)


def _row(claim: Claim, grade: ClaimGrade, corpus: Corpus, effects: ClaimEffects | None,
         labels: Mapping[str, str]) -> SofRow:
    graded = set(grade.graded)
    relative, absolute, importance = _columns(effects, labels)
    meaning = f"{importance}. {grade.plain}" if importance else grade.plain
    designs = sorted({corpus.studies[link["study"]].design for link in claim.evidence
                      if link.get("study") in graded and link["study"] in corpus.studies})
    outcome = (claim.pico or {}).get("outcome") or _title(claim.domain or "other")
    return SofRow(outcome, TIMEFRAME_WORDS.get(claim.timeframe or "", "not specified"),
                  (claim.id,), grade.n_studies, grade.n_participants, tuple(designs),
                  grade.verdict, relative, absolute, meaning, grade.certainty, _footnotes(grade),
                  grade.unknown_size)


def summary_of_findings(corpus: Corpus, grades: Mapping[str, ClaimGrade],
                        effects: Mapping[str, ClaimEffects] | None = None,
                        labels: Mapping[str, str] | None = None) -> tuple[SofTable, ...]:
    """SoF tables per outcome domain (known domains first, in TABLES order; rows by claim id).

    effects: each claim's numbers (claim_effects); labels: a display label per study id.
    """
    effects = effects or {}
    labels = labels or {}
    rows: dict[str, list[SofRow]] = {}
    for cid in sorted(corpus.claims):
        claim = corpus.claims[cid]
        if claim.type not in SOF_CLAIM_TYPES:
            continue
        grade = grades.get(cid) or grade_claim(claim, corpus.studies)
        rows.setdefault(table_key(claim), []).append(
            _row(claim, grade, corpus, effects.get(cid), labels))
    order = list(TABLES) + sorted(k for k in rows if k not in TABLES)
    return tuple(SofTable(key, _title(key), tuple(rows[key])) for key in order if key in rows)
