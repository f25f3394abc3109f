"""No record value can forge a citation entry or field (issue 17, B1 and B2).

Every export that writes BibTeX (evidence.bib, `evidence cite --style bibtex`, the study page's
block) and RIS is read back with two independent parsers each (tests/bib_readers.py), never only
with our own: pybtex counts braces as BibTeX does, so `\\}` is no protection there.
"""

from __future__ import annotations

import shutil

import pytest

from build_tools.check.schema_rules import validator
from build_tools.cite.bibimport import plan_import
from build_tools.cite.exports import render_downloads
from build_tools.cli import main
from build_tools.records.model import Corpus
from tests.bib_readers import bibtex_by_both, ris_by_both, text_of
from tests.citation_api import citations
from tests.test_citations import make_study, people
from tests.test_citations_cli import STUDY, TREE

FORGED_DOI = "10.1234/x},note={INJECTED}}@misc{forged-2099,title={Forged},year={2099}"
# DOIs the schema must refuse: each could break out of a BibTeX or RIS field.
UNSAFE_DOIS = [FORGED_DOI, "10.1234/a}b", "10.1234/a{b", '10.1234/a"b', "10.1234/a\\b",
               "10.1234/a b", "10.1234/a'b", "10.1234/a\tb"]
# Identifiers that would forge an entry if they got past the schema (the writer holds alone).
INJECTED_IDENTIFIERS = [
    ("doi", FORGED_DOI), ("pmid", "1},note={INJECTED}}@misc{forged-2099,title={F}"),
    ("pmcid", "PMC1}}\n@misc{forged-2099,title={F}}"), ("doi", "10.1/x\\}},note={x}}"),
    ("doi", '10.1/x", note = "injected'), ("doi", "10.1/%7D},x={y")]
# Titles that close the title field early under BibTeX's brace counting (issue 17, B2).
BRACE_TITLES = [
    "Ketamine trial}",
    'Ketamine trial}}, url = "https://evil.example/", note = "{{',
    "Closing }}} @misc(forged-2099, title = {Forged}, year = 2099)",
    "Opening {{{ never closed",
    "Mixed }{ order {}}{{ and \\} \\{ backslashes \\",
    "@misc{forged-2099, title={Forged}}",
]
# Pages crafted to pair with a title above (B2: the two together gave pybtex a forged url).
BRACE_PAGES = ["1-2", '", x = "{', "{{1}}-{2}", "1}}"]


def _study(**fields):
    """A journal article with every bibliographic field, overridable."""
    base = {"id": "x-2020", "title": "A title", "authors": people("Xu A", "Yi B"), "year": 2020,
            "journal": "Pain", "journal_abbrev": "Pain", "month": 3, "volume": "1", "issue": "2",
            "pages": "1-2", "ids": {"doi": "10.1000/abc", "pmid": "123", "pmcid": "PMC1"}}
    return make_study(**(base | fields))


def _exports(study) -> dict[str, str]:
    """The BibTeX of one study as each export writes it."""
    corpus = Corpus(studies={study.id: study}, claims={}, sources={}, searches={})
    return {"evidence.bib": render_downloads(corpus, {})["downloads/evidence.bib"],
            "cite --style bibtex": citations.format_citation(study, "bibtex"),
            "page block": citations.citation_block(study).bibtex}


def _ris_exports(study) -> dict[str, str]:
    """The RIS of one study as each export writes it."""
    corpus = Corpus(studies={study.id: study}, claims={}, sources={}, searches={})
    return {"evidence.ris": render_downloads(corpus, {})["downloads/evidence.ris"],
            "cite --style ris": citations.format_citation(study, "ris"),
            "page block": citations.citation_block(study).ris}


# --- B1: identifiers --------------------------------------------------------------------------

def doi_errors(doi: str) -> list[list]:
    """Where the study schema finds errors in an otherwise valid record carrying this DOI."""
    record = {"id": "x-2020", "title": "T", "authors": [{"family": "X", "given": "A"}],
              "year": 2020, "publication_type": "journal-article", "design": "rct",
              "summary": "S.", "verified_from": [{"key": "a", "url": "https://example.org/",
                                                  "basis": "abstract"}],
              "reviewed": "2026-11-22", "ids": {"doi": doi}}
    return [list(e.absolute_path) for e in validator("study").iter_errors(record)]


