"""Whole-base downloads: every study as BibTeX, RIS and CSL-JSON; every record as JSON; a CSV table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, fields
from types import MappingProxyType
from typing import Any

from build_tools.cite.bibtex import to_bibtex
from build_tools.cite.csl import to_csl
from build_tools.cite.pieces import Pieces, dumped, json_list, json_object
from build_tools.cite.ris import to_ris
from build_tools.paths import REPO_URL
from build_tools.records.model import Corpus, Study
from build_tools.text import number, person

FOLDER = "downloads"
TITLE = "Intravenous ketamine for complex regional pain syndrome: an open evidence base"
CSV_COLUMNS = ("id", "first_author", "year", "title", "journal", "design", "n", "agent", "route",
               "regimen", "follow_up_weeks", "risk_of_bias", "doi", "pmid")


def _plain(value: Any) -> Any:
    """Read-only record data (mapping proxies, tuples) as JSON-ready dicts and lists."""
    if isinstance(value, Mapping | MappingProxyType):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def record_dict(record: Any) -> dict:
    """A record's fields as they were written: unset optional fields and the file path left out."""
    return {f.name: _plain(getattr(record, f.name)) for f in fields(record)
            if f.name != "path" and getattr(record, f.name) != f.default}


def _claim_item(claim: Any, grade: Any) -> str:
    """One claim with its computed grade, as an item of evidence.json."""
    data = record_dict(claim)
    if grade is not None:
        data["grade"] = json.loads(json.dumps(asdict(grade), ensure_ascii=False))
    return dumped(data)


def _evidence_json(corpus: Corpus, grades: Mapping[str, Any], pieces: Pieces | None = None
                   ) -> str:
    """Every record of every kind, each claim with its computed grade, as one JSON document
    (the same as one json.dumps of it all, made from per-record pieces)."""
    pieces = pieces if pieces is not None else Pieces()
    about = {"title": TITLE, "repository": REPO_URL,
             "how_to_cite": "see CITATION.cff in the repository"}
    members = [("about", dumped(about))]
    for kind, records in (("studies", corpus.studies), ("claims", corpus.claims),
                          ("sources", corpus.sources), ("searches", corpus.searches)):
        if kind == "claims":
            items = pieces.each("evidence.json/claims", [
                (records[k], grades.get(k)) for k in sorted(records)], _claim_item)
        else:
            items = pieces.each(f"evidence.json/{kind}", [(records[k],) for k in sorted(records)],
                                lambda record: dumped(record_dict(record)))
        members.append((kind, json_list(items)))
    return json_object(members) + "\n"


def _cell(text: object) -> str:
    """A text cell that a spreadsheet will not run as a formula (a leading = + - @ is quoted)."""
    text = "" if text is None else " ".join(str(text).split())
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def first_author(study: Study) -> str:
    """The first author as 'Family Given' (or the group name)."""
    return person(study.authors[0])


def _studies_csv(studies: list[Study]) -> str:
    """One row per study with the table's columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in studies:
        iv, ids = s.intervention or {}, s.ids or {}
        writer.writerow([s.id, _cell(first_author(s)), s.year, _cell(s.title), _cell(s.journal),
                         s.design, number(s.n), iv.get("agent", ""), iv.get("route", ""),
                         iv.get("regimen", ""), number((s.follow_up or {}).get("weeks")),
                         (s.risk_of_bias or {}).get("overall", ""), _cell(ids.get("doi")),
                         ids.get("pmid", "")])
    return out.getvalue()


def _by_id(corpus: Corpus) -> list[Study]:
    """The studies sorted by id."""
    return [corpus.studies[k] for k in sorted(corpus.studies)]


def _joined(name: str, studies: list[Study], whole: Callable[[list[Study]], str], between: str,
            pieces: Pieces | None) -> str:
    """whole(studies), or (in a session) each study's piece joined as whole() spaces them."""
    if not studies or pieces is None:
        return whole(studies)
    return between.join(pieces.each(name, [(s,) for s in studies], lambda s: whole([s])))


def _bib(corpus: Corpus, _grades: Mapping[str, Any], pieces: Pieces | None = None) -> str:
    """Every study as BibTeX: the entries one by one, as one write of them all spaces them."""
    return _joined("evidence.bib", _by_id(corpus), to_bibtex, "\n\n", pieces)


def _ris(corpus: Corpus, _grades: Mapping[str, Any], pieces: Pieces | None = None) -> str:
    """Every study as RIS, records a blank line apart (as rispy writes them all at once)."""
    return _joined("evidence.ris", _by_id(corpus), to_ris, "\n", pieces)


def _csl_json(corpus: Corpus, _grades: Mapping[str, Any], pieces: Pieces | None = None) -> str:
    """Every study as CSL-JSON."""
    pieces = pieces if pieces is not None else Pieces()
    return json_list(pieces.each("evidence.csl.json", [(s,) for s in _by_id(corpus)],
                                 lambda s: dumped(to_csl(s)))) + "\n"


# File name -> (what it is made from: "studies" or "everything", how to make it). One function
# per file, so a build can make only the files whose inputs changed (pipeline.download_jobs);
# each takes the session's Pieces, if any, to re-render only the records that changed.
DOWNLOADS: dict[str, tuple[str, Callable[..., str]]] = {
    "evidence.bib": ("studies", _bib),
    "evidence.csl.json": ("studies", _csl_json),
    "evidence.json": ("everything", _evidence_json),
    "evidence.ris": ("studies", _ris),
    "studies.csv": ("studies", lambda corpus, _grades, _pieces=None: _studies_csv(_by_id(corpus))),
}


def render_downloads(corpus: Corpus, grades: Mapping[str, Any], pieces: Pieces | None = None
                     ) -> dict[str, str]:
    """Docs-relative path -> content for every whole-base download; sorted by id, no timestamps."""
    return {f"{FOLDER}/{name}": make(corpus, grades, pieces)
            for name, (_needs, make) in DOWNLOADS.items()}
