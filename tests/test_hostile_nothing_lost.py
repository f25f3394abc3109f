"""Nothing lost: the commands never change or delete a record, and a failed build keeps the site.

Each test works on a project copy in a temporary folder (build_tools, evidence, docs, mkdocs.yml,
Makefile), running the real command line there, and hashes the whole evidence/ tree (names,
bytes and modification times) before and after.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.paths import ROOT
from tests.conftest import FIXTURE_EVIDENCE, make_site_tree

PYTHON = sys.executable
TEXMED = ROOT / "tests" / "fixtures" / "bib"


def project_copy(dest: Path, evidence: Path = ROOT / "evidence") -> Path:
    """A runnable copy of the project in dest, whose `python -m build_tools` works on dest."""
    dest.mkdir(parents=True, exist_ok=True)
    make_site_tree(dest, {})
    shutil.copytree(ROOT / "build_tools", dest / "build_tools",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(evidence, dest / "evidence")
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`evidence ARGS` in the project copy (its own build_tools, not the installed one)."""
    env = {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([PYTHON, "-m", "build_tools", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def digest(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under folder: path -> (sha256 and mtime in ns, or ('dir', 0))."""
    out = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISDIR(info.st_mode):  # a folder's time changes when a file is added
            out[path.relative_to(folder).as_posix()] = ("dir", 0)
            continue
        out[path.relative_to(folder).as_posix()] = (hashlib.sha256(path.read_bytes()).hexdigest(),
                                                    info.st_mtime_ns)
    return out


def contents(folder: Path) -> dict[str, str]:
    """Every file under folder: relative path -> sha256 (for site comparisons)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project copy with the fixture evidence (small, so each real command runs in a second)."""
    dest = project_copy(tmp_path_factory.mktemp("project"), FIXTURE_EVIDENCE)
    probe = subprocess.run([PYTHON, "-c", "import build_tools.paths as p; print(p.ROOT)"],
                           cwd=dest, env={**os.environ, "PYTHONPATH": str(dest)},
                           capture_output=True, text=True, check=True)
    assert Path(probe.stdout.strip()) == dest, "the copy must run its own build_tools"
    return dest


def test_check_and_build_never_touch_the_records(project):
    before = digest(project / "evidence")
    for args in (["check"], ["check", "--strict"], ["check", "evidence/studies"],
                 ["check", "--format", "json"], ["build"], ["build"]):
        done = run(project, *args)
        assert done.returncode in (0, 1), (args, done.stderr[-2000:])
        assert "Traceback" not in done.stderr, (args, done.stderr[-2000:])
        assert digest(project / "evidence") == before, args
    assert (project / "docs" / "studies" / "index.md").is_file()  # the build did write pages


def test_a_build_that_fails_on_a_record_error_touches_neither_records_nor_pages(project,
                                                                              tmp_path):
    broken = project_copy(tmp_path / "p", project / "evidence")
    assert run(broken, "build").returncode == 0
    record = next((broken / "evidence" / "studies").glob("*.yaml"))
    record.write_text(record.read_text(encoding="utf-8").replace("\ndesign: ", "\ndesign: x-",
                                                                  1), encoding="utf-8")
    evidence, pages = digest(broken / "evidence"), digest(broken / "docs")
    done = run(broken, "build")
    assert done.returncode == 1 and "E203" in done.stderr, done.stderr[-2000:]
    assert digest(broken / "evidence") == evidence and digest(broken / "docs") == pages


@pytest.mark.parametrize("case", ["malformed", "duplicate", "duplicate-and-new", "dry-run",
                                  "hostile"])
def test_import_bib_never_changes_an_existing_record(project, tmp_path, case):
    cited = run(project, "cite", "quixworth-2009", "--style", "bibtex")
    assert cited.returncode == 0, cited.stderr
    new = ("@article{newkey,\n  title = {A new trial of something},\n"
           "  author = {Newperson, Ann},\n  journal = {J Test},\n  year = {2031},\n}\n")
    hostile = ("@article{../../../etc/passwd,\n"
               "  title = {<script>alert(1)</script> [x](javascript:alert(2)) --8<-- \"/etc/x\"},\n"
               "  author = {../../Evil, <img src=x onerror=alert(3)>},\n"
               "  journal = {{{ 7*7 }}},\n  year = {2032},\n}\n")
    text, args, code = {
        "malformed": ((TEXMED / "malformed.bib").read_text(encoding="utf-8"), [], 1),
        "duplicate": (cited.stdout, [], 0),
        "duplicate-and-new": (cited.stdout + "\n" + new, [], 0),
        "dry-run": (new, ["--dry-run"], 0),
        "hostile": (hostile, [], 0),
    }[case]
    bib = tmp_path / "import.bib"
    bib.write_text(text, encoding="utf-8")
    before = digest(project / "evidence")
    tree = {p for p in project.rglob("*") if "__pycache__" not in p.parts}
    done = run(project, "import-bib", str(bib), "--evidence-dir", str(project / "evidence"), *args)
    try:
        assert done.returncode == code, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        after = digest(project / "evidence")
        assert {k: v for k, v in after.items() if k in before} == before
        added = sorted(set(after) - set(before))
        # malformed.bib: the two good entries are imported, the malformed one reported
        expected = {"malformed": 2, "duplicate": 0, "dry-run": 0}.get(case, 1)
        assert len(added) == expected, added
        assert all(a.startswith("studies/") and "/" not in a[8:] for a in added), added
        outside = {p for p in project.rglob("*") if "__pycache__" not in p.parts} - tree
        assert {p.relative_to(project / "evidence").as_posix() for p in outside} == set(added)
        if case == "hostile":
            check = run(project, "check", f"evidence/{added[0]}")
            assert "Traceback" not in check.stderr
    finally:
        for rel in sorted(set(digest(project / "evidence")) - set(before)):
            (project / "evidence" / rel).unlink()


def _make_site(project: Path) -> subprocess.CompletedProcess:
    """`make site` in a project copy, with .venv/bin wrappers that run the copy's own code."""
    bin_dir = project / ".venv" / "bin"
    if not bin_dir.is_dir():
        bin_dir.mkdir(parents=True)
        for name, module in (("evidence", "build_tools"), ("mkdocs", "mkdocs")):
            wrapper = bin_dir / name
            wrapper.write_text(f'#!/bin/sh\nexec "{PYTHON}" -m {module} "$@"\n', encoding="utf-8")
            wrapper.chmod(0o755)
        (project / ".venv" / ".installed").touch()  # newer than pyproject.toml: no install
    env = {**os.environ, "PYTHONPATH": str(project)}
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "GITHUB_ACTIONS"):
        env.pop(name, None)
    return subprocess.run(["make", "--no-print-directory", "site"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


def test_a_failed_site_build_leaves_the_last_good_site(tmp_path):
    project = project_copy(tmp_path / "p", FIXTURE_EVIDENCE)
    first = _make_site(project)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-3000:]
    good = contents(project / "site")
    assert "index.html" in good and "studies/index.html" in good

    # 1. MkDocs fails under --strict: a hand-written page links to a page that does not exist
    page = project / "docs" / "broken.md"
    page.write_text("# Broken\n\nSee [nowhere](nowhere.md).\n", encoding="utf-8")
    second = _make_site(project)
    assert second.returncode != 0 and "nowhere.md" in second.stdout + second.stderr
    assert contents(project / "site") == good
    page.unlink()

    # 2. `evidence build` fails: a record has an error
    record = project / "evidence" / "studies" / "quixworth-2009.yaml"
    original = record.read_text(encoding="utf-8")
    record.write_text(original.replace("design: rct", "design: randomised"), encoding="utf-8")
    third = _make_site(project)
    assert third.returncode != 0 and "E203" in third.stdout + third.stderr
    assert contents(project / "site") == good

    # and once both are fixed, the next build replaces the site (the swap is not a no-op)
    record.write_text(original.replace("Fictional S-ketamine", "Renamed S-ketamine"),
                      encoding="utf-8")
    fourth = _make_site(project)
    assert fourth.returncode == 0, fourth.stderr[-3000:]
    assert contents(project / "site") != good
    assert "Renamed S-ketamine" in (project / "site" / "studies" / "quixworth-2009" /
                                    "index.html").read_text(encoding="utf-8")
    assert not (project / ".site.old").exists()