@pytest.mark.parametrize("doi", UNSAFE_DOIS)
def test_the_schema_refuses_a_doi_that_could_break_out_of_a_field(doi):
    assert doi_errors(doi) == [["ids", "doi"]], doi


def test_every_doi_in_the_base_fits_the_schema():
    from build_tools.paths import EVIDENCE_DIR
    from build_tools.records.yamlio import load_text
    dois = {}
    for path in sorted((EVIDENCE_DIR / "studies").glob("*.yaml")):
        data = load_text(path.read_text(encoding="utf-8")).data
        if (data.get("ids") or {}).get("doi"):
            dois[path.stem] = data["ids"]["doi"]
    assert len(dois) > 30
    bad = {k: v for k, v in dois.items()
           if [e for e in validator("study").iter_errors({"ids": {"doi": v}})
               if list(e.absolute_path) == ["ids", "doi"]]}
    assert bad == {}


def test_a_forged_doi_fails_evidence_check(tmp_path, capsys):
    shutil.copytree(TREE, tmp_path / "evidence")
    path = tmp_path / "evidence" / "studies" / "sigtermans-2009.yaml"
    path.write_text(STUDY.replace("doi: 10.1016/j.pain.2009.06.023", f"doi: '{FORGED_DOI}'"))
    assert main(["check", str(path), "--format", "text"]) == 1
    err = capsys.readouterr()
    assert "E205" in err.out + err.err and "ids.doi" in err.out + err.err


@pytest.mark.parametrize("field, value", INJECTED_IDENTIFIERS)
def test_no_identifier_forges_a_bibtex_entry_even_past_the_schema(field, value):
    study = _study(ids={"doi": "10.1000/abc", "pmid": "123", field: value})
    for name, text in _exports(study).items():
        first, second = bibtex_by_both(text)
        assert list(first) == ["x-2020"], name
        assert "note" not in first["x-2020"] and "note" not in second["x-2020"], name


@pytest.mark.parametrize("url", ["https://example.org/a},note={INJECTED}}@misc{forged-2099,x={",
                                 "https://example.org/MARK\\x/y", "https://example.org/{e}}}",
                                 'https://example.org/"}, note = "x'])
def test_no_web_address_forges_a_bibtex_entry(url):
    report = make_study(
        id="cadth-2020", title="Ketamine", authors=people("Tran K"), journal="CADTH", year=2020,
        publication_type="report", design="health-technology-assessment",
        verified_from=({"key": "cadth", "url": url, "basis": "web-page",
                        "accessed": "2026-11-20},note={x}}"},))
    for name, text in _exports(report).items():
        first, _ = bibtex_by_both(text)
        assert list(first) == ["cadth-2020"], name
        assert "note" not in first["cadth-2020"] and first["cadth-2020"]["url"].startswith(
            "https://example.org/"), name


def test_a_hostile_key_month_or_year_does_not_forge_an_entry():
    # Values the schema and the model never let through: the BibTeX writer holds on its own.
    for study in (_study(id="x},note={y}}@misc{forged-2099,"), _study(month=13), _study(month=0),
                  _study(year="2020},note={x")):
        first, _ = bibtex_by_both(citations.to_bibtex([study]))
        assert len(first) == 1 and "forged-2099" not in first, study.id
        assert "note" not in next(iter(first.values())), study.id


def test_import_bib_refuses_a_forged_doi_with_a_positioned_e402(tmp_path):
    shutil.copytree(TREE, tmp_path / "evidence")
    bib = tmp_path / "forged.bib"
    bib.write_text("@article{k,\n  title = {T},\n  author = {X, A},\n  year = {2020},\n"
                   "  doi = {10.1234/x{},note={INJECTED}}\n}\n"
                   "@article{q,\n  title = {Q},\n  author = {Y, B},\n  year = {2021},\n"
                   "  doi = \"10.1234/y\\\"z\"\n}\n", encoding="utf-8")
    plan = plan_import(bib, tmp_path / "evidence")
    found = [(p.code, p.line, p.col) for p in plan.problems]
    assert found == [("E402", 5, 3), ("E402", 11, 3)], plan.problems
    assert plan.stubs == []


