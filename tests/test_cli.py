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
BASE = FIXTURES / "W501" / "evidence"  # a valid study, claim and source (plus one unused study)


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
    """A study with six distinct mistakes, and a claim with a dangling link."""
    study = (BASE / "studies" / "alpha-2020.yaml").read_text()
    study = (study.replace("design: narrative-review", "design: randomised")       # wrong enum
             .replace("year: 2020", "year: 2020\nsample_size: 40")                # unknown field
             .replace("publication_type: journal-article",
                      "publication_type: journal-article\npublication_type: report")  # duplicate
             .replace("doi: 10.1000/xyz", "doi: https://doi.org/10.1000/xyz"))    # bad DOI
    tabbed = study.replace("    given: A", "\tgiven: A")                         # tab
    claim = (BASE / "claims" / "claim-one.yaml").read_text().replace(
        "study: alpha-2020", "study: alpha-2021")                                # dangling link
    paths = {"studies/alpha-2020.yaml": study, "studies/tabbed-2020.yaml":
             tabbed.replace("id: alpha-2020", "id: tabbed-2020"), "claims/claim-one.yaml": claim,
             "sources/web-one.yaml": (BASE / "sources" / "web-one.yaml").read_text()}
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
    report = json.loads(result.stdout)
    got = {(Path(p["file"]).name, p["line"], p["col"], p["code"]) for p in report["problems"]
           if p["severity"] == "error"}
    assert got == {
        ("alpha-2020.yaml", 16, 1, "E105"),   # duplicate publication_type (second key)
        ("tabbed-2020.yaml", 6, 1, "E104"),   # tab-indented line
        ("claim-one.yaml", 9, 12, "E301"),    # dangling claim link
    } | set()  # the duplicate key stops alpha-2020 from loading; see next test for the rest
    assert tree_hash(broken) == before


def test_schema_mistakes_are_all_reported_at_their_lines(broken: Path):
    study = broken / "evidence" / "studies" / "alpha-2020.yaml"
    study.write_text(study.read_text().replace("publication_type: report\n", ""))
    result = run("check", "--format", "json", str(study), cwd=broken)
    codes = {(p["line"], p["col"], p["code"]) for p in json.loads(result.stdout)["problems"]}
    assert {(11, 8, "E205"), (14, 1, "E201"), (16, 9, "E203")} <= codes
    assert result.returncode == 1


def test_text_format_is_path_line_col_severity_code_message_with_hint(broken: Path):
    claim = broken / "evidence" / "claims" / "claim-one.yaml"
    result = run("check", str(claim), cwd=broken)
    first, hint = result.stdout.splitlines()[:2]
    assert first.endswith("claim-one.yaml:9:12: error E301 evidence.0.study: no study 'alpha-2021'")
    assert hint == "    hint: closest: alpha-2020"
    assert result.stdout.splitlines()[-1] == "1 error in 1 file (1 checked)"


def test_github_format_is_chosen_under_github_actions(broken: Path):
    claim = broken / "evidence" / "claims" / "claim-one.yaml"
    result = run("check", str(claim), cwd=broken, env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error file=")
    assert ",line=9,col=12,title=E301 Broken link::" in result.stdout


def test_usage_errors_exit_2_without_traceback():
    result = run("check", "--format", "yaml")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert run().returncode == 2


def test_clean_evidence_exits_0(tmp_path: Path):
    shutil.copytree(FIXTURES / "W504" / "evidence", tmp_path / "evidence")
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
