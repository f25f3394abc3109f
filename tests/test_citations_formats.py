"""BibTeX and RIS exports round-trip: written by bibtexparser v2 / rispy, read back, same fields."""

from __future__ import annotations

import bibtexparser
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.cite.bibentry import entry_fields, initials
from build_tools.cite.bibimport import parse
from tests.citation_api import citations
from tests.test_citations import (
    BRUEHL,
    CORRELL,
    GOLDBERG,
    PEREZ,
    SCHWARTZMAN,
    SIGTERMANS,
    make_study,
    people,
)

KIEFER = make_study(  # an accent, a plus sign in brackets, nine authors
    id="kiefer-2008", title="A pilot open-label study of the efficacy of subanesthetic isomeric "
                            "S(+)-ketamine in refractory CRPS patients",
    authors=people("Kiefer RT", "Rohr P", "Ploppa A", "Nohé B", "Dieterich HJ", "Grothusen J",
                   "Altemeyer KH", "Unertl K", "Schwartzman RJ"),
    journal="Pain Medicine", journal_abbrev="Pain Med", year=2008, volume="9", issue="1",
    pages="44-54", ids={"doi": "10.1111/j.1526-4637.2006.00223.x", "pmid": "18254766"},
    design="case-series")
HOSTILE = make_study(  # every character LaTeX treats specially, in title, journal and names
    id="de-la-cruz-2021",
    title=r"Ketamine {braces} & 50% relief: $5 #1 under_score ~tilde ^caret \back -- `` '' ?` "
          "Señor Müller's “quoted” study",
    authors=people("de la Cruz MJ", "O'Connell NE", "Müller-Lüdenscheidt H", "=R&D % group"),
    journal="Journal of Pain & Symptom Management", journal_abbrev="J Pain Symptom Manage",
    year=2021, month=2, volume="61", issue="2", pages="e1-e12",
    ids={"doi": "10.1016/j.jpainsymman.2020.08.001", "pmid": "32800000", "pmcid": "PMC7000000"},
    authors_incomplete=True)
STUDIES = [SIGTERMANS, BRUEHL, GOLDBERG, CORRELL, SCHWARTZMAN, PEREZ, KIEFER, HOSTILE]
BIB_FIELDS = ("title", "authors", "journal", "journal_abbrev", "year", "month", "volume", "issue",
              "pages", "publication_type")


def expected_fields(study) -> dict:
    """What a study's BibTeX or RIS entry should read back as."""
    out = {"title": study.title, "year": study.year, "publication_type": study.publication_type,
           "authors": [dict(a) for a in study.authors]}
    for key in ("journal", "journal_abbrev", "month", "volume", "issue", "pages"):
        if getattr(study, key):
            out[key] = getattr(study, key)
    return out


def test_bibtex_round_trip_gives_the_same_fields():
    text = citations.to_bibtex(STUDIES)
    entries, problems = parse(text, "evidence.bib")
    assert problems == []
    assert [e.key for e in entries] == [s.id for s in STUDIES]  # keys are the record ids
    for entry, study in zip(entries, STUDIES, strict=True):
        fields = entry_fields(entry)
        assert {k: fields[k] for k in BIB_FIELDS if k in fields} == expected_fields(study), study.id
        ids = {k: v for k, v in (study.ids or {}).items() if k != "registry"}
        assert fields.get("ids", {}) == ids
        assert fields.get("authors_incomplete", False) == study.authors_incomplete


def test_bibtex_escapes_latex_specials_and_keeps_accents_readable():
    entry = citations.to_bibtex([HOSTILE])
    # Braces as balanced macros, never \{ \}: BibTeX counts a brace whatever precedes it.
    assert r"\textbraceleft{}braces\textbraceright{} \& 50\% relief: \$5 \#1 under\_score" in entry
    assert "Señor Müller's" in entry and "-{}-" in entry
    assert "author = {de la Cruz, M. J. and O'Connell, N. E." in entry
    assert "{R\\&D \\% group} and others}" in entry
    assert "pages = {e1--e12}" in entry and "month = feb," in entry
    # Plain bibtexparser (no middleware of ours) reads the file without a failed block.
    library = bibtexparser.parse_string(citations.to_bibtex(STUDIES))
    assert not library.failed_blocks and len(library.entries) == len(STUDIES)


def test_identifiers_are_written_and_read_verbatim():
    study = make_study(id="x-2001", title="T", authors=people("X A"), year=2001,
                       ids={"doi": "10.1002/(SICI)1097-0258(20000515)19:9<1141::AID-SIM479>3.0.CO;2-F",
                            "pmid": "10797513"})
    entries, _ = parse(citations.to_bibtex([study]), "x.bib")
    assert entry_fields(entries[0])["ids"] == study.ids
    escaped = "@article{k, title={T}, author={X, A}, year=2001, doi={10.1000/a\\_b\\%c}}"
    assert entry_fields(parse(escaped, "k.bib")[0][0])["ids"] == {"doi": "10.1000/a_b%c"}


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"),
                             exclude_characters="\u02c6"), min_size=1, max_size=60)
       .filter(lambda t: t.strip().rstrip(".").strip()))
def test_any_title_survives_the_bibtex_round_trip(title):
    study = make_study(id="x-2020", title=title, authors=people("X A"), year=2020)
    entries, problems = parse(citations.to_bibtex([study]), "x.bib")
    assert problems == [] and len(entries) == 1
    assert entry_fields(entries[0])["title"] == citations._title(title)


def _from_ris(record: dict) -> dict:
    """RIS fields back to study fields (the inverse of citations.ris_record)."""
    authors = []
    for name in record.get("authors", []):
        family, _, given = name.partition(", ")
        authors.append({"family": family, "given": initials(given)} if given else {"literal": name})
    first, last = record.get("start_page"), record.get("end_page")
    date = record.get("date", "")
    out = {"title": record["title"], "authors": authors, "year": int(record["year"]),
           "journal": record.get("secondary_title"), "journal_abbrev": record.get("alternate_title1"),
           "month": int(date[5:7]) if date[5:7] else None, "volume": record.get("volume"),
           "issue": record.get("number"), "pages": f"{first}-{last}" if last else first}
    return {k: v for k, v in out.items() if v}


def test_ris_round_trip_gives_the_same_fields():
    records = rispy.loads(citations.to_ris(STUDIES))
    assert [r["id"] for r in records] == [s.id for s in STUDIES]
    for record, study in zip(records, STUDIES, strict=True):
        want = expected_fields(study)
        want.pop("publication_type")
        assert _from_ris(record) == want, study.id
        ids = study.ids or {}
        assert record.get("doi") == ids.get("doi")
        assert record.get("accession_number") == ids.get("pmid")
        assert record.get("custom2") == ids.get("pmcid")
        assert record["type_of_reference"] == "JOUR"


def test_ris_has_no_counter_lines_and_ends_each_record():
    text = citations.to_ris([SIGTERMANS, BRUEHL])
    assert text.splitlines()[0] == "TY  - JOUR"
    assert text.count("ER  - ") == 2 and "1." not in text.splitlines()


def test_cli_styles_print_one_citation_each():
    assert citations.format_citation(BRUEHL, "ama").endswith("doi:10.1136/bmj.h2730\n")
    assert citations.format_citation(BRUEHL, "csl-json").lstrip().startswith("[")
    for style in citations.FORMATS:
        assert citations.format_citation(BRUEHL, style).endswith("\n")
