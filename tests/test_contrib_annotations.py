"""`evidence check --format github`: what a contributor sees on the pull-request diff."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from build_tools import cli
from build_tools.paths import ROOT

BASE = Path(__file__).parent / "fixtures" / "base" / "evidence"
ANNOTATION = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.+)$")


@pytest.fixture()
def study(tmp_path: Path) -> Path:
    """A valid study in a throw-away evidence tree."""
    shutil.copytree(BASE, tmp_path / "evidence")
    shutil.copytree(ROOT / "evidence" / "schema", tmp_path / "evidence" / "schema")
    return tmp_path / "evidence" / "studies" / "alpha-2020.yaml"


def annotations(capsys: pytest.CaptureFixture, path: Path, *extra: str) -> tuple[int, list]:
    """Run the check in-process; the parsed annotation lines."""
    code = cli.main(["check", str(path), *extra])
    lines = capsys.readouterr().out.splitlines()
    return code, [m.groups() for line in lines if (m := ANNOTATION.match(line))]


def test_a_broken_record_gives_one_error_annotation_per_problem(study, capsys):
    study.write_text(study.read_text().replace("design: narrative-review", "design: randomised")
                     .replace("year: 2020", "year: 2020\nsample_size: 40"))
    code, found = annotations(capsys, study, "--format", "github")
    assert code == 1
    assert [(level, Path(file).name, int(line), int(col), title)
            for level, file, line, col, title, _ in found] == [
        ("error", "alpha-2020.yaml", 14, 1, "E201 Unknown field"),
        ("error", "alpha-2020.yaml", 16, 9, "E203 Value not allowed"),
    ]
    assert "'randomised' is not an allowed value (hint: use one of: rct" in found[1][5]


def test_a_yaml_error_is_annotated_at_its_line(study, capsys):
    study.write_text(study.read_text().replace("title: A trial of something",
                                               "title: A trial: of 'something"))
    code, found = annotations(capsys, study, "--format", "github")
    assert code == 1 and found[0][0] == "error" and found[0][4].startswith("E101")
    assert found[0][2] == "3"


def test_warnings_are_warning_annotations_and_github_is_the_default_on_actions(study, capsys,
                                                                              monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    study.write_text(study.read_text().replace("journal: Pain\n", ""))
    code, found = annotations(capsys, study)
    assert code == 0
    assert [(level, title.split()[0]) for level, _, _, _, title, _ in found] == [
        ("warning", "W503")]
    assert annotations(capsys, study, "--strict")[0] == 1


def test_a_clean_record_gives_no_annotation(study, capsys):
    code, found = annotations(capsys, study.parent.parent / "claims", "--format", "github")
    assert code == 0 and found == []
