"""The scan index as JSON for the site's "Check a text" page (read by docs/javascripts/check.js)."""

from __future__ import annotations

import json
from dataclasses import asdict

from build_tools.grade.vocabulary import CERTAINTY_WORDS, VERDICT_WORDS
from build_tools.scan.index import ClaimEntry, ScanIndex
from build_tools.scan.lexicon import Lexicon

# Where the build puts it: beside the claim pages it links to (a generated folder).
INDEX_PAGE = "claims/scan-index.json"
FORMAT = 2  # bumped when check.js must change to read the file


def _lexicon(lexicon: Lexicon) -> dict:
    """The lexicon with sets as sorted lists and phrases as stems (nothing left to stem)."""
    return {
        "spelling": dict(sorted(lexicon.spelling.items())),
        "suffixes": [list(rule) for rule in lexicon.suffixes], "min_stem": lexicon.min_stem,
        "gap": lexicon.gap, "stopwords": sorted(lexicon.stopwords),
        "negations": sorted(lexicon.negations), "abbreviations": sorted(lexicon.abbreviations),
        "number_words": sorted(lexicon.number_words), "units": sorted(lexicon.units),
        "phrases": [[p.label, [list(s) for s in p.segments]] for p in lexicon.phrases],
        "cue_weights": dict(lexicon.cue_weights), "topic": sorted(lexicon.topic),
        "topic_concepts": sorted(lexicon.topic_concepts),
        "checkable_threshold": lexicon.checkable_threshold, "settings": asdict(lexicon.settings)}


def index_json(index: ScanIndex) -> str:
    """The whole index as compact JSON (floats as Python writes them, so check.js reads the very
    same numbers and its scores agree with the command's)."""
    claims = [{"id": c.id, "statement": c.statement, "verdict": c.verdict,
               "verdict_words": VERDICT_WORDS.get(c.verdict, c.verdict),
               "certainty": c.certainty,
               "certainty_words": CERTAINTY_WORDS.get(c.certainty or "", None),
               "plain": c.plain, "negated": c.negated,
               "phrasings": [dict(p) for p in c.phrasings], "centroid": dict(c.centroid),
               "core": list(c.core)} for c in index.claims]
    data = {"format": FORMAT, "lexicon": _lexicon(index.lexicon), "idf": dict(index.idf),
            "unknown_idf": index.unknown_idf, "claims": claims}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


def index_from_json(text: str, lexicon: Lexicon) -> ScanIndex:
    """An index read back from index_json (with the package's own lexicon); ValueError when the
    text is not an index of this format."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a scan index of format {FORMAT}")
    claims = tuple(ClaimEntry(c["id"], c["statement"], c["verdict"], c["certainty"], c["plain"],
                              c["negated"], tuple(c["phrasings"]), c["centroid"], tuple(c["core"]))
                   for c in data["claims"])
    return ScanIndex(lexicon, data["idf"], data["unknown_idf"], claims)
