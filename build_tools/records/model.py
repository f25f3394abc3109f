"""Typed, frozen records built from validated data; the pipeline after checking uses these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a type only: the model does not depend on how records are read
    from build_tools.records.files import Record



def _freeze(value: Any) -> Any:
    """Read-only views of nested data, so no stage of the pipeline can alter a record."""
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


@dataclass(frozen=True)
class Study:
    """One publication (fields mirror study.schema.json's top level)."""

    id: str
    title: str
    authors: tuple
    year: int
    publication_type: str
    design: str
    summary: str
    verified_from: tuple
    reviewed: str
    authors_incomplete: bool = False
    journal: str | None = None
    journal_abbrev: str | None = None
    month: int | None = None
    day: int | None = None
    volume: str | int | None = None
    issue: str | int | None = None
    pages: str | int | None = None
    online_date: str | None = None
    online_ahead_of_print: bool = False
    ids: Any = None
    status: str | None = None
    stopped_early_reason: str | None = None
    blinding: str | None = None
    comparator: str | None = None
    setting: str | None = None
    country: tuple = ()
    funding: str | None = None
    participants: Any = None
    intervention: Any = None
    follow_up: Any = None
    outcomes: tuple = ()
    risk_of_bias: Any = None
    critiques: tuple = ()
    review: Any = None
    notes: tuple = ()
    not_reported: tuple = ()
    unlinked_reason: str | None = None
    path: str = field(default="", compare=False)

    @property
    def n(self) -> int | None:
        """Participants for grading: analysed, else randomised, else enrolled, else pooled."""
        p = self.participants or {}
        for key in ("analysed", "randomised", "enrolled", "participants_pooled"):
            if isinstance(p.get(key), int):
                return p[key]
        return None

    def outcome(self, outcome_id: str) -> Any:
        """The outcome with that id, or None."""
        return next((o for o in self.outcomes if o.get("id") == outcome_id), None)


@dataclass(frozen=True)
class Claim:
    """One checkable statement (fields mirror claim.schema.json's top level)."""

    id: str
    statement: str
    type: str
    asserted_by: tuple
    evidence: tuple
    reviewed: str
    key: bool = False
    question: str | None = None
    domain: str | None = None
    timeframe: str | None = None
    pico: Any = None
    judgements: Any = None
    attribution: Any = None
    notes: str | None = None
    path: str = field(default="", compare=False)


@dataclass(frozen=True)
class Source:
    """A web text that asserts claims (fields mirror source.schema.json's top level)."""

    id: str
    kind: str
    title: str
    url: str
    summary: str
    reviewed: str
    publisher: str | None = None
    authors: tuple = ()
    date: str | None = None
    date_note: str | None = None
    archived_url: str | None = None
    seed_file: str | None = None
    path: str = field(default="", compare=False)


@dataclass(frozen=True)
class Search:
    """One documented literature search (fields mirror search.schema.json's top level)."""

    id: str
    database: str
    query: str
    date: str
    candidates: tuple
    hits: int | None = None
    notes: str | None = None
    method: str = "database-search"
    chased: str | None = None
    path: str = field(default="", compare=False)


MODEL_CLASSES = {"study": Study, "claim": Claim, "source": Source, "search": Search}


@dataclass(frozen=True)
class Corpus:
    """The whole evidence base as typed records, each kind sorted by id."""

    studies: dict[str, Study]
    claims: dict[str, Claim]
    sources: dict[str, Source]
    searches: dict[str, Search]


def schema_fields(cls: type) -> set[str]:
    """The record fields of a model class (everything but the file path)."""
    return {f.name for f in fields(cls)} - {"path"}


def build_record(record: Record) -> Any:
    """One typed record from a schema-valid loaded record."""
    data = {k: _freeze(v) for k, v in record.data.items()}
    return MODEL_CLASSES[record.file.kind](**data, path=record.file.display)


def corpus_of(models: Mapping[tuple[str, str], Any]) -> Corpus:
    """The corpus of typed records keyed by (kind, id), each kind sorted by id."""
    buckets: dict[str, dict[str, Any]] = {kind: {} for kind in MODEL_CLASSES}
    for kind, rid in sorted(models):
        buckets[kind][rid] = models[(kind, rid)]
    return Corpus(studies=buckets["study"], claims=buckets["claim"], sources=buckets["source"],
                  searches=buckets["search"])


def build_corpus(records: Iterable[Record]) -> Corpus:
    """Typed records from schema-valid loaded records (the records of a clean check)."""
    return corpus_of({(r.file.kind, r.file.stem): build_record(r) for r in records})
