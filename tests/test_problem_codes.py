"""One invalid fixture per problem code: each must yield exactly its code at its position."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from build_tools.checker import check
from build_tools.problems import CODES

FIXTURES = Path(__file__).parent / "fixtures" / "codes"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.json").exists())


def test_every_code_has_a_fixture_and_every_fixture_a_code():
    assert set(CASES) == set(CODES)


@pytest.mark.parametrize("code", CASES)
def test_fixture_yields_its_code_at_its_position(code, tmp_path):
    expected = json.loads((FIXTURES / code / "expected.json").read_text())
    shutil.copytree(FIXTURES / code / "evidence", tmp_path / "evidence")
    if "symlink" in expected:
        link = tmp_path / expected["symlink"]["path"]
        os.symlink(expected["symlink"]["target"], link)
    if code.startswith("E4"):
        # Import codes come from `evidence import-bib`, tested position by position in
        # tests/test_import_bib.py; the tree itself must stay clean for `check`.
        assert expected["problems"] == [] and expected["import"]["problems"], code
    result = check(evidence_dir=tmp_path / "evidence", root=tmp_path)
    found = [(Path(p.file).as_posix(), p.line, p.col) for p in result.problems if p.code == code]
    want = [(str(tmp_path / e["file"]), e["line"], e["col"]) for e in expected["problems"]]
    assert found == want, [p for p in result.problems]
    assert all(p.hint or not CODES[p.code].hint for p in result.problems if p.code == code)


@pytest.mark.parametrize("code", sorted(CODES))
def test_catalogue_entry_is_documented(code):
    entry = CODES[code]
    assert code[0] in "EW" and code[1:].isdigit() and len(code) == 4
    assert entry.severity == ("error" if code.startswith("E") else "warning")
    assert entry.title and entry.description.endswith(".") and entry.hint
