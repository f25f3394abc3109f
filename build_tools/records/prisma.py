"""The PRISMA flow counted from the search records: identified, duplicates, screened, excluded
(by reason), included, for each search method and in total. Never typed: always computed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from build_tools.records.model import Corpus, Search
from build_tools.records.schema import choices, node_at

# The methods and exclusion categories, in the schema's order (the schema is their definition).
METHODS = tuple(c["const"] for c in choices(node_at("search", ("method",))))
REASONS = tuple(c["const"] for c in choices(node_at("search", ("candidates", 0, "exclusion"))))
# Excluded candidates that carry no category are counted under this name, never dropped.
UNCATEGORISED = "uncategorised"


@dataclass(frozen=True)
class Box:
    """The flow of one method (or of all): every count in it is derived from candidates."""

    method: str
    searches: int
    hits: int  # results the searches returned, as recorded (not an arithmetic box)
    hits_missing: int  # searches without a recorded hit count
    identified: int  # candidates recorded: every result screened
    duplicates: int
    excluded_by_reason: tuple[tuple[str, int], ...]  # REASONS order, UNCATEGORISED last
    included: int  # included candidates (one study may be included by several searches)
    studies: frozenset[str]  # the distinct study records those inclusions name

    @property
    def screened(self) -> int:
        """Records screened once duplicates are set aside."""
        return self.identified - self.duplicates

    @property
    def excluded(self) -> int:
        """Records excluded after screening, every reason together."""
        return sum(n for _, n in self.excluded_by_reason)

    @property
    def repeat_inclusions(self) -> int:
        """Inclusions naming a study that another inclusion of this box already named."""
        return self.included - len(self.studies)


@dataclass(frozen=True)
class Flow:
    """The whole flow: one box per method (schema order), the total, and the study records."""

    boxes: tuple[Box, ...]
    total: Box
    studies_in_base: int
    only_as_duplicate: tuple[str, ...]  # study records the searches name only as duplicates
    not_in_searches: tuple[str, ...]  # study records no search record names


def _box(method: str, searches: Iterable[Search]) -> Box:
    """Count one group of searches."""
    searches = list(searches)
    decisions: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    studies: set[str] = set()
    for search in searches:
        for cand in search.candidates:
            decisions[cand["decision"]] += 1
            if cand["decision"] == "excluded":
                reasons[cand.get("exclusion") or UNCATEGORISED] += 1
            elif cand["decision"] == "included" and cand.get("study"):
                studies.add(cand["study"])
    return Box(method=method, searches=len(searches),
               hits=sum(s.hits or 0 for s in searches),
               hits_missing=sum(s.hits is None for s in searches),
               identified=sum(decisions.values()), duplicates=decisions["duplicate"],
               excluded_by_reason=tuple((r, reasons[r]) for r in (*REASONS, UNCATEGORISED)),
               included=decisions["included"], studies=frozenset(studies))


def flow(searches: Mapping[str, Search], study_ids: Iterable[str]) -> Flow:
    """The PRISMA flow of the search records against the study records of the base."""
    by_method = {m: [s for s in searches.values() if s.method == m] for m in METHODS}
    boxes = tuple(_box(m, by_method[m]) for m in METHODS)
    total = _box("all", searches.values())
    named = {c.get("study") for s in searches.values() for c in s.candidates}
    ids = sorted(set(study_ids))
    return Flow(boxes=boxes, total=total, studies_in_base=len(ids),
                only_as_duplicate=tuple(i for i in ids if i in named and i not in total.studies),
                not_in_searches=tuple(i for i in ids if i not in named))


def corpus_flow(corpus: Corpus) -> Flow:
    """The flow of a whole evidence base."""
    return flow(corpus.searches, corpus.studies)


def chased_without_entries(corpus: Corpus, method: str = "backward-citation") -> tuple[int, int]:
    """(records of a chasing method, those of them that could screen no entry at all)."""
    chases = [s for s in corpus.searches.values() if s.method == method]
    return len(chases), sum(not s.candidates for s in chases)