# --- B2: braces in text fields ---------------------------------------------------------------

@pytest.mark.parametrize("pages", BRACE_PAGES)
@pytest.mark.parametrize("title", BRACE_TITLES)
def test_braces_in_a_title_round_trip_as_text_in_both_parsers(title, pages):
    study = _study(title=title, pages=pages)
    for name, text in _exports(study).items():
        first, second = bibtex_by_both(text)
        assert list(first) == ["x-2020"], name
        for fields in (first["x-2020"], second["x-2020"]):
            assert {"journal", "year", "volume", "number", "pages", "doi"} <= set(fields), name
            assert "url" not in fields and "note" not in fields, name
            assert text_of(fields["title"]) == title, name
            assert citations.expand_pages(text_of(fields["pages"])) == citations.expand_pages(pages)


@pytest.mark.parametrize("value", BRACE_TITLES)
def test_braces_in_names_journal_and_volume_stay_inside_their_field(value):
    study = _study(authors=({"family": value, "given": "A"}, {"literal": value}),
                   journal=value, journal_abbrev=value, volume=value[:20], issue=value[:20])
    for name, text in _exports(study).items():
        first, second = bibtex_by_both(text)
        assert list(first) == ["x-2020"], name
        assert text_of(first["x-2020"]["journal"]) == value, name
        assert text_of(second["x-2020"]["journal"]) == value, name
        assert len(second["x-2020"]["author"].split(" and ")) >= 2, name


# --- RIS: forged lines ----------------------------------------------------------------------

FORGED_LINES = ["MARK\nER  - \nTY  - JOUR\nID  - forged-2099\nTI  - Forged",
                "MARK\r\nER  - \r\nTY  - JOUR", "MARK\rER  - \rTY  - JOUR",
                "MARK\u2028ER  - \u2029TY  - JOUR", "MARK\x85ER  - \x0bTY  - JOUR\x0cUR  - x",
                "MARK\x1cER  - \x1dTY  - JOUR\x1eAU  - x", "ER  - ", "TY  - JOUR"]


@pytest.mark.parametrize("value", FORGED_LINES)
def test_no_value_forges_an_ris_line_or_record(value):
    study = _study(title=value, journal=value, authors=({"family": value, "given": "A"},),
                   volume=value[:20], pages="1-2")
    for name, text in _ris_exports(study).items():
        first, second = ris_by_both(text)
        assert len(first) == len(second) == 1, name
        assert first[0]["id"] == second[0]["ID"] == "x-2020", name
        assert " ".join(value.split()) == first[0]["title"] == second[0]["TI"], name


@pytest.mark.parametrize("title", BRACE_TITLES)
def test_evidence_cite_bibtex_on_a_checked_record_with_a_brace_title(tmp_path, capsys, title):
    shutil.copytree(TREE, tmp_path / "evidence")
    path = tmp_path / "evidence" / "studies" / "sigtermans-2009.yaml"
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(STUDY.replace(STUDY[STUDY.index("title:"):STUDY.index("authors:")],
                                  f'title: "{quoted}"\n'))
    evidence = ["--evidence-dir", str(tmp_path / "evidence")]
    assert main(["cite", "sigtermans-2009", "--style", "bibtex", *evidence]) == 0
    first, second = bibtex_by_both(capsys.readouterr().out)
    assert list(first) == ["sigtermans-2009"]
    assert text_of(first["sigtermans-2009"]["title"]) == text_of(second["sigtermans-2009"]["title"]) \
        == title
    assert main(["cite", "sigtermans-2009", "--style", "ris", *evidence]) == 0
    records, strict = ris_by_both(capsys.readouterr().out)
    assert records[0]["title"] == strict[0]["TI"] == title
