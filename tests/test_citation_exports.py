"""Every export carries the record's bibliographic fields and parses with two readers each.

The study page's Cite block (as the page is rendered), evidence.bib and evidence.ris of the real
evidence base: BibTeX read by bibtexparser and pybtex, RIS by rispy and gris.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from build_tools.cite.exports import render_downloads
from build_tools.records import files
from build_tools.records.model import Corpus, build_corpus
from tests.bib_readers import bibtex_by_both, ris_by_both, text_of


@pytest.fixture(scope="module")
def base() -> Corpus:
    """The repository's own records."""
    records, problems = files.load(files.discover())
    assert problems == []
    return build_corpus(records)


def _expected_bibtex_fields(study) -> dict[str, str]:
    """The BibTeX fields a study's record gives, as plain text."""
    ids = study.ids or {}
    fields = {"volume": study.volume, "number": study.issue, "doi": ids.get("doi"),
              "pmid": ids.get("pmid"), "pmcid": ids.get("pmcid"), "year": study.year}
    return {k: str(v) for k, v in fields.items() if v}


def _check_bibtex(text: str, studies: list) -> None:
    """Both parsers read exactly these studies, with each of their fields."""
    first, second = bibtex_by_both(text)
    assert list(first) == [s.id for s in studies]
    for study in studies:
        for fields in (first[study.id], second[study.id]):
            got = {k: text_of(fields[k]) for k in _expected_bibtex_fields(study) if k in fields}
            assert got == _expected_bibtex_fields(study), study.id
            assert text_of(fields["title"]) == " ".join(study.title.split()).rstrip(".")
            if study.pages:
                assert "pages" in fields, study.id


def _check_ris(text: str, studies: list) -> None:
    """Both readers read exactly these studies, with their identifiers and pages."""
    first, second = ris_by_both(text)
    assert [r["id"] for r in first] == [s.id for s in studies]
    for record, strict, study in zip(first, second, studies, strict=True):
        ids = study.ids or {}
        assert record.get("doi") == strict.get("DO") == ids.get("doi"), study.id
        assert record.get("accession_number") == strict.get("AN") == ids.get("pmid"), study.id
        assert record.get("volume") == strict.get("VL") == (study.volume and str(study.volume))


def test_downloads_of_the_base_carry_every_field_and_parse_twice(base):
    downloads = render_downloads(base, {})
    studies = sorted(base.studies.values(), key=lambda s: s.id)
    _check_bibtex(downloads["downloads/evidence.bib"], studies)
    _check_ris(downloads["downloads/evidence.ris"], studies)
    schema = json.loads((Path(__file__).parent / "data" / "csl-schema" / "csl-data.json").read_text())
    items = json.loads(downloads["downloads/evidence.csl.json"])
    jsonschema.Draft7Validator(schema).validate(items)
    dated = {i["id"]: i for i in items if "status" in i}
    assert dated["mangnus-2021"]["issued"] == {"date-parts": [[2021, 7, 7]]}


def _page_block(page: str, language: str, starts: str) -> str:
    """The fenced code block of a language, starting with this text, on a rendered page."""
    blocks = re.findall(rf"^``` {language}\n(.*?)^```$", page, re.S | re.M)
    found = [b for b in blocks if b.startswith(starts)]
    assert len(found) == 1, (language, starts)
    return found[0]


def test_each_rendered_study_page_block_parses_twice(rendered):
    for study in rendered.corpus.studies.values():
        page = rendered.pages[f"studies/{study.id}.md"]
        _check_bibtex(_page_block(page, "bibtex", "@"), [study])
        _check_ris(_page_block(page, "text", "TY  - "), [study])
