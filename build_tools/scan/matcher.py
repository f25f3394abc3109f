"""One sentence against the index: the claim it asserts (or runs against), or none."""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.scan.index import ClaimEntry, ScanIndex, Vector, weigh
from build_tools.scan.lexicon import Settings
from build_tools.scan.terms import Terms, checkability, terms_of

ASSERTS, OPPOSES = "asserts", "opposes"
# What a sentence is, in the order the command and the page explain them.
MATCHED, AGAINST, CANDIDATE, NOT_CHECKABLE = "matched", "against", "candidate", "not-checkable"


@dataclass(frozen=True)
class Match:
    """The matcher's answer for one sentence."""

    status: str  # MATCHED, AGAINST, CANDIDATE or NOT_CHECKABLE
    claim: ClaimEntry | None
    score: float  # the best claim's score, 0..1, also when it stays below the threshold
    best: str | None  # the best claim's id, named or not (for tuning and the JSON output)
    cues: float  # the checkability cue score


def _dot(sentence: Vector, other: Vector) -> float:
    """Dot product, summed in the sentence's (sorted) term order, as check.js sums it."""
    total = 0.0
    for term, weight in sentence.items():
        if term in other:
            total += weight * other[term]
    return total


def claim_score(vector: Vector, claim: ClaimEntry, settings: Settings) -> float:
    """How well a sentence vector fits a claim: its nearest phrasing and all of them together,
    scaled down when the sentence has none of the concepts the statement is about."""
    nearest = max((_dot(vector, p) for p in claim.phrasings), default=0.0)
    share = settings.phrasing_share
    score = share * nearest + (1 - share) * _dot(vector, claim.centroid)
    # One of the statement's concepts is enough: a sentence rarely says all a claim says, and
    # asking for all of them favoured claims whose statements name a single concept.
    if claim.core and not any(concept in vector for concept in claim.core):
        score *= 1 - settings.focus
    return score


def best_claim(terms: Terms, index: ScanIndex) -> tuple[ClaimEntry | None, float]:
    """The highest-scoring claim (the first in id order on a tie) and its score."""
    settings = index.lexicon.settings
    vector = weigh(terms.bag, index.idf, index.unknown_idf, settings.concept_weight,
                   settings.damping)
    best, top = None, 0.0
    for claim in index.claims:
        score = claim_score(vector, claim, settings)
        if score > top:
            best, top = claim, score
    return best, top


def match_terms(terms: Terms, index: ScanIndex) -> Match:
    """The answer for a sentence already turned into terms."""
    lexicon = index.lexicon
    cues = checkability(terms, lexicon)
    claim, score = best_claim(terms, index)
    checkable = cues >= lexicon.checkable_threshold
    best = claim.id if claim else None
    settings = lexicon.settings
    strong = terms.topical and cues >= 0 and score >= settings.strong
    if claim and (strong or (checkable and score >= settings.threshold)):
        # A claim whose clauses disagree in direction is never contradicted by a bare "not".
        against = claim.negated is not None and terms.negated != claim.negated
        # Calling a sentence a contradiction needs a close match: a bare "not" elsewhere in a
        # loosely matching sentence is no evidence that it denies the claim.
        if not against or score >= settings.strong:
            return Match(AGAINST if against else MATCHED, claim, score, best, cues)
        checkable = True
    return Match(CANDIDATE if checkable else NOT_CHECKABLE, None, score, best, cues)


def match(sentence: str, index: ScanIndex) -> Match:
    """The answer for one sentence."""
    return match_terms(terms_of(sentence, index.lexicon), index)
