"""RIS export: each study as a rispy record, one field per line."""

from __future__ import annotations

import rispy

from build_tools.cite.csl import (
    TYPES,
    csl_given,
    date_parts,
    issued_parts,
    page_span,
    plain_title,
    web_address,
)
from build_tools.records.model import Study


def ris_record(study: Study) -> dict:
    """The study as a rispy record (EndNote's conventions: AN = PMID, C2 = PMCID)."""
    ids = study.ids or {}
    first, last = page_span(study.pages)
    url, accessed = web_address(study)
    kind = TYPES.get(study.publication_type, (None, None, "GEN"))[2]
    record = {
        "type_of_reference": kind,
        "id": study.id,
        "authors": [a["literal"] if "literal" in a else
                    ", ".join(filter(None, (a["family"], csl_given(a.get("given", "")))))
                    for a in study.authors],
        "title": plain_title(study.title),
        "secondary_title": study.journal, "alternate_title1": study.journal_abbrev,
        "year": str(study.year),
        "date": _ris_date(issued_parts(study)),
        # EndNote's journal-article RIS reads ET as the Epub date (rispy calls the tag edition).
        "edition": _ris_date(date_parts(study.online_date)) if kind == "JOUR" else None,
        "volume": study.volume and str(study.volume), "number": study.issue and str(study.issue),
        "start_page": first, "end_page": last,
        "doi": ids.get("doi"), "accession_number": ids.get("pmid"), "custom2": ids.get("pmcid"),
        "urls": [url] if url else None, "access_date": accessed if url else None,
    }
    # RIS is one field per line: a line break inside a value would start a forged field or
    # record (tests/hostile_corpus.py, "citation-format"), so every value is one line.
    return {k: [" ".join(str(x).split()) for x in v] if isinstance(v, list)
            else " ".join(str(v).split()) for k, v in record.items() if v}


def _ris_date(parts: list[int] | None) -> str | None:
    """RIS's YYYY/MM/DD/ date, for a date with at least a month (the year has its own tag)."""
    if not parts or len(parts) < 2:
        return None
    return "/".join(f"{p:02d}" for p in parts) + ("//" if len(parts) == 2 else "/")


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its "1." counter line before each record (not part of RIS)."""

    def set_header(self, count: int) -> str:
        """No header line."""
        return ""


def to_ris(studies: list[Study]) -> str:
    """An RIS file of the studies, in the order given, written by rispy."""
    return rispy.dumps([ris_record(s) for s in studies], implementation=_RisWriter)
