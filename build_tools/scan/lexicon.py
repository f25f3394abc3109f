"""The scan vocabulary (data/lexicon.yaml) loaded and compiled: phrases as stems, cue weights."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from build_tools.paths import PACKAGE_DIR
from build_tools.scan.words import stem, tokens

LEXICON_FILE = PACKAGE_DIR / "scan" / "data" / "lexicon.yaml"
GAP_MARK = "..."
CONCEPT_MARK = "~"
NUMBER_CUE = "#number"
NEUTRAL = "#neutral"  # phrases that cover negation words without adding a term


class LexiconError(ValueError):
    """The lexicon file is malformed (a bug in the package data, caught by the tests)."""


@dataclass(frozen=True)
class Phrase:
    """A label (a concept "~name" or a cue) and its words as stems, in segments that must each
    be contiguous, with up to `gap` other words allowed between segments."""

    label: str
    segments: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Settings:
    """The matcher's tuned numbers (the `matching` section of the lexicon)."""

    concept_weight: float
    phrasing_share: float
    threshold: float
    strong: float
    unknown_idf: float
    damping: float
    focus: float


@dataclass(frozen=True)
class Lexicon:
    """Everything the word pipeline, the phrase finder and the checkability cues need."""

    spelling: Mapping[str, str]
    suffixes: tuple[tuple[str, str], ...]
    min_stem: int
    gap: int
    stopwords: frozenset[str]
    negations: frozenset[str]
    abbreviations: frozenset[str]
    number_words: frozenset[str]
    units: frozenset[str]
    phrases: tuple[Phrase, ...]
    cue_weights: Mapping[str, float]
    topic: frozenset[str]
    topic_concepts: frozenset[str]
    checkable_threshold: float
    settings: Settings
    by_first: Mapping[str, tuple[Phrase, ...]] = field(default_factory=dict)

    def stems(self, text: str) -> list[str]:
        """Every word of a text, spelled and stemmed (stop words kept)."""
        return [stem(t, self.suffixes, self.min_stem) for t in tokens(text, self.spelling)]


def _phrase(label: str, text: str, lexicon: Lexicon) -> Phrase:
    """One phrase compiled to stems; LexiconError when a segment has no word."""
    segments = tuple(tuple(lexicon.stems(part)) for part in str(text).split(GAP_MARK))
    if not segments or not all(segments):
        raise LexiconError(f"{LEXICON_FILE.name}: phrase {text!r} of {label!r} has an empty part")
    return Phrase(label, segments)


def _require(data: Any, key: str, kind: type) -> Any:
    """data[key] when it is of the kind expected (a float may be written as an integer), else
    LexiconError."""
    value = data.get(key) if isinstance(data, dict) else None
    kinds = (int, float) if kind is float else kind
    if not isinstance(value, kinds) or isinstance(value, bool):
        raise LexiconError(f"{LEXICON_FILE.name}: '{key}' must be a {kind.__name__}")
    return value


def _settings(data: dict) -> Settings:
    """The matching numbers, each required."""
    return Settings(**{f: float(_require(data, f, float)) for f in Settings.__dataclass_fields__})


def compile_lexicon(data: Any) -> Lexicon:
    """The compiled lexicon from the parsed YAML mapping."""
    checkability = _require(data, "checkability", dict)
    suffixes = tuple((str(a), str(b)) for a, b in _require(data, "suffixes", list))
    base = Lexicon(
        spelling={str(k): str(v) for k, v in _require(data, "spelling", dict).items()},
        suffixes=suffixes, min_stem=int(_require(data, "min_stem", int)),
        gap=int(_require(data, "gap", int)),
        stopwords=frozenset(str(w) for w in _require(data, "stopwords", list)),
        negations=frozenset(str(w) for w in _require(data, "negations", list)),
        abbreviations=frozenset(str(w) for w in _require(data, "abbreviations", list)),
        number_words=frozenset(str(w) for w in _require(data, "number_words", list)),
        units=frozenset(str(w) for w in _require(data, "units", list)),
        phrases=(), cue_weights={}, topic=frozenset(),
        topic_concepts=frozenset(str(c) for c in _require(checkability, "topic_concepts", list)),
        checkable_threshold=float(_require(checkability, "threshold", float)),
        settings=_settings(_require(data, "matching", dict)))
    phrases = [_phrase(CONCEPT_MARK + str(name), text, base)
               for name, texts in _require(data, "concepts", dict).items() for text in texts]
    phrases += [_phrase(NEUTRAL, text, base) for text in _require(data, "neutral", list)]
    weights = {str(k): float(v) for k, v in _require(checkability, "cues", dict).items()}
    concepts = {p.label for p in phrases}
    for cue in weights:
        if cue.startswith(CONCEPT_MARK) and cue not in concepts:
            raise LexiconError(f"{LEXICON_FILE.name}: cue {cue!r} names no concept")
        if not cue.startswith((CONCEPT_MARK, NUMBER_CUE)):
            phrases.append(_phrase(cue, cue, base))
    units = frozenset(s for w in base.units for s in base.stems(w))
    topic = frozenset(s for w in _require(checkability, "topic", list) for s in base.stems(w))
    by_first: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        by_first.setdefault(phrase.segments[0][0], []).append(phrase)
    return replace(base, phrases=tuple(phrases), cue_weights=weights, topic=topic, units=units,
                   by_first={k: tuple(v) for k, v in by_first.items()})


@cache
def load(path: Path = LEXICON_FILE) -> Lexicon:
    """The compiled lexicon of the package (read once)."""
    return compile_lexicon(yaml.safe_load(path.read_text(encoding="utf-8")))
