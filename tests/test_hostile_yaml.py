"""Broken and hostile YAML: each case gets one positioned problem, bounded memory, no traceback."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from build_tools.check.runner import check
from tests.hostile_cases import CASES, VALID


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_gets_one_positioned_problem_with_bounded_memory(name, tmp_path):
    content, code, line, col = CASES[name]
    raw = content() if callable(content) else content
    path = tmp_path / "evidence" / "sources" / "web-one.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(raw)
    tracemalloc.start()
    result = check(evidence_dir=tmp_path / "evidence", root=tmp_path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    errors = [(p.code, p.line, p.col) for p in result.problems if p.severity == "error"]
    assert errors == [(code, line, col)]
    # Nothing is read past the size limit and nothing is expanded: memory stays small.
    assert peak < 40_000_000, f"peak {peak} bytes"


def test_crlf_is_a_warning_and_still_loads(tmp_path):
    path = tmp_path / "evidence" / "sources" / "web-one.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(VALID.replace("\n", "\r\n").encode())
    result = check(evidence_dir=tmp_path / "evidence", root=tmp_path)
    assert [(p.code, p.line) for p in result.problems] == [("W502", 1)]


def test_symlink_out_of_the_repository_is_refused_not_read(tmp_path):
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text(VALID)
    repo = tmp_path / "repo"
    (repo / "evidence" / "sources").mkdir(parents=True)
    os.symlink(secret, repo / "evidence" / "sources" / "web-one.yaml")
    result = check(evidence_dir=repo / "evidence", root=repo)
    assert [(p.code, p.line, p.col) for p in result.problems] == [("E311", 1, 1)]


def test_check_never_modifies_the_evidence_tree(tmp_path):
    shutil.copytree(Path(__file__).parent.parent / "evidence", tmp_path / "evidence")
    for name, (content, *_rest) in sorted(CASES.items())[:6]:
        raw = content() if callable(content) else content
        if len(raw) < 2_000_000:
            (tmp_path / "evidence" / "sources" / f"hostile-{name}.yaml").write_bytes(raw)

    def digest() -> str:
        h = hashlib.sha256()
        for p in sorted((tmp_path / "evidence").rglob("*")):
            h.update(str(p.relative_to(tmp_path)).encode())
            if p.is_file():
                h.update(p.read_bytes())
        return h.hexdigest()

    before = digest()
    check(evidence_dir=tmp_path / "evidence", root=tmp_path)
    assert digest() == before


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """An evidence tree under tmp_path/repo with the given files (relative to evidence/)."""
    evidence = tmp_path / "repo" / "evidence"
    for rel, text in files.items():
        (evidence / rel).parent.mkdir(parents=True, exist_ok=True)
        (evidence / rel).write_text(text, encoding="utf-8")
    return evidence


def test_a_symlinked_record_folder_is_refused_and_nothing_in_it_is_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.yaml").write_text(VALID.replace("id: web-one", "id: leak").replace(
        "title: A page", "title: SECRET-OUTSIDE-VALUE\nunknown: SECRET-OUTSIDE-VALUE"))
    evidence = _tree(tmp_path, {"sources/web-one.yaml": VALID})
    (evidence / "search").symlink_to(outside)
    result = check(evidence_dir=evidence, root=evidence.parent)
    assert [(p.file, p.code, p.line, p.col) for p in result.problems] == [
        ((evidence / "search").as_posix(), "E311", 1, 1)]
    assert [r.file.stem for r in result.records] == ["web-one"]
    assert "SECRET" not in repr(result.problems)
    single = check([evidence / "search" / "leak.yaml"], evidence_dir=evidence,
                   root=evidence.parent)
    assert [p.code for p in single.problems] == ["E311"] and single.records == []
    assert "SECRET" not in repr(single.problems)


def test_a_symlinked_evidence_folder_is_refused(tmp_path):
    outside = _tree(tmp_path / "elsewhere", {"sources/web-one.yaml": VALID})
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "evidence").symlink_to(outside)
    result = check(evidence_dir=repo / "evidence", root=repo)
    assert result.records == [] and {p.code for p in result.problems} == {"E311"}


def test_zero_width_and_other_invisible_characters_in_titles_and_names_warn(tmp_path):
    text = VALID.replace("title: A page", "title: A\u200bpage").replace(
        "reviewed:", "authors:\n  - family: Ev\u2060il\n    given: \u00adA\nreviewed:")
    evidence = _tree(tmp_path, {"sources/web-one.yaml": text})
    result = check(evidence_dir=evidence, root=evidence.parent)
    found = [(p.severity, p.code, p.line, p.col) for p in result.problems]
    assert found == [("warning", "W505", 4, 8), ("warning", "W505", 8, 13),
                     ("warning", "W505", 9, 12)]
    assert "U+200B" in result.problems[0].message


def test_an_error_on_a_huge_value_prints_a_short_line(tmp_path):
    evidence = _tree(tmp_path, {"sources/web-one.yaml": VALID.replace(
        "title: A page", "title: " + "x" * 1_000_000).replace("kind: clinic-page",
                                                               "kind: " + "y" * 40_000)})
    result = check(evidence_dir=evidence, root=evidence.parent)
    assert [p.code for p in result.problems] == ["E203", "E207"]
    assert all(len(p.message) < 200 and len(p.hint) < 600 for p in result.problems)
    assert "1000000 characters" in result.problems[1].message


def test_upper_case_suffix_is_reported_not_ignored(tmp_path):
    evidence = _tree(tmp_path, {"sources/web-one.yaml": VALID, "studies/x.YAML": VALID,
                                "claims/y.Yaml": VALID})
    result = check(evidence_dir=evidence, root=evidence.parent)
    assert sorted((Path(p.file).name, p.code) for p in result.problems) == [
        ("x.YAML", "E307"), ("y.Yaml", "E307")]
    assert "lower-case .yaml" in result.problems[0].message


def test_check_of_a_file_named_from_inside_its_folder(tmp_path):
    evidence = _tree(tmp_path, {"sources/web-one.yaml": VALID})
    done = subprocess.run([sys.executable, "-m", "build_tools", "check", "web-one.yaml"],
                          cwd=evidence / "sources", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.endswith("no problems in 1 files\n")
    broken = evidence / "sources" / "web-one.yaml"
    broken.write_text(VALID.replace("kind: clinic-page", "kind: shop"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "build_tools", "check", "web-one.yaml"],
                          cwd=evidence / "sources", capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and ":3:7: error E203" in done.stdout


def test_odd_files_in_a_record_folder_get_a_problem_each_and_print_safely(tmp_path):
    evidence = _tree(tmp_path, {"sources/web-one.yaml": VALID})
    folder = evidence / "sources"
    (folder / "loop-a.yaml").symlink_to(folder / "loop-b.yaml")
    (folder / "loop-b.yaml").symlink_to(folder / "loop-a.yaml")
    os.mkfifo(folder / "pipe.yaml")  # reading it would block for ever
    odd = os.fsencode(folder) + b"/bad\xff\x1b[31m.yaml"  # undecodable byte, terminal escape
    with open(odd, "wb") as handle:
        handle.write(VALID.encode())
    for args in (["check", "."], ["check", str(folder)], ["check", "--strict", "pipe.yaml"]):
        done = subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=folder,
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        assert "Traceback" not in done.stderr and "\x1b" not in done.stdout, done.stderr
        assert done.returncode == 1, done.stdout
    result = check(evidence_dir=evidence, root=evidence.parent)
    assert sorted((Path(p.file).name, p.code) for p in result.problems) == [
        ("bad\ufffd\\x1b[31m.yaml", "E303"), ("loop-a.yaml", "E100"), ("loop-b.yaml", "E100"),
        ("pipe.yaml", "E100"), ("web-one.yaml", "E302")]  # the odd file repeats web-one's id
