"""Sentence case for AMA article titles, keeping proper nouns, acronyms and stereodescriptors.

AMA Manual of Style 11th ed. (3.9): in references, an article title has a capital only on its
first word, proper nouns and proper adjectives, and abbreviations that are capitalised anyway; a
subtitle after a colon starts in lower case. A title is kept as published in the record (the
Vancouver line and the exports print it so); the AMA line gets this form.

Each word (a run of letters, with inner apostrophes) keeps its capitals when
- a capital stands after its first letter (CRPS, NMDA, IV, II, KetCRPS, O'Connell, pH), or
- it is a single capital letter inside a compound or a name (S in S(+)-ketamine, R in (R)-,
  I in type-I), except the article "A" standing alone, or
- it is part of a name in data/proper-nouns.txt (European Pain Federation, June, Bayesian).
Every other word loses the capital of its first letter; the title's first word (and the first
after "?" or "!") gets one.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

LEXICON = Path(__file__).resolve().parent / "data" / "proper-nouns.txt"
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# "A" after these words is a label (type A, group A, vitamin A), not the article.
_LABEL_BEFORE = {"type", "group", "class", "phase", "grade", "vitamin", "hepatitis", "part",
                 "arm", "cohort", "factor", "level", "schedule", "section", "study", "trial"}
_MAY_MONTH = r"May(?=\s+[0-9])"  # the month before a day or year; "May" is also a verb


@cache
def _proper_nouns() -> re.Pattern:
    """One pattern matching every name of the lexicon as whole words (longest first)."""
    names = [line.strip() for line in LEXICON.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    names.sort(key=len, reverse=True)
    alternatives = "|".join([re.escape(name) for name in names] + [_MAY_MONTH])
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def _protected_spans(title: str) -> list[tuple[int, int]]:
    """Character spans of the title covered by a name from the lexicon."""
    return [m.span() for m in _proper_nouns().finditer(title)]


def _is_standalone_article(title: str, start: int, end: int, previous: str | None) -> bool:
    """True for an "A" that stands alone as the indefinite article (not type A, not A-beta)."""
    before = title[start - 1] if start else " "
    after = title[end] if end < len(title) else " "
    alone = before in " \t:;,(\"'\u201c" and after in " \t,;:"
    return alone and (previous or "").lower() not in _LABEL_BEFORE


def _keeps_case(title: str, word: re.Match, spans: list[tuple[int, int]],
                previous: str | None) -> bool:
    """Whether a word keeps its capitals in sentence case."""
    text, start, end = word.group(), word.start(), word.end()
    if any(a <= start and end <= b for a, b in spans):
        return True
    if any(c.isupper() for c in text[1:]):
        return True
    if len(text) == 1 and text.isupper():
        return not (text == "A" and _is_standalone_article(title, start, end, previous))
    return False


def sentence_case(title: str) -> str:
    """The title in AMA sentence case (see the module docstring for the rules)."""
    spans = _protected_spans(title)
    out = list(title)
    previous: str | None = None
    sentence_start = True
    last_end = 0
    for word in _WORD.finditer(title):
        if previous is not None and re.search(r"[?!]\s", title[last_end:word.start()] + " "):
            sentence_start = True
        if not _keeps_case(title, word, spans, previous):
            first = word.group()[0]
            out[word.start()] = first.upper() if sentence_start else first.lower()
        sentence_start = False
        previous, last_end = word.group(), word.end()
    return "".join(out)
