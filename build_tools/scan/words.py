"""Words of a text: normalised, split into tokens and stemmed (the same steps as check.js)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

TOKEN = re.compile(r"[a-z]+|[0-9]+(?:\.[0-9]+)?")
# Signs that carry meaning in claims become words; apostrophes go so "didn't" is one word.
SIGNS = {"%": " percent ", "$": " dollar ", "\u2019": "", "'": "", "\u2018": ""}
_SIGNS = re.compile("|".join(re.escape(s) for s in SIGNS))
_MARKS = re.compile("[\u0300-\u036f]")
VOWELS = frozenset("aeiouy")


def normalise(text: str) -> str:
    """Lower case, accents removed, meaningful signs spelled out."""
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text.lower()))
    return _SIGNS.sub(lambda m: SIGNS[m.group(0)], text)


def tokens(text: str, spelling: Mapping[str, str]) -> list[str]:
    """The words and numbers of a text, each in its one spelling."""
    return [spelling.get(t, t) for t in TOKEN.findall(normalise(text))]


def stem(word: str, suffixes: Sequence[tuple[str, str]], min_stem: int) -> str:
    """A light suffix-stripping stem: first fitting rule, final e, undoubled consonant."""
    if len(word) <= min_stem or not word[0].isalpha():
        return word
    stripped = ""
    for suffix, replacement in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            word = word[: len(word) - len(suffix)] + replacement
            stripped = suffix
            break
    if len(word) >= 5 and word.endswith("e"):
        word = word[:-1]
    # "stopped" -> "stop", but "controlled" keeps its l (as Porter's stemmer does).
    if stripped in ("ed", "ing") and len(word) > min_stem and word[-1] == word[-2] \
            and word[-1] not in VOWELS and word[-1] not in "lsz":
        word = word[:-1]
    return word
