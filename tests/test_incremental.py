"""Incremental builds: an edit re-makes exactly the pages that depend on what changed, the
result is always what a full build writes, and a record with errors never replaces a page."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from benchmarks.generate import generate as synthetic_base
from build_tools.paths import GENERATED_DIRS, ROOT
from build_tools.pipeline import build, generate, session
from build_tools.records.model import build_corpus
from tests.conftest import FIXTURE_EVIDENCE

DOWNLOADS = {f"downloads/{n}" for n in ("evidence.bib", "evidence.csl.json", "evidence.json",
                                        "evidence.ris", "studies.csv")}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A synthetic base of 30 valid studies (6 claims) and an empty docs/."""
    synthetic_base(tmp_path, 30)
    (tmp_path / "docs").mkdir()
    return tmp_path


def on_disk(docs: Path) -> dict[str, str]:
    """Every generated file under docs/, docs-relative path -> text."""
    return {p.relative_to(docs).as_posix(): p.read_text("utf-8")
            for folder in GENERATED_DIRS for p in sorted((docs / folder).rglob("*"))
            if p.is_file()}


def full_build(project: Path) -> dict[str, str]:
    """What a full, non-incremental generation makes from the records as they are now."""
    from build_tools.check.runner import check

    result = check(evidence_dir=project / "evidence", root=project)
    assert result.ok, [p for p in result.problems if p.severity == "error"][:3]
    return generate(build_corpus(result.records)).pages


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first match of the regular expression old in a record file."""
    text = path.read_text("utf-8")
    changed = re.sub(old, new, text, count=1, flags=re.M)
    assert changed != text, f"{old!r} not in {path.name}"
    path.write_text(changed, "utf-8")


def linking(project: Path, sid: str) -> set[str]:
    """Ids of the claims whose evidence names the study (read from the files, not the code)."""
    return {p.stem for p in (project / "evidence" / "claims").glob("*.yaml")
            if f"study: {sid}\n" in p.read_text("utf-8")}


def test_editing_a_study_remakes_only_the_pages_that_depend_on_it(project):
    built = session(project / "evidence", project, project / "docs", persist=False)
    first = built.refresh()
    assert len(first.made) == len(on_disk(project / "docs")) > 40
    study = sorted((project / "evidence" / "studies").glob("*.yaml"))[7]
    claims = linking(project, study.stem)
    assert claims  # the generator links every study
    edit(study, r"^summary: >-\n  .*$", "summary: >-\n  A new summary after re-reading.")
    again = built.refresh()
    assert again.changed == (f"evidence/studies/{study.name}",) or \
        again.changed[0].endswith(f"studies/{study.name}")
    assert set(again.regraded) == claims
    assert set(again.made) == ({f"studies/{study.stem}.md", "studies/index.md"}
                               | {f"claims/{cid}.md" for cid in claims} | DOWNLOADS)
    assert set(again.report.written) <= set(again.made)
    assert f"studies/{study.stem}.md" in again.report.written
    assert on_disk(project / "docs") == full_build(project)


def test_nothing_changed_nothing_made(project):
    built = session(project / "evidence", project, project / "docs", persist=False)
    built.refresh()
    again = built.refresh()
    assert (again.changed, again.regraded, again.made) == ((), (), ())
    assert again.report.written == [] and again.report.removed == []


@pytest.mark.parametrize("change", [
    # (file, regular expression, replacement): each edit reaches different pages
    ("claims/synth-claim-00002.yaml", r"^statement: .*$", "statement: A reworded claim."),
    ("studies/synth00004-2004.yaml", r"^design: \S+$", "design: rct"),
    ("studies/synth00010-2010.yaml", r"^  enrolled: \d+$", "  enrolled: 999"),
    ("studies/synth00011-2011.yaml", r"^  dose_as_reported: .*$", "  dose_as_reported: 2 mg/kg"),
    ("sources/synth-source-001.yaml", r"^title: .*$", "title: A renamed clinic page"),
    ("claims/synth-claim-00003.yaml", r"^  - study: \S+\n    outcome: pain-end\n    role: tests\n"
                                      r"    stance: \w+", "  - study: synth00012-2012\n"
                                      "    outcome: pain-end\n    role: context\n"
                                      "    stance: inconclusive"),
])
def test_after_any_edit_the_pages_are_what_a_full_build_makes(project, change):
    built = session(project / "evidence", project, project / "docs", persist=False)
    everything = built.refresh().made
    name, old, new = change
    edit(project / "evidence" / name, old, new)
    done = built.refresh()
    assert done.report is not None, [p.message for p in done.check.problems][:3]
    assert 0 < len(done.made) < len(everything)  # incremental, not everything
    assert on_disk(project / "docs") == full_build(project)


def test_adding_and_removing_a_study_updates_and_prunes(project):
    built = session(project / "evidence", project, project / "docs", persist=False)
    built.refresh()
    studies = project / "evidence" / "studies"
    new = studies / "synth00099-2099.yaml"
    shutil.copy(studies / "synth00003-2003.yaml", new)
    edit(new, r"^id: .*$", "id: synth00099-2099")
    edit(new, r"^title: .*$", "title: A copied study")
    edit(new, r"^  doi: .*$", "  doi: 10.5555/synth.copied")  # a DOI or PMID is one study's (E314)
    edit(new, r"^  pmid: .*$", "  pmid: '19999999'")
    edit(new, r"^unlinked_reason: .*$", "") if "unlinked_reason" in new.read_text() else None
    new.write_text(new.read_text() + "unlinked_reason: added by a test\n", "utf-8")
    added = built.refresh()
    assert "studies/synth00099-2099.md" in added.report.written
    assert on_disk(project / "docs") == full_build(project)
    new.unlink()
    removed = built.refresh()
    assert removed.report.removed == ["studies/synth00099-2099.md"]
    assert on_disk(project / "docs") == full_build(project)


def test_a_record_with_errors_never_replaces_the_last_good_page(project):
    built = session(project / "evidence", project, project / "docs", persist=False)
    built.refresh()
    before = on_disk(project / "docs")
    study = project / "evidence" / "studies" / "synth00005-2005.yaml"
    edit(study, r"^summary: >-\n  .*$", "summary: >-\n  A half-done edit.")
    edit(study, r"^design: \S+$", "design: randomised")  # not a design the schema knows
    broken = built.refresh()
    assert broken.report is None and broken.made == ()
    errors = [p for p in broken.check.problems if p.severity == "error"]
    assert errors and errors[0].file.endswith("synth00005-2005.yaml") and errors[0].line > 1
    assert on_disk(project / "docs") == before
    edit(study, r"^design: randomised$", "design: rct")
    fixed = built.refresh()
    assert "studies/synth00005-2005.md" in fixed.report.written
    assert "A half-done edit." in (project / "docs/studies/synth00005-2005.md").read_text()


def test_the_next_build_remembers_and_notices_hand_edits(project, monkeypatch):
    monkeypatch.setenv("EVIDENCE_CACHE", "on")
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(project / ".cache" / "citations"))
    first = build(project / "evidence", project, project / "docs")
    assert first.report.written and len(first.refresh.regraded) == 6
    state = project / ".cache" / "build"
    json.loads((state / "state.json").read_text())  # JSON, never pickle
    again = build(project / "evidence", project, project / "docs")
    assert (again.refresh.changed, again.refresh.regraded, again.refresh.made) == ((), (), ())
    page = project / "docs" / "claims" / "synth-claim-00001.md"
    page.write_text("edited by hand\n")
    (project / "docs" / "studies" / "synth00002-2002.md").unlink()
    mended = build(project / "evidence", project, project / "docs")
    assert set(mended.refresh.made) == {"claims/synth-claim-00001.md",
                                       "studies/synth00002-2002.md"}
    assert on_disk(project / "docs") == full_build(project)


def test_the_fixture_site_builds_the_same_incrementally(tmp_path, rendered):
    built = session(FIXTURE_EVIDENCE, ROOT, tmp_path / "docs", persist=False)
    built.refresh()
    pages = on_disk(tmp_path / "docs")
    # The fixture's pages are dated by a fixed day, the session's by the last commit.
    assert {p for p in pages if pages[p] != rendered.pages.get(p)} <= {"generated/home.md"}
    assert set(pages) == set(rendered.pages)
