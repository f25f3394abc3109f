"""`evidence import-bib`: real-world-shaped BibTeX exports become stubs that pass the check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from build_tools.check.runner import check
from build_tools.cite.bibimport import plan_import
from build_tools.cli import main
from build_tools.problem_codes import CODES

BIB = Path(__file__).parent / "fixtures" / "bib"
CODES_DIR = Path(__file__).parent / "fixtures" / "codes"
TREE = CODES_DIR.parent / "base" / "evidence"  # one valid study (alpha-2020), claim and source
SIGTERMANS = {
    "title": "Ketamine produces effective and long-term pain relief in patients with Complex "
             "Regional Pain Syndrome Type 1",
    "authors": [{"family": "Sigtermans", "given": "MJ"}, {"family": "van Hilten", "given": "JJ"},
                {"family": "Bauer", "given": "MCR"}, {"family": "Arbous", "given": "MS"},
                {"family": "Marinus", "given": "J"}, {"family": "Sarton", "given": "EY"},
                {"family": "Dahan", "given": "A"}],
    "journal": "Pain", "year": 2009, "month": 10, "volume": "145", "issue": "3",
    "pages": "304-311", "ids": {"doi": "10.1016/j.pain.2009.06.023", "pmid": "19665301"},
    "publication_type": "journal-article"}
FILLED = {"design: TODO": "design: rct", "summary: TODO": "summary: A trial.",
          "  - key: TODO": "  - key: abstract",
          "    url: TODO": "    url: https://pubmed.ncbi.nlm.nih.gov/19665301/",
          "    basis: TODO": "    basis: abstract", "reviewed: TODO": "reviewed: 2026-11-22"}


@pytest.fixture()
def evidence(tmp_path: Path) -> Path:
    """A writable copy of a small valid evidence tree."""
    shutil.copytree(TREE, tmp_path / "evidence")
    return tmp_path / "evidence"


def run_import(evidence: Path, bib: Path, *more: str) -> int:
    """The import-bib command on a tree."""
    return main(["import-bib", str(bib), "--evidence-dir", str(evidence), *more])


def stub(evidence: Path, rid: str) -> dict:
    """A written stub, loaded."""
    return yaml.safe_load((evidence / "studies" / f"{rid}.yaml").read_text(encoding="utf-8"))


def bibliographic(record: dict) -> dict:
    """The fields an import fills."""
    return {k: record[k] for k in SIGTERMANS if k in record}


def test_pubmed_export_gives_stubs_that_pass_the_check_once_filled(evidence, capsys):
    assert run_import(evidence, BIB / "pubmed-texmed.bib") == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "sigtermans-2009.yaml" in out and "goldberg-2005.yaml" in out
    assert bibliographic(stub(evidence, "sigtermans-2009")) == SIGTERMANS
    goldberg = stub(evidence, "goldberg-2005")
    assert goldberg["ids"] == {"pmid": "16850072"} and len(goldberg["authors"]) == 8
    assert goldberg["pages"] == "175-179" and goldberg["month"] == 4
    for rid in ("sigtermans-2009", "goldberg-2005"):
        path = evidence / "studies" / f"{rid}.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../schema/study.schema.json\n")
        assert "design: TODO" in text and "summary: TODO" in text
        for todo, value in FILLED.items():
            text = text.replace(todo, value)
        assert not [line for line in text.splitlines() if "TODO" in line
                    and not line.lstrip().startswith("#")]
        path.write_text(text, encoding="utf-8")
    result = check(evidence_dir=evidence, root=evidence.parent)
    assert result.ok, [p for p in result.problems if p.severity == "error"]


def test_zotero_export_full_names_accents_group_authors_and_note_pmid(evidence):
    assert run_import(evidence, BIB / "zotero.bib") == 0
    assert bibliographic(stub(evidence, "sigtermans-2009")) == SIGTERMANS
    kiefer = stub(evidence, "kiefer-2008")
    assert kiefer["authors"][0] == {"family": "Kiefer", "given": "RT"}
    assert kiefer["authors"][3] == {"family": "Nohé", "given": "B"}
    assert kiefer["title"] == ("A pilot open-label study of the efficacy of subanesthetic "
                               "isomeric S(+)-ketamine in refractory CRPS patients")
    assert kiefer["ids"] == {"doi": "10.1111/j.1526-4637.2006.00223.x", "pmid": "18254766"}
    perez = stub(evidence, "perez-2010")
    assert perez["authors"][-1] == {"literal": "CRPS I task force"}
    assert perez["pages"] == "20" and "issue" not in perez


def test_biblatex_export_with_eprint_pmid_and_date(evidence):
    assert run_import(evidence, BIB / "biblatex.bib") == 0
    record = stub(evidence, "sigtermans-2009")
    assert bibliographic(record) == SIGTERMANS and record["journal_abbrev"] == "Pain"


def test_studies_already_there_are_skipped_by_doi_pmid_or_title(evidence, capsys):
    assert run_import(evidence, BIB / "pubmed-texmed.bib") == 0
    written = sorted((evidence / "studies").iterdir())
    capsys.readouterr()
    assert run_import(evidence, BIB / "zotero.bib") == 0
    out = capsys.readouterr().out
    assert "skipped 'sigtermans_ketamine_2009': already in the evidence base as " \
           "sigtermans-2009 (same DOI)" in out
    assert run_import(evidence, BIB / "pubmed-texmed.bib") == 0
    out = capsys.readouterr().out
    assert "as goldberg-2005 (same PMID)" in out and "no new studies" in out
    untitled = evidence.parent / "title.bib"
    untitled.write_text("@article{x, title = {Multi-day low dose ketamine infusion for the "
                        "treatment of complex regional pain syndrome.}, author = {Goldberg, M}, "
                        "year = 2005}\n")
    assert run_import(evidence, untitled) == 0
    assert "as goldberg-2005 (same title)" in capsys.readouterr().out
    assert len(sorted((evidence / "studies").iterdir())) == len(written) + 2  # Kiefer, Perez


def test_never_overwrites_a_record_with_the_same_id(evidence):
    other = evidence / "studies" / "sigtermans-2009.yaml"
    other.write_text("# another paper by the same first author and year\n", encoding="utf-8")
    assert run_import(evidence, BIB / "biblatex.bib") == 0
    assert other.read_text(encoding="utf-8") == "# another paper by the same first author and year\n"
    assert stub(evidence, "sigtermans-2009-ketamine")["id"] == "sigtermans-2009-ketamine"


def test_dry_run_writes_nothing(evidence, capsys):
    before = sorted((evidence / "studies").iterdir())
    assert run_import(evidence, BIB / "zotero.bib", "--dry-run") == 0
    assert sorted((evidence / "studies").iterdir()) == before
    assert capsys.readouterr().out.count("would write") == 3


def test_a_malformed_entry_gets_a_positioned_error_and_the_others_are_imported(evidence,
                                                                              capsys):
    before = sorted(p.name for p in (evidence / "studies").iterdir())
    assert run_import(evidence, BIB / "malformed.bib") == 1
    err = capsys.readouterr().err
    assert "malformed.bib:9:2: error E401 field 'title' is not closed" in err
    assert "wrote 2 of 3 entries" in err and "Traceback" not in err
    after = sorted(p.name for p in (evidence / "studies").iterdir())
    assert sorted(set(after) - set(before)) == ["correll-2004.yaml", "sigtermans-2009.yaml"]


@pytest.mark.parametrize("code", sorted(c for c in CODES if c.startswith("E4")))
def test_import_code_fixture_yields_its_code_at_its_position(code, tmp_path):
    # The override's first line says where the problem is: "# expect: E401 2:3".
    header, _, content = (CODES_DIR / f"{code}.bib").read_bytes().partition(b"\n")
    _, _, found_code, *positions = header.decode().split()
    assert found_code == code
    if content.startswith(b"# make: "):  # "# make: N bytes": valid entries up to N bytes
        size = int(content.split()[2])
        entry = (BIB / "biblatex.bib").read_bytes() + b"\n"
        content = entry * (size // len(entry) + 1)
    shutil.copytree(TREE, tmp_path / "evidence")
    bib = tmp_path / "input.bib"
    bib.write_bytes(content)
    plan = plan_import(bib, tmp_path / "evidence")
    found = [(p.line, p.col) for p in plan.problems if p.code == code]
    assert found == [tuple(int(x) for x in p.split(":")) for p in positions], plan.problems
    assert all(p.hint for p in plan.problems)


def test_unreadable_and_non_utf8_files(evidence, tmp_path, capsys):
    assert run_import(evidence, tmp_path / "missing.bib") == 1
    assert "error E100" in capsys.readouterr().err
    latin = tmp_path / "latin1.bib"
    latin.write_bytes(b"@article{x,\n  title = {Noh\xe9},\n}\n")
    assert run_import(evidence, latin) == 1
    assert "latin1.bib:2:15: error E102" in capsys.readouterr().err


def test_awkward_values_stay_valid_yaml_and_others_means_et_al(evidence):
    bib = evidence.parent / "awkward.bib"
    bib.write_text('@article{k, title = {Ketamine: "a" #1 -- {\\"u}ber {CRPS}? yes: no},\n'
                   "  author = {M{\\\"u}ller, Hans-Peter and others},\n"
                   "  journal = {Pain \\& Co}, year = {2020}, doi = {https://doi.org/10.1000/ab.c}}\n",
                   encoding="utf-8")
    assert run_import(evidence, bib) == 0
    record = stub(evidence, "muller-2020")
    assert record["title"] == 'Ketamine: "a" #1 – über CRPS? yes: no'
    assert record["authors"] == [{"family": "Müller", "given": "HP"}]
    assert record["authors_incomplete"] is True
    assert record["journal"] == "Pain & Co" and record["ids"] == {"doi": "10.1000/ab.c"}
