"""Summary-of-Findings tables: one table per outcome domain, one row per graded claim."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from build_tools.grade.rules import ClaimGrade, grade_claim
from build_tools.grade.vocabulary import DOMAIN_LABELS, VERDICT_WORDS
from build_tools.records.model import Claim, Corpus

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
    effect: str
    certainty: str | None
    footnotes: tuple[str, ...]


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


def _effect(claim: Claim, grade: ClaimGrade, corpus: Corpus) -> str:
    """The verdict in words, then each linked outcome's result with its numbers."""
    parts = []
    seen = set()
    for link in claim.evidence:
        study = corpus.studies.get(link.get("study"))
        key = (link.get("study"), link.get("outcome"))
        outcome = study.outcome(link["outcome"]) if study and link.get("outcome") else None
        if outcome is None or key in seen or link.get("study") not in grade.graded:
            continue  # set-aside (lower-tier) studies do not speak for the row
        seen.add(key)
        extra = "; ".join(f"{k} {outcome[k]}" for k in ("p", "ci") if outcome.get(k))
        text = f"{study.id} ({outcome['timepoint']}): {outcome['result'].rstrip('.')}"
        parts.append((key, text + (f" ({extra})" if extra else "")))
    words = VERDICT_WORDS[grade.verdict]
    if not parts:
        return f"{words}. No linked outcome reports numbers."
    return f"{words}. " + ". ".join(text for _, text in sorted(parts)) + "."


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


def _row(claim: Claim, grade: ClaimGrade, corpus: Corpus) -> SofRow:
    graded = set(grade.graded)
    designs = sorted({corpus.studies[link["study"]].design for link in claim.evidence
                      if link.get("study") in graded and link["study"] in corpus.studies})
    outcome = (claim.pico or {}).get("outcome") or _title(claim.domain or "other")
    return SofRow(outcome, TIMEFRAME_WORDS.get(claim.timeframe or "", "not specified"),
                  (claim.id,), grade.n_studies, grade.n_participants, tuple(designs),
                  _effect(claim, grade, corpus), grade.certainty, _footnotes(grade))


def summary_of_findings(corpus: Corpus, grades: Mapping[str, ClaimGrade]
                        ) -> tuple[SofTable, ...]:
    """SoF tables per outcome domain (known domains first, in TABLES order; rows by claim id)."""
    rows: dict[str, list[SofRow]] = {}
    for cid in sorted(corpus.claims):
        claim = corpus.claims[cid]
        if claim.type not in SOF_CLAIM_TYPES:
            continue
        grade = grades.get(cid) or grade_claim(claim, corpus.studies)
        rows.setdefault(table_key(claim), []).append(_row(claim, grade, corpus))
    order = list(TABLES) + sorted(k for k in rows if k not in TABLES)
    return tuple(SofTable(key, _title(key), tuple(rows[key])) for key in order if key in rows)
