"""Whole-base downloads: every study as BibTeX, RIS and CSL-JSON; every record as JSON; a CSV table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import asdict, fields
from types import MappingProxyType
from typing import Any

from build_tools.cite.bibtex import to_bibtex
from build_tools.cite.csl import to_csl
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


def _evidence_json(corpus: Corpus, grades: Mapping[str, Any]) -> str:
    """Every record of every kind, each claim with its computed grade, as one JSON document."""
    claims = []
    for cid in sorted(corpus.claims):
        claim = record_dict(corpus.claims[cid])
        if cid in grades:
            claim["grade"] = json.loads(json.dumps(asdict(grades[cid]), ensure_ascii=False))
        claims.append(claim)
    data = {
        "about": {"title": TITLE, "repository": REPO_URL,
                  "how_to_cite": "see CITATION.cff in the repository"},
        "studies": [record_dict(corpus.studies[k]) for k in sorted(corpus.studies)],
        "claims": claims,
        "sources": [record_dict(corpus.sources[k]) for k in sorted(corpus.sources)],
        "searches": [record_dict(corpus.searches[k]) for k in sorted(corpus.searches)],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


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


def render_downloads(corpus: Corpus, grades: Mapping[str, Any]) -> dict[str, str]:
    """Docs-relative path -> content for every whole-base download; sorted by id, no timestamps."""
    studies = [corpus.studies[k] for k in sorted(corpus.studies)]
    csl = json.dumps([to_csl(s) for s in studies], indent=2, ensure_ascii=False) + "\n"
    return {
        f"{FOLDER}/evidence.bib": to_bibtex(studies),
        f"{FOLDER}/evidence.csl.json": csl,
        f"{FOLDER}/evidence.json": _evidence_json(corpus, grades),
        f"{FOLDER}/evidence.ris": to_ris(studies),
        f"{FOLDER}/studies.csv": _studies_csv(studies),
    }
