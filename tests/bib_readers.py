"""Two independent readers for each citation file format, for tests that must not trust our own.

BibTeX: bibtexparser v2 (a permissive Python parser) and pybtex (which counts braces the way
BibTeX itself does: a backslash does not escape a brace). RIS: rispy and gris (a strict line
reader: a tag only at the start of a line, TY opens and ER closes a record, anything else is an
error). Each reader gives entries as {key: {field: raw value}} so tests can compare them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import bibtexparser
import gris
import rispy
from pybtex.database import parse_string as pybtex_parse

from build_tools.cite.bibentry import decode


def bibtexparser_entries(text: str) -> dict[str, dict[str, str]]:
    """Entries as bibtexparser v2 reads them (raw field values); failed blocks raise."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return {e.key: {f.key: f.value for f in e.fields} for e in library.entries}


def pybtex_entries(text: str) -> dict[str, dict[str, str]]:
    """Entries as pybtex reads them (raw field values, persons joined back with ' and ')."""
    data = pybtex_parse(text, "bibtex")
    out = {}
    for key, entry in data.entries.items():
        fields = dict(entry.fields)
        for role, people in entry.persons.items():
            fields[role.lower()] = " and ".join(str(p) for p in people)
        out[key] = fields
    return out


def bibtex_by_both(text: str) -> tuple[dict, dict]:
    """The same BibTeX text read by both parsers; both must find the same keys and fields."""
    first, second = bibtexparser_entries(text), pybtex_entries(text)
    assert list(first) == list(second), (list(first), list(second))
    for key in first:
        assert set(first[key]) == set(second[key]), (key, sorted(first[key]), sorted(second[key]))
    return first, second


def text_of(raw: str) -> str:
    """A BibTeX field value as plain text (LaTeX escapes and protective braces removed)."""
    return decode(raw)


def rispy_records(text: str) -> list[dict]:
    """RIS records as rispy reads them."""
    return rispy.loads(text)


def gris_records(text: str) -> list[dict]:
    """RIS records as gris reads them (it reads files only); a broken structure raises."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.ris"
        path.write_text(text, encoding="utf-8")
        return gris.read_ris(str(path))


def ris_by_both(text: str) -> tuple[list[dict], list[dict]]:
    """The same RIS text read by both readers; both must find the same records and titles."""
    first, second = rispy_records(text), gris_records(text)
    assert [r.get("id") for r in first] == [r.get("ID") for r in second]
    assert [r.get("title") for r in first] == [r.get("TI") for r in second]
    return first, second
