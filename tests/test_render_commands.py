"""`evidence build` on a copy of the fixture corpus (serve's preview: tests/test_preview.py)."""

from __future__ import annotations

import shutil

import pytest

from build_tools.paths import ROOT
from build_tools.pipeline import build
from tests.conftest import FIXTURE_EVIDENCE


@pytest.fixture
def project(tmp_path):
    """A writable copy of the fixture records and an empty docs/ with a hand-written home."""
    shutil.copytree(FIXTURE_EVIDENCE, tmp_path / "evidence", symlinks=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    return tmp_path


def test_build_refuses_while_records_have_errors(project):
    bad = project / "evidence" / "studies" / "brannigan-2012.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("design: prospective-cohort",
                                                           "design: randomised"), "utf-8")
    built = build(project / "evidence", ROOT, project / "docs")
    assert built.report is None and built.refresh.made == ()
    assert "E203" in {p.code for p in built.check.problems}
    assert sorted(p.name for p in (project / "docs").iterdir()) == ["index.md"]


def test_build_writes_pages_and_then_only_changes(project):
    report = build(project / "evidence", ROOT, project / "docs").report
    assert "studies/quixworth-2009.md" in report.written
    again = build(project / "evidence", ROOT, project / "docs").report
    assert again.written == [] and again.removed == []
