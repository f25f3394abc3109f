"""Hardening-table rows for the citation exports (issue 17, B1 and B2): identifier injection,
BibTeX-rule brace counting and RIS line forging, each case read back by two parsers.

The cases are those of tests/test_citations_forging.py, counted here with their time and memory.
"""

from __future__ import annotations

from typing import Any

Row = tuple[str, int, int, float, int]
ENTRY = "x-2020"  # the id of test_citations_forging's study


def _parsed(study: Any) -> list[tuple[dict, dict]]:
    """Every BibTeX export of the study, read by both parsers."""
    from tests.bib_readers import bibtex_by_both
    from tests.test_citations_forging import _exports

    return [bibtex_by_both(text) for text in _exports(study).values()]


def _one_entry(pairs: list[tuple[dict, dict]]) -> bool:
    """Each reading holds the study's entry alone, with no forged note or url."""
    return all(list(first) == [ENTRY] and list(second) == [ENTRY]
               and "note" not in first[ENTRY] and "note" not in second[ENTRY]
               and "url" not in second[ENTRY] for first, second in pairs)


def _bibtex_holds(study: Any) -> bool:
    """No BibTeX export of the study forges an entry or a field."""
    return _one_entry(_parsed(study))


def _title_holds(study: Any, title: str) -> bool:
    """No export forges anything, and the brace title comes back as written in both parsers."""
    from tests.bib_readers import text_of

    pairs = _parsed(study)
    return _one_entry(pairs) and all(
        text_of(first[ENTRY]["title"]) == title == text_of(second[ENTRY]["title"])
        for first, second in pairs)


def _ris_holds(study: Any) -> bool:
    """Every RIS export reads, in both parsers, as one record with the study's id."""
    from tests.bib_readers import ris_by_both
    from tests.test_citations_forging import _ris_exports

    for text in _ris_exports(study).values():
        first, second = ris_by_both(text)
        if not (len(first) == len(second) == 1 and first[0]["id"] == second[0]["ID"] == ENTRY):
            return False
    return True


def _schema_refuses(doi: str) -> bool:
    """The study schema refuses the DOI at ids.doi (the first line of defence)."""
    from tests.test_citations_forging import doi_errors

    return doi_errors(doi) == [["ids", "doi"]]


def citation_rows(measure: Any) -> list[Row]:
    """(category, cases, caught, worst seconds, worst peak bytes) per family; measure(f, *args)
    returns (result, seconds, peak bytes)."""
    from tests.test_citations_forging import (
        BRACE_PAGES,
        BRACE_TITLES,
        FORGED_LINES,
        INJECTED_IDENTIFIERS,
        UNSAFE_DOIS,
        _study,
    )

    families: dict[str, list[tuple[Any, tuple]]] = {
        "citations: identifier injection (schema, then 3 BibTeX exports x 2 parsers)":
            [(_schema_refuses, (doi,)) for doi in UNSAFE_DOIS]
            + [(_bibtex_holds, (_study(ids={"doi": "10.1000/abc", "pmid": "123", field: value}),))
               for field, value in INJECTED_IDENTIFIERS],
        "citations: BibTeX-rule brace counting (titles x pages, names, journals)":
            [(_title_holds, (_study(title=t, pages=p), t)) for t in BRACE_TITLES for p in BRACE_PAGES]
            + [(_bibtex_holds, (_study(authors=({"family": v, "given": "A"}, {"literal": v}),
                                       journal=v, journal_abbrev=v),))
               for v in BRACE_TITLES],
        "citations: RIS line forging (3 exports x 2 parsers)":
            [(_ris_holds, (_study(title=v, journal=v, authors=({"family": v, "given": "A"},),
                                  pages="1-2"),)) for v in FORGED_LINES],
    }
    rows = []
    for label, cases in families.items():
        caught, worst_s, worst_m = 0, 0.0, 0
        for check, args in cases:
            ok, seconds, peak = measure(check, *args)
            caught += bool(ok)
            worst_s, worst_m = max(worst_s, seconds), max(worst_m, peak)
        rows.append((label, len(cases), caught, worst_s, worst_m))
    return rows
