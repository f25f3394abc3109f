"""The `evidence` command end to end: exit codes, formats, and the issue's done-when case."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.paths import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "codes"
BASE = Path(__file__).parent / "fixtures" / "base" / "evidence"  # a valid study, claim and source


def run(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m build_tools` as a user would."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None) if env is None else None
    return subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=120)


def tree_hash(root: Path) -> str:
    """A digest of every file's path and bytes under root."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture()
def broken(tmp_path: Path) -> Path:
    """Six records, each with one of the issue's six mistakes."""
    study = (BASE / "studies" / "alpha-2020.yaml").read_text()

    def variant(sid: str, old: str, new: str) -> str:
        assert old in study
        return study.replace("id: alpha-2020", f"id: {sid}").replace(old, new)

    paths = {
        "studies/enum-2020.yaml": variant("enum-2020", "design: narrative-review",
                                          "design: randomised"),
        "studies/unknown-2020.yaml": variant("unknown-2020", "year: 2020",
                                             "year: 2020\nsample_size: 40"),
        "studies/dupkey-2020.yaml": variant("dupkey-2020", "year: 2020",
                                            "year: 2020\nyear: 2021"),
        "studies/doi-2020.yaml": variant("doi-2020", "doi: 10.1000/xyz",
                                         "doi: https://doi.org/10.1000/xyz"),
        "studies/tab-2020.yaml": variant("tab-2020", "    given: A", "\tgiven: A"),
        "studies/alpha-2020.yaml": study,
        "claims/claim-one.yaml": (BASE / "claims" / "claim-one.yaml").read_text().replace(
            "study: alpha-2020", "study: alpha-2021"),
        "sources/web-one.yaml": (BASE / "sources" / "web-one.yaml").read_text(),
    }
    for rel, text in paths.items():
        (tmp_path / "evidence" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "evidence" / rel).write_text(text)
    shutil.copytree(ROOT / "evidence" / "schema", tmp_path / "evidence" / "schema")
    return tmp_path


def test_each_mistake_gets_one_positioned_problem_and_no_file_changes(broken: Path):
    before = tree_hash(broken)
    files = sorted(str(p) for p in (broken / "evidence").rglob("*.yaml"))
    result = run("check", "--format", "json", *files, cwd=broken)
    assert result.returncode == 1, result.stderr
    got = sorted((Path(p["file"]).name, p["line"], p["col"], p["code"])
                 for p in json.loads(result.stdout)["problems"] if p["severity"] == "error")
    assert got == [
        ("claim-one.yaml", 10, 12, "E301"),    # dangling claim link
        ("doi-2020.yaml", 11, 8, "E205"),      # bad DOI
        ("dupkey-2020.yaml", 14, 1, "E105"),   # duplicate key, at the second one
        ("enum-2020.yaml", 15, 9, "E203"),     # wrong enum
        ("tab-2020.yaml", 6, 1, "E104"),       # tab-indented line
        ("unknown-2020.yaml", 14, 1, "E201"),  # unknown field
    ]
    assert tree_hash(broken) == before


def test_text_format_is_path_line_col_severity_code_message_with_hint(broken: Path):
    claim = broken / "evidence" / "claims" / "claim-one.yaml"
    result = run("check", str(claim), cwd=broken)
    first, hint = result.stdout.splitlines()[:2]
    assert first.endswith("claim-one.yaml:10:12: error E301 evidence[0].study: no study 'alpha-2021'")
    assert hint == "    hint: closest: alpha-2020"
    assert result.stdout.splitlines()[-1] == "1 error in 1 file (1 checked)"


def test_github_format_is_chosen_under_github_actions(broken: Path):
    claim = broken / "evidence" / "claims" / "claim-one.yaml"
    result = run("check", str(claim), cwd=broken, env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error file=")
    assert ",line=10,col=12,title=E301 Broken link::" in result.stdout


def test_usage_errors_exit_2_without_traceback():
    result = run("check", "--format", "yaml")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert run().returncode == 2


def test_clean_evidence_exits_0(tmp_path: Path):
    shutil.copytree(BASE, tmp_path / "evidence")
    files = [str(p) for p in (tmp_path / "evidence").rglob("*.yaml")]
    result = run("check", "--strict", *files[:0], str(tmp_path / "evidence" / "sources"))
    assert result.returncode == 0, result.stdout


def test_new_writes_nothing_over_an_existing_record_and_refuses_bad_ids():
    assert run("new", "study", "Bad_Id").returncode == 2
    existing = next((ROOT / "evidence" / "studies").glob("*.yaml"), None)
    if existing is not None:
        before = existing.read_bytes()
        assert run("new", "study", existing.stem).returncode == 1
        assert existing.read_bytes() == before


def test_export_default_folder_is_gitignored():
    done = subprocess.run(["git", "check-ignore", "-q", "downloads/evidence.bib"], cwd=ROOT,
                          capture_output=True, timeout=30)
    assert done.returncode == 0, "evidence export writes ./downloads by default: ignore it"
