"""Whole-base downloads, `evidence export`, and CITATION.cff."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

from build_tools.cite.exports import CSV_COLUMNS, render_downloads
from build_tools.cli import main
from build_tools.grade import rules
from build_tools.paths import ROOT
from build_tools.records.model import Claim, Corpus, Search, Source
from tests.test_citations import BRUEHL, PEREZ, SCHWARTZMAN, SIGTERMANS, make_study, people
from tests.test_citations_formats import HOSTILE, KIEFER

DATA = Path(__file__).parent / "data"
TREE = Path(__file__).parent / "fixtures" / "base" / "evidence"  # a small valid tree
PATHS = ["downloads/evidence.bib", "downloads/evidence.csl.json", "downloads/evidence.json",
         "downloads/evidence.ris", "downloads/studies.csv"]

REPORT = make_study(
    id="cadth-2020", title="Ketamine for chronic non-cancer pain", authors=people("Tran K"),
    journal="CADTH Rapid Response Report", year=2020, month=5, publication_type="report",
    design="health-technology-assessment",
    verified_from=({"key": "cadth", "url": "https://cadth.ca/ketamine", "basis": "web-page"},))
TRIAL = make_study(
    id="sigtermans-2009-full", title=SIGTERMANS.title, authors=SIGTERMANS.authors, year=2009,
    participants={"randomised": 60, "analysed": 58}, follow_up={"weeks": 12.0},
    intervention={"agent": "s-ketamine", "route": "iv", "regimen": "continuous"},
    risk_of_bias={"tool": "rob2", "overall": "low", "reason": "r"}, journal="Pain",
    ids={"doi": "10.1016/j.pain.2009.06.023"})
FORMULA = make_study(id="zz-2020", title="=HYPERLINK(\"https://example.org\")",
                     authors=people("+Plus A"), year=2020)
STUDIES = [SIGTERMANS, BRUEHL, SCHWARTZMAN, PEREZ, KIEFER, HOSTILE, REPORT, TRIAL, FORMULA]


def corpus(studies=STUDIES, reverse=False) -> Corpus:
    """A corpus of the test studies plus one claim, source and search."""
    ordered = list(reversed(studies)) if reverse else list(studies)
    claim = Claim(id="claim-one", statement="Ketamine reduces pain.", type="efficacy",
                  asserted_by=({"source": "web-one", "paraphrase": "It says so."},),
                  evidence=({"study": "sigtermans-2009", "stance": "supports",
                             "directness": "direct"},), reviewed="2026-11-22", key=True)
    source = Source(id="web-one", kind="clinic-page", title="A page", url="https://example.org/",
                    summary="A page.", reviewed="2026-11-22")
    search = Search(id="search-one", database="PubMed", query="ketamine CRPS",
                    date="2026-11-22", candidates=({"label": "x", "decision": "excluded",
                                                   "reason": "y"},))
    return Corpus(studies={s.id: s for s in ordered}, claims={claim.id: claim},
                  sources={source.id: source}, searches={search.id: search})


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    """The downloads of the test corpus, without grades."""
    return render_downloads(corpus(), {})


def test_five_files_under_downloads(files):
    assert sorted(files) == PATHS
    assert all(text.endswith("\n") for text in files.values())


def test_csl_json_validates_against_the_official_schema(files):
    schema = json.loads((DATA / "csl-schema" / "csl-data.json").read_text())
    items = json.loads(files["downloads/evidence.csl.json"])
    jsonschema.Draft7Validator(schema).validate(items)
    assert [i["id"] for i in items] == sorted(s.id for s in STUDIES)


def test_output_is_deterministic_and_sorted_by_id(files):
    assert render_downloads(corpus(reverse=True), {}) == files
    bib_keys = [line.split("{", 1)[1].rstrip(",") for line in
                files["downloads/evidence.bib"].splitlines() if line.startswith("@")]
    assert bib_keys == sorted(s.id for s in STUDIES)


def test_evidence_json_holds_every_record_as_written(files):
    data = json.loads(files["downloads/evidence.json"])
    assert [len(data[k]) for k in ("studies", "claims", "sources", "searches")] == [9, 1, 1, 1]
    trial = next(s for s in data["studies"] if s["id"] == "sigtermans-2009-full")
    assert trial["participants"] == {"randomised": 60, "analysed": 58}
    assert "path" not in trial and "month" not in trial  # unset fields are left out
    assert data["claims"][0]["key"] is True and "grade" not in data["claims"][0]


def test_evidence_json_carries_each_claims_grade():
    base = corpus()
    grades = rules.grade_all(base)
    data = json.loads(render_downloads(base, grades)["downloads/evidence.json"])
    assert data["claims"][0]["grade"] == json.loads(json.dumps(
        rules.grade_to_dict(grades["claim-one"])))


def test_studies_csv_has_one_row_per_study(files):
    rows = list(csv.reader(io.StringIO(files["downloads/studies.csv"])))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == len(STUDIES) + 1
    row = dict(zip(rows[0], next(r for r in rows if r[0] == "sigtermans-2009-full"), strict=True))
    assert row == {"id": "sigtermans-2009-full", "first_author": "Sigtermans MJ", "year": "2009",
                   "title": SIGTERMANS.title, "journal": "Pain", "design": "rct", "n": "58",
                   "agent": "s-ketamine", "route": "iv", "regimen": "continuous",
                   "follow_up_weeks": "12", "risk_of_bias": "low",
                   "doi": "10.1016/j.pain.2009.06.023", "pmid": ""}
    formula = next(r for r in rows if r[0] == "zz-2020")
    assert formula[1].startswith("'+") and formula[3].startswith("'=")  # never run as formulas


def test_export_writes_the_downloads(tmp_path, capsys):
    shutil.copytree(TREE, tmp_path / "evidence")
    out = tmp_path / "out"
    assert main(["export", "--out", str(out), "--evidence-dir", str(tmp_path / "evidence")]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(p).name for p in PATHS)
    assert "wrote 5 files" in capsys.readouterr().out
    for path in out.iterdir():  # no absolute paths and no clock in the output
        assert str(tmp_path) not in path.read_text()
    first = {p.name: p.read_text() for p in out.iterdir()}
    assert main(["export", "--out", str(out), "--evidence-dir", str(tmp_path / "evidence")]) == 0
    assert {p.name: p.read_text() for p in out.iterdir()} == first


def test_export_refuses_records_with_errors(tmp_path, capsys):
    shutil.copytree(TREE, tmp_path / "evidence")
    study = tmp_path / "evidence" / "studies" / "alpha-2020.yaml"
    study.write_text(study.read_text().replace("design: narrative-review", "design: randomised"))
    assert main(["export", "--out", str(tmp_path / "out"),
                 "--evidence-dir", str(tmp_path / "evidence")]) == 1
    err = capsys.readouterr().err
    assert "E203" in err and "not exporting" in err and not (tmp_path / "out").exists()


def test_citation_cff_is_valid_cff_1_2_0():
    # cffconvert 2.0.0 pins jsonschema<4 (the project needs >=4), so the schema it ships is
    # vendored in tests/data/cff-schema and checked here with jsonschema.
    schema = json.loads((DATA / "cff-schema" / "schema-1.2.0.json").read_text())
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(cff)
    assert cff["cff-version"] == "1.2.0"
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert cff["version"] == version  # bump both together
    assert f"Version {version}." in (ROOT / "docs" / "cite.md").read_text()


def test_files_joined_from_per_record_pieces_equal_one_write_of_them_all():
    from dataclasses import replace

    from build_tools.cite.pieces import Pieces

    # U+2028 and U+0085 are line ends to str.splitlines but not to JSON: indenting must not split
    odd = make_study(id="odd-2021", title="Line\u2028separator\u0085next", authors=people("Odd A"),
                     year=2021)
    base = corpus([*STUDIES, odd])
    whole = render_downloads(base, {})
    document = json.loads(whole["downloads/evidence.json"])
    assert whole["downloads/evidence.json"] == json.dumps(document, indent=2,
                                                          ensure_ascii=False) + "\n"
    csl = json.loads(whole["downloads/evidence.csl.json"])
    assert whole["downloads/evidence.csl.json"] == json.dumps(csl, indent=2,
                                                              ensure_ascii=False) + "\n"
    pieces = Pieces()
    assert render_downloads(base, {}, pieces) == whole
    edited = replace(base.studies["odd-2021"], title="Retitled")
    again = Corpus({**base.studies, "odd-2021": edited}, base.claims, base.sources, base.searches)
    assert render_downloads(again, {}, pieces) == render_downloads(again, {})
    assert "Retitled" in render_downloads(again, {}, pieces)["downloads/evidence.bib"]
    assert render_downloads(Corpus({}, {}, {}, {}), {}, Pieces()) == render_downloads(
        Corpus({}, {}, {}, {}), {})
