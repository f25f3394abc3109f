"""The scan index: every claim's phrasings as weighted term vectors, with its verdict."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from build_tools.scan.lexicon import CONCEPT_MARK, Lexicon
from build_tools.scan.terms import Terms, terms_of

if TYPE_CHECKING:  # types only: the index is handed graded records, it grades nothing
    from build_tools.grade.rules import ClaimGrade
    from build_tools.records.model import Claim, Corpus

Vector = Mapping[str, float]
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s(?:whereas|but|so)\s")


@dataclass(frozen=True)
class ClaimEntry:
    """One claim as the matcher sees it."""

    id: str
    statement: str
    verdict: str
    certainty: str | None
    plain: str
    # The statement is negative ("no improvement in function"); None when its clauses disagree.
    negated: bool | None
    phrasings: tuple[Vector, ...]  # unit vectors, the statement first
    centroid: Vector  # unit vector of all phrasings together
    core: tuple[str, ...]  # the statement's concepts (empty: it has none)


@dataclass(frozen=True)
class ScanIndex:
    """Claims, term rarities and the lexicon: all the matcher needs."""

    lexicon: Lexicon
    idf: Mapping[str, float]
    unknown_idf: float
    claims: tuple[ClaimEntry, ...]


def phrasings(claim: Claim, exclude_sources: Collection[str] = ()) -> list[str]:
    """Every wording of a claim the base holds: statement, paraphrases, outcome, domain.

    exclude_sources leaves out the paraphrases of those sources (the evaluation leaves out the
    source of the text it scores, so a text is never matched against its own paraphrase).
    """
    texts = [claim.statement]
    texts += [str(a["paraphrase"]) for a in claim.asserted_by
              if a.get("paraphrase") and a.get("source") not in exclude_sources]
    # An attribution claim lists, point by point, what its sources assert about the study.
    checks = [str(c["asserted"]) for c in (claim.attribution or {}).get("checks", ())
              if c.get("asserted")]
    if checks:
        texts.append("; ".join(checks))
    return texts


def descriptions(claim: Claim) -> list[str]:
    """What a claim is about without asserting it (its PICO outcome): these widen the claim's
    centroid but never stand alone as its nearest phrasing."""
    outcome = (claim.pico or {}).get("outcome")
    return [str(outcome)] if outcome else []


def weigh(bag: Collection[str], idf: Mapping[str, float], unknown: float,
          concept_weight: float, damping: float = 0.0) -> dict[str, float]:
    """A vector of rarity weights (concepts weigh more), terms in sorted order, normalised to
    unit length together with `damping`, a weight that stands for no term."""
    raw = {t: idf.get(t, unknown) * (concept_weight if t.startswith(CONCEPT_MARK) else 1.0)
           for t in sorted(bag)}
    squares = 0.0
    for w in raw.values():  # a plain loop, not sum(): Python 3.12's sum() compensates, JS does not
        squares += w * w
    norm = math.sqrt(squares + damping * damping)
    return {t: w / norm for t, w in raw.items()} if norm else {}


def core_concepts(terms: Terms) -> tuple[str, ...]:
    """The concepts of a statement, in sorted order: what the claim is about."""
    return tuple(sorted(t for t in terms.bag if t.startswith(CONCEPT_MARK)))


def direction(statement: str, lexicon: Lexicon) -> bool | None:
    """Whether a statement is negative (True), positive (False), or mixed (None: its clauses
    disagree, as in "early treatment can put it into remission, whereas later treatment does
    not cure it", so a sentence's bare "not" cannot say which part it denies)."""
    found = {terms_of(clause, lexicon).negated for clause in _CLAUSE_BREAK.split(statement)
             if clause.strip()}
    return found.pop() if len(found) == 1 else None


def _centroid(vectors: list[dict[str, float]]) -> dict[str, float]:
    """The normalised sum of unit vectors."""
    total: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
    norm = math.sqrt(sum(w * w for w in total.values()))
    return {t: total[t] / norm for t in sorted(total)} if norm else {}


def build_index(corpus: Corpus, grades: Mapping[str, ClaimGrade], lexicon: Lexicon,
                exclude_sources: Collection[str] = ()) -> ScanIndex:
    """The index of every claim in the corpus."""
    texts = {cid: phrasings(c, exclude_sources) for cid, c in corpus.claims.items()}
    bags: dict[str, list[Terms]] = {cid: [terms_of(t, lexicon) for t in ts]
                                    for cid, ts in texts.items()}
    about = {cid: [terms_of(t, lexicon) for t in descriptions(c)]
             for cid, c in corpus.claims.items()}
    df: dict[str, int] = {}
    for cid, terms in bags.items():
        for term in set().union(*(t.bag for t in terms + about[cid])):
            df[term] = df.get(term, 0) + 1
    n = len(bags)
    idf = {t: math.log((n + 1) / (d + 1)) + 1.0 for t, d in sorted(df.items())}
    unknown = lexicon.settings.unknown_idf
    weight = lexicon.settings.concept_weight
    entries = []
    for cid, claim in corpus.claims.items():
        vectors = [weigh(t.bag, idf, unknown, weight) for t in bags[cid]]
        widened = vectors + [weigh(t.bag, idf, unknown, weight) for t in about[cid]]
        grade = grades[cid]
        entries.append(ClaimEntry(cid, claim.statement, grade.verdict, grade.certainty,
                                  grade.plain, direction(claim.statement, lexicon),
                                  tuple(vectors),
                                  _centroid(widened), core_concepts(bags[cid][0])))
    return ScanIndex(lexicon, idf, unknown, tuple(entries))
