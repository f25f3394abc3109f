"""No write outside the repository: planted symbolic links are refused, never written through.

A pull request can deliver a symlink with `git add -f` (even inside a gitignored generated
folder), so every writer refuses a link anywhere on the way to its target, with a positioned
message, and the check reports links in the site's sources (E316) before a build starts.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from build_tools.cli import main
from build_tools.site.writer import UnsafePath, write_cache_lines, write_tree
from tests.conftest import FIXTURE_EVIDENCE
from tests.hostile_cases import LINKS, run_link_case
from tests.test_hostile_nothing_lost import _make_site, contents, project_copy, run

SECRET = "root:x:0:0:secret-outside-the-repository\n"


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A folder outside every project, with one file a link could point at."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    return folder


def untouched(outside: Path) -> bool:
    """True when the outside folder still holds exactly its one file, unchanged."""
    return (sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
            and (outside / "secret.txt").read_text(encoding="utf-8") == SECRET)


@pytest.mark.parametrize("planted", ["studies/.a.md.tmp", "studies/a.md", "studies", "figures",
                                     "."])
def test_writer_refuses_a_planted_symlink_on_the_way_to_a_page(tmp_path, outside, planted):
    docs = tmp_path / "project" / "docs"
    link = docs / planted if planted != "." else docs
    link.parent.mkdir(parents=True, exist_ok=True)
    target = outside / "secret.txt" if planted.endswith((".md", ".tmp")) else outside
    link.symlink_to(target)
    with pytest.raises(UnsafePath) as refused:
        write_tree({"studies/a.md": "A", "figures/f.svg": "<svg/>"}, docs)
    assert untouched(outside)
    assert link.is_symlink()  # left for the person to look at, not silently replaced
    message = str(refused.value)
    assert f"{link.as_posix()}:1:1: error E316" in message and "symbolic link" in message


def test_writer_refuses_before_writing_anything(tmp_path, outside):
    docs = tmp_path / "docs"
    (docs / "studies").mkdir(parents=True)
    (docs / "studies" / ".z.md.tmp").symlink_to(outside / "secret.txt")
    with pytest.raises(UnsafePath):
        write_tree({"claims/a.md": "A", "studies/z.md": "Z"}, docs)
    assert not (docs / "claims").exists()  # no half-written build


@pytest.mark.parametrize("planted", ["ab", "ab/abcd.txt", "ab/abcd.1.tmp", "."])
def test_cache_writer_refuses_symlinks(tmp_path, outside, planted, monkeypatch):
    monkeypatch.setattr(os, "getpid", lambda: 1)
    cache = tmp_path / "cache"
    cache.mkdir()
    link = cache / planted if planted != "." else cache
    if planted == ".":
        cache.rmdir()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside if "." not in planted or planted == "." else outside / "secret.txt")
    with pytest.raises(UnsafePath, match="E316"):
        write_cache_lines({"abcd": "a line"}, cache)
    assert untouched(outside)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A runnable project copy with the fixture evidence."""
    return project_copy(tmp_path / "p", FIXTURE_EVIDENCE)


def test_build_refuses_a_planted_temporary_file_link(project, outside):
    link = project / "docs" / "studies" / ".quixworth-2009.md.tmp"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside / "secret.txt")
    done = run(project, "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "docs/studies/.quixworth-2009.md.tmp:1:1: error E316" in done.stderr
    assert untouched(outside)


def test_build_refuses_a_symlinked_generated_folder(project, outside):
    (project / "docs" / "figures").symlink_to(outside)
    done = run(project, "build")
    assert done.returncode == 1 and "docs/figures:1:1: error E316" in done.stderr
    assert untouched(outside) and (project / "docs" / "figures").is_symlink()


def test_a_symlink_in_hand_written_docs_stops_the_site_build(project, outside):
    (project / "docs" / "leak.md").symlink_to(outside / "secret.txt")
    (project / "docs" / "more").symlink_to(outside)
    done = _make_site(project)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "docs/leak.md:1:1: error E316" in done.stderr
    assert "docs/more:1:1: error E316" in done.stderr
    site = project / "site"
    assert not site.exists() or not any(SECRET in (site / p).read_text(errors="replace")
                                        for p in contents(site))


def test_check_reports_symlinks_in_the_site_sources(project, outside):
    (project / "overrides" / "partials").mkdir(parents=True, exist_ok=True)
    (project / "overrides" / "partials" / "footer.html").symlink_to(outside / "secret.txt")
    done = run(project, "check")
    assert done.returncode == 1
    assert "overrides/partials/footer.html:1:1: error E316" in done.stdout
    assert SECRET.strip() not in done.stdout


def test_new_refuses_a_dangling_symlink_at_the_new_record(project, outside):
    link = project / "evidence" / "studies" / "newperson-2031.yaml"
    link.symlink_to(outside / "created-by-new.yaml")  # dangling: the file does not exist yet
    done = run(project, "new", "study", "newperson-2031")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "symbolic link" in done.stderr
    assert untouched(outside) and link.is_symlink()


def test_new_refuses_a_symlinked_record_folder(project, outside):
    (project / "evidence" / "sources").rename(project / "sources-real")
    (project / "evidence" / "sources").symlink_to(outside)
    done = run(project, "new", "source", "some-page")
    assert done.returncode == 1 and "symbolic link" in done.stderr
    assert untouched(outside)


def test_export_refuses_to_write_through_symlinks(project, outside):
    downloads = project / "downloads"
    downloads.mkdir()
    (downloads / "evidence.bib").symlink_to(outside / "secret.txt")
    done = run(project, "export")
    assert done.returncode == 1 and "downloads/evidence.bib:1:1: error E316" in done.stderr
    (downloads / "evidence.bib").unlink()
    downloads.rmdir()
    downloads.symlink_to(outside)
    done = run(project, "export")
    assert done.returncode == 1 and "downloads:1:1: error E316" in done.stderr
    assert untouched(outside)


def test_import_bib_refuses_a_symlinked_studies_folder(tmp_path, outside):
    evidence = tmp_path / "repo" / "evidence"
    evidence.mkdir(parents=True)
    (evidence / "studies").symlink_to(outside)
    bib = tmp_path / "one.bib"
    bib.write_text("@article{k, title = {A trial}, author = {Alpha, B}, year = {2020}}\n",
                   encoding="utf-8")
    assert main(["import-bib", str(bib), "--evidence-dir", str(evidence)]) == 1
    assert untouched(outside)


@pytest.mark.parametrize("name", sorted(LINKS))
def test_every_planted_link_of_the_hostile_corpus_is_refused(tmp_path, name):
    codes, untouched = run_link_case(tmp_path, name)
    assert LINKS[name][3] in codes and untouched, codes
