"""Hardening-table rows for the citation exports (issue 17, B1 and B2): identifier injection,
BibTeX-rule brace counting and RIS line forging, each case read back by two parsers."""

from __future__ import annotations

from typing import Any

Row = tuple[str, int, int, float, int]


def _bibtex_holds(study: Any, entry: str) -> bool:
    """Every BibTeX export of the study reads, in both parsers, as the one entry and no note."""
    from tests.bib_readers import bibtex_by_both
    from tests.test_citations_forging import _exports

    for text in _exports(study).values():
        first, second = bibtex_by_both(text)
        if list(first) != [entry] or list(second) != [entry]:
            return False
        if "note" in first[entry] or "note" in second[entry] or "url" in second[entry]:
            return False
    return True


def _titles_hold(study: Any, title: str) -> bool:
    """The brace title comes back as written from every export, in both parsers."""
    from tests.bib_readers import bibtex_by_both, text_of
    from tests.test_citations_forging import _exports

    for text in _exports(study).values():
        first, second = bibtex_by_both(text)
        if not (_bibtex_holds(study, "x-2020") and text_of(first["x-2020"]["title"]) == title
                and text_of(second["x-2020"]["title"]) == title):
            return False
    return True


def _ris_holds(study: Any) -> bool:
    """Every RIS export reads, in both parsers, as one record with the study's id."""
    from tests.bib_readers import ris_by_both
    from tests.test_citations_forging import _ris_exports

    for text in _ris_exports(study).values():
        first, second = ris_by_both(text)
        if not (len(first) == len(second) == 1 and first[0]["id"] == second[0]["ID"] == "x-2020"):
            return False
    return True


def _schema_refuses(doi: str) -> bool:
    """The study schema refuses the DOI at ids.doi (the first line of defence)."""
    from build_tools.check.schema_rules import validator

    record = {"id": "x-2020", "title": "T", "authors": [{"family": "X", "given": "A"}],
              "year": 2020, "publication_type": "journal-article", "design": "rct",
              "summary": "S.", "reviewed": "2026-11-22", "ids": {"doi": doi},
              "verified_from": [{"key": "a", "url": "https://example.org/", "basis": "abstract"}]}
    return [list(e.absolute_path) for e in validator("study").iter_errors(record)] == [["ids", "doi"]]


def citation_rows(measure: Any) -> list[Row]:
    """(category, cases, caught, worst seconds, worst peak bytes) per family; measure(f, *args)
    returns (result, seconds, peak bytes)."""
    from tests.test_citations_forging import BRACE_PAGES, BRACE_TITLES, FORGED_DOI, FORGED_LINES, _study

    injected = [("doi", FORGED_DOI), ("pmid", "1},note={INJECTED}}@misc{forged-2099,title={F}"),
                ("pmcid", "PMC1}}\n@misc{forged-2099,title={F}}"), ("doi", "10.1/x\\}},note={x}}"),
                ("doi", '10.1/x", note = "injected'), ("doi", "10.1/%7D},x={y")]
    families: dict[str, list[tuple[Any, tuple]]] = {
        "citations: identifier injection (schema, then 3 BibTeX exports x 2 parsers)":
            [(_schema_refuses, (d,)) for d in (FORGED_DOI, "10.1234/a}b", "10.1234/a{b",
                                              '10.1234/a"b', "10.1234/a\\b", "10.1234/a b")]
            + [(_bibtex_holds, (_study(ids={"doi": "10.1000/abc", "pmid": "123", f: v}), "x-2020"))
               for f, v in injected],
        "citations: BibTeX-rule brace counting (titles x pages, names, journals)":
            [(_titles_hold, (_study(title=t, pages=p), t)) for t in BRACE_TITLES for p in BRACE_PAGES]
            + [(_bibtex_holds, (_study(authors=({"family": v, "given": "A"}, {"literal": v}),
                                       journal=v, journal_abbrev=v), "x-2020"))
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
