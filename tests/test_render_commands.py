"""`evidence build` and `evidence serve`'s regeneration, on a copy of the fixture corpus."""

from __future__ import annotations

import os
import shutil

import pytest

from build_tools.commands.serve import regenerate, snapshot
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
    assert (built.generated, built.report) == (None, None)
    assert "E203" in {p.code for p in built.check.problems}
    assert sorted(p.name for p in (project / "docs").iterdir()) == ["index.md"]


def test_build_writes_pages_and_then_only_changes(project):
    report = build(project / "evidence", ROOT, project / "docs").report
    assert "studies/quixworth-2009.md" in report.written
    again = build(project / "evidence", ROOT, project / "docs").report
    assert again.written == [] and again.removed == []


def test_regenerate_rewrites_the_home_fragment_and_touches_its_page(project):
    assert regenerate(project / "evidence", ROOT, project / "docs")
    home = project / "docs" / "index.md"
    os.utime(home, (1_000_000_000, 1_000_000_000))
    before = snapshot(project / "evidence")
    claim = project / "evidence" / "claims" / "fixture-pain-short-term.yaml"
    claim.write_text(claim.read_text("utf-8").replace("reduces CRPS pain", "eases CRPS pain"),
                     "utf-8")
    assert snapshot(project / "evidence") != before
    assert regenerate(project / "evidence", ROOT, project / "docs")
    assert "eases CRPS pain" in (project / "docs" / "generated" / "home.md").read_text("utf-8")
    assert home.stat().st_mtime > 1_000_000_000  # so `mkdocs serve --dirty` rebuilds the home
