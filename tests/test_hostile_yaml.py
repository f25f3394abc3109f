"""Broken and hostile YAML: each case gets one positioned problem, bounded memory, no traceback."""

from __future__ import annotations

import hashlib
import os
import shutil
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
