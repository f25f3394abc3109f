"""A whole input text annotated: each sentence with the claim it asserts, or why it has none."""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.scan.extract import TEXT, extract
from build_tools.scan.index import ScanIndex
from build_tools.scan.matcher import Match, match
from build_tools.scan.sentences import Sentence, split_sentences


@dataclass(frozen=True)
class Annotation:
    """One sentence of the input and the matcher's answer for it."""

    sentence: Sentence
    match: Match

    def as_dict(self) -> dict:
        """The JSON object of `evidence scan --format json` (and of check.js)."""
        claim, m = self.match.claim, self.match
        return {"sentence": self.sentence.text, "start": self.sentence.start,
                "end": self.sentence.end, "status": m.status, "checkable": m.status != "not-checkable",
                "claim": claim.id if claim else None, "score": round(m.score, 4),
                "verdict": claim.verdict if claim else None,
                "certainty": claim.certainty if claim else None,
                "plain": claim.plain if claim else None}


def annotate(raw: str, index: ScanIndex, fmt: str = TEXT) -> list[Annotation]:
    """Every sentence of the input with its match."""
    visible = extract(raw, fmt)
    return [Annotation(s, match(s.text, index))
            for s in split_sentences(visible, index.lexicon.abbreviations)]
