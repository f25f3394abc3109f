"""A sentence as matchable terms: content stems, concepts, cues, negation and topic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from build_tools.scan.lexicon import CONCEPT_MARK, NEUTRAL, NUMBER_CUE, Lexicon, Phrase
from build_tools.scan.words import stem, tokens


@dataclass(frozen=True)
class Terms:
    """What the matcher and the checkability cues see of one piece of text."""

    bag: frozenset[str]  # content stems, number_unit pairs and the concepts found ("~reset")
    labels: frozenset[str]  # every phrase label found: concepts and cues
    negated: bool  # a negation word that no concept phrase accounts for
    has_number: bool
    topical: bool  # mentions the treatment (ketamine, infusion, "it", ...)


def _segment_at(stems: Sequence[str], at: int, segment: tuple[str, ...]) -> bool:
    """Whether the segment's stems stand at this position."""
    return tuple(stems[at:at + len(segment)]) == segment


def _phrase_at(stems: Sequence[str], at: int, phrase: Phrase, gap: int) -> tuple[int, ...]:
    """Positions the phrase covers when it starts here, or () when it does not."""
    first = phrase.segments[0]
    if not _segment_at(stems, at, first):
        return ()
    covered = list(range(at, at + len(first)))
    end = at + len(first)
    for segment in phrase.segments[1:]:
        start = next((j for j in range(end, min(end + gap, len(stems) - len(segment)) + 1)
                      if _segment_at(stems, j, segment)), None)
        if start is None:
            return ()
        covered.extend(range(start, start + len(segment)))
        end = start + len(segment)
    return tuple(covered)


def find_phrases(stems: Sequence[str], lexicon: Lexicon) -> tuple[set[str], set[int]]:
    """The labels of every phrase in the stems, and the positions the concepts cover."""
    labels: set[str] = set()
    covered: set[int] = set()
    by_first = lexicon.by_first
    for at, word in enumerate(stems):
        for phrase in by_first.get(word, ()):
            found = _phrase_at(stems, at, phrase, lexicon.gap)
            if found:
                labels.add(phrase.label)
                if phrase.label.startswith((CONCEPT_MARK, NEUTRAL)):
                    covered.update(found)
    return labels, covered


def terms_of(text: str, lexicon: Lexicon) -> Terms:
    """The terms of a text."""
    words = tokens(text, lexicon.spelling)
    stems = [stem(w, lexicon.suffixes, lexicon.min_stem) for w in words]
    labels, covered = find_phrases(stems, lexicon)
    # A concept stands for the words it was found in: "reboots the patient" weighs as ~reset.
    content = {s for i, (w, s) in enumerate(zip(words, stems, strict=True))
               if i not in covered and w not in lexicon.stopwords and w not in lexicon.negations
               and len(s) > 1}
    concepts = {label for label in labels if label.startswith(CONCEPT_MARK)}
    # "4 hours", "10 days": a number with its unit says more than either alone.
    content |= {f"{stems[i - 1]}_{s}" for i, s in enumerate(stems)
                if i and s in lexicon.units and stems[i - 1][0].isdigit()}
    negated = any(w in lexicon.negations and i not in covered for i, w in enumerate(words))
    has_number = any(w[0].isdigit() or w in lexicon.number_words for w in words)
    topical = any(s in lexicon.topic for s in stems) or bool(concepts & lexicon.topic_concepts)
    return Terms(frozenset(content | concepts), frozenset(labels), negated, has_number, topical)


def checkability(terms: Terms, lexicon: Lexicon) -> float:
    """The sum of the cue weights a text carries (0 when it is not about the treatment)."""
    if not terms.topical:
        return 0.0
    weights = lexicon.cue_weights
    total = 0.0
    for label in sorted(terms.labels):
        total += weights.get(label, 0.0)
    if terms.has_number:
        total += weights.get(NUMBER_CUE, 0.0)
    return total
