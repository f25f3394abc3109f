"""`evidence cite ID [--style ...]`: exit codes and outputs, never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy

from build_tools.cli import main
from build_tools.paths import ROOT
from tests.test_citations import LINES

TREE = Path(__file__).parent / "fixtures" / "base" / "evidence"
STUDY = """\
# yaml-language-server: $schema=../schema/study.schema.json
id: sigtermans-2009
title: >-
  Ketamine produces effective and long-term pain relief in patients with Complex Regional Pain
  Syndrome Type 1
authors:
  - {family: Sigtermans, given: MJ}
  - {family: van Hilten, given: JJ}
  - {family: Bauer, given: MCR}
  - {family: Arbous, given: MS}
  - {family: Marinus, given: J}
  - {family: Sarton, given: EY}
  - {family: Dahan, given: A}
journal: Pain
journal_abbrev: Pain
year: 2009
month: 10
volume: '145'
issue: '3'
pages: 304-311
ids: {doi: 10.1016/j.pain.2009.06.023, pmid: '19665301'}
publication_type: journal-article
design: rct
summary: A trial.
verified_from:
  - {key: abstract, url: 'https://pubmed.ncbi.nlm.nih.gov/19665301/', basis: abstract}
reviewed: 2026-11-22
"""


@pytest.fixture()
def evidence(tmp_path: Path) -> Path:
    """A small valid tree with the Sigtermans 2009 record."""
    shutil.copytree(TREE, tmp_path / "evidence")
    (tmp_path / "evidence" / "studies" / "sigtermans-2009.yaml").write_text(STUDY)
    return tmp_path / "evidence"


def cite(evidence: Path, *args: str) -> int:
    """The cite command on a tree."""
    return main(["cite", *args, "--evidence-dir", str(evidence)])


def test_default_style_is_ama(evidence, capsys):
    assert cite(evidence, "sigtermans-2009") == 0
    assert capsys.readouterr().out == LINES["sigtermans-2009"][1] + "\n"


def test_vancouver(evidence, capsys):
    assert cite(evidence, "sigtermans-2009", "--style", "vancouver") == 0
    assert capsys.readouterr().out == LINES["sigtermans-2009"][2] + "\n"


def test_machine_formats_parse(evidence, capsys):
    assert cite(evidence, "sigtermans-2009", "--style", "bibtex") == 0
    library = bibtexparser.parse_string(capsys.readouterr().out)
    assert [e.key for e in library.entries] == ["sigtermans-2009"] and not library.failed_blocks
    assert cite(evidence, "sigtermans-2009", "--style", "ris") == 0
    assert rispy.loads(capsys.readouterr().out)[0]["doi"] == "10.1016/j.pain.2009.06.023"
    assert cite(evidence, "sigtermans-2009", "--style", "csl-json") == 0
    schema = json.loads((Path(__file__).parent / "data" / "csl-schema" / "csl-data.json")
                        .read_text())
    jsonschema.Draft7Validator(schema).validate(json.loads(capsys.readouterr().out))


@pytest.mark.parametrize("wanted, hint", [
    ("sigtermans-2008", "; did you mean sigtermans-2009?"),
    ("Sigtermans-2009", "; did you mean sigtermans-2009?"),
    ("zzz-1999", ""),
    ("../claims/claim-one", ""),
])
def test_unknown_id_exits_1_with_a_did_you_mean(evidence, capsys, wanted, hint):
    assert cite(evidence, wanted) == 1
    captured = capsys.readouterr()
    assert captured.err == f"evidence cite: no study '{wanted}'{hint}\n" and captured.out == ""


def test_record_with_errors_exits_1_with_its_problems(evidence, capsys):
    path = evidence / "studies" / "sigtermans-2009.yaml"
    path.write_text(STUDY.replace("design: rct", "design: randomised"))
    assert cite(evidence, "sigtermans-2009") == 1
    err = capsys.readouterr().err
    assert "E203" in err and "has errors" in err


def test_unknown_style_is_a_usage_error(evidence, capsys):
    with pytest.raises(SystemExit) as exc:
        cite(evidence, "sigtermans-2009", "--style", "apa")
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_command_line_run_prints_no_traceback(evidence):
    done = subprocess.run([sys.executable, "-m", "build_tools", "cite", "nobody-2000",
                           "--evidence-dir", str(evidence)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("evidence cite: no study 'nobody-2000'")
