"""One override per problem code on one shared base tree: each yields its code, at its position,
and no other code (tests/fixtures/codes/CODE.yaml; the base is tests/fixtures/base/evidence)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from build_tools.check.runner import check
from build_tools.problem_codes import CODES, RETIRED

FIXTURES = Path(__file__).parent / "fixtures"
CODES_DIR = FIXTURES / "codes"
BASE = FIXTURES / "base" / "evidence"
HEADER_KEYS = (b"# expect:", b"# file:", b"# also:", b"# make:", b"# symlink:")


@dataclass(frozen=True)
class Override:
    """One code's fixture: what it expects, where its content goes, and the content."""

    code: str
    positions: tuple[tuple[int, int], ...]
    target: str
    also: tuple[str, ...]
    make: str | None
    symlink: str | None
    content: bytes


def read_override(path: Path) -> Override:
    """Split an override file into its header lines and the bytes written to the target."""
    raw = path.read_bytes()
    header: dict[str, str] = {}
    while any(raw.startswith(key) for key in HEADER_KEYS):
        line, _, raw = raw.partition(b"\n")
        key, _, value = line.decode()[2:].partition(":")
        header[key] = value.strip()
    code, *positions = header["expect"].split()
    return Override(code, tuple(tuple(int(x) for x in p.split(":")) for p in positions),
                    header.get("file", ""), tuple(header.get("also", "").split()[:1]),
                    header.get("make"), header.get("symlink"), raw)


def install(override: Override, tmp_path: Path) -> Path:
    """The base tree with the override applied; returns the evidence folder."""
    evidence = tmp_path / "evidence"
    shutil.copytree(BASE, evidence)
    target = tmp_path / override.target
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    if override.symlink:
        os.symlink(override.symlink, target)
    elif override.make == "directory":
        target.mkdir()
    elif override.make and override.make.endswith(" bytes"):
        size = int(override.make.split()[0])
        target.write_bytes(b"# " + b"x" * (size - 3) + b"\n")
    else:
        target.write_bytes(override.content)
    return evidence


CHECK_CODES = sorted(p.stem for p in CODES_DIR.glob("*.yaml"))
IMPORT_CODES = sorted(p.stem for p in CODES_DIR.glob("*.bib"))


def test_every_code_has_a_fixture_and_every_fixture_a_code():
    assert set(CHECK_CODES) | set(IMPORT_CODES) == set(CODES)


def test_retired_codes_are_never_reused():
    assert not set(RETIRED) & set(CODES)
    assert not any((CODES_DIR / f"{code}.yaml").exists() for code in RETIRED)


def test_the_base_tree_is_clean():
    result = check(evidence_dir=BASE, root=BASE.parent)
    assert result.problems == [] and result.files_checked == 3


@pytest.mark.parametrize("code", CHECK_CODES)
def test_override_yields_its_code_at_its_position_and_no_other(code, tmp_path):
    override = read_override(CODES_DIR / f"{code}.yaml")
    assert override.code == code
    evidence = install(override, tmp_path)
    result = check(evidence_dir=evidence, root=tmp_path)
    found = [(Path(p.file).as_posix(), p.line, p.col) for p in result.problems if p.code == code]
    target = str(tmp_path / override.target)
    assert found == [(target, line, col) for line, col in override.positions], result.problems
    others = {p.code for p in result.problems} - {code}
    assert others == set(override.also), result.problems
    assert all(p.hint or not CODES[p.code].hint for p in result.problems if p.code == code)


@pytest.mark.parametrize("code", sorted(CODES))
def test_catalogue_entry_is_documented(code):
    entry = CODES[code]
    assert code[0] in "EW" and code[1:].isdigit() and len(code) == 4
    assert entry.severity == ("error" if code.startswith("E") else "warning")
    assert entry.title and entry.description.endswith(".") and entry.hint
