"""`evidence diff` on a throw-away git repository: record fields and claim verdicts between commits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from build_tools import cli
from build_tools import diff as changes
from build_tools.paths import ROOT

STUDY = """\
# yaml-language-server: $schema=../schema/study.schema.json
id: trial-2020
title: A randomised trial of ketamine infusion in CRPS
authors:
  - {family: Trial, given: A}
year: 2020
publication_type: journal-article
design: rct
summary: A small made-up trial used only by the test suite.
participants:
  condition: CRPS type 1
  randomised: 40
  cite: {from: abstract, locator: abstract}
verified_from:
  - key: abstract
    url: https://example.org/abstract
    basis: abstract
outcomes:
  - id: pain
    domain: pain
    timepoint: week 4
    comparison: vs-placebo
    result: Less pain with ketamine.
    direction: benefit
    cite: {from: abstract, locator: abstract}
risk_of_bias: {tool: rob2, overall: low, reason: Made up for the test.}
not_reported: [journal, volume, pages, ids.doi, ids.pmid, intervention, follow_up]
reviewed: 2026-11-22
"""
CLAIM = """\
# yaml-language-server: $schema=../schema/claim.schema.json
id: pain-relief
statement: Ketamine infusions reduce CRPS pain more than placebo.
type: efficacy
question: effect
asserted_by:
  - source: clinic-page
    paraphrase: The clinic says infusions relieve pain.
evidence:
  - study: trial-2020
    outcome: pain
    role: tests
    stance: supports
    directness: direct
reviewed: 2026-11-22
"""
SOURCE = """\
# yaml-language-server: $schema=../schema/source.schema.json
id: clinic-page
kind: clinic-page
title: A clinic page
url: https://example.org/clinic
summary: A clinic page that promotes infusions.
reviewed: 2026-11-22
"""


def git(repo: Path, *args: str) -> str:
    """Run git in the test repository with a fixed identity and no user configuration."""
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


def write(repo: Path, rel: str, text: str) -> None:
    """Write one file of the test repository's evidence tree."""
    path = repo / "evidence" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A git repository with two commits: N 40 -> 60 and the claim's stance supports -> refutes."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "evidence" / "schema", repo / "evidence" / "schema")
    write(repo, "studies/trial-2020.yaml", STUDY)
    write(repo, "claims/pain-relief.yaml", CLAIM)
    write(repo, "sources/clinic-page.yaml", SOURCE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    write(repo, "studies/trial-2020.yaml", STUDY.replace("randomised: 40", "randomised: 60"))
    write(repo, "claims/pain-relief.yaml", CLAIM.replace("stance: supports", "stance: refutes"))
    git(repo, "commit", "-q", "-am", "second")
    return repo


def diff(capsys: pytest.CaptureFixture, repo: Path, *args: str) -> tuple[int, str, str]:
    """Run `evidence diff` in-process against the test repository."""
    code = cli.main(["diff", *args, "--repo", str(repo)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_diff_reports_changed_n_and_changed_verdict_between_two_commits(repo, capsys):
    code, out, _ = diff(capsys, repo, "HEAD~1", "HEAD", "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["old"] == git(repo, "rev-parse", "--short", "HEAD~1")
    assert report["new"] == git(repo, "rev-parse", "--short", "HEAD")
    by_id = {r["id"]: r for r in report["records"]}
    assert set(by_id) == {"trial-2020", "pain-relief"}
    assert by_id["trial-2020"]["fields"] == [
        {"path": "participants.randomised", "old": 40, "new": 60, "status": "changed"}]
    assert by_id["pain-relief"]["fields"] == [
        {"path": "evidence[trial-2020/pain].stance", "old": "supports", "new": "refutes",
         "status": "changed"}]
    [grade] = report["grades"]
    assert (grade["claim"], grade["old_verdict"], grade["new_verdict"]) == (
        "pain-relief", "supported", "contradicted")


def test_markdown_is_ready_for_a_pull_request_comment(repo, capsys):
    _, out, _ = diff(capsys, repo, "HEAD~1", "HEAD")
    assert out.startswith("### Evidence changes: `")
    assert "| `pain-relief` | supported → **contradicted** |" in out
    assert "| `participants.randomised` | 40 | 60 |" in out
    assert "- **changed** `trial-2020`: A randomised trial of ketamine infusion in CRPS" in out


def test_text_format_names_old_and_new_values(repo, capsys):
    _, out, _ = diff(capsys, repo, "HEAD~1", "HEAD", "--format", "text")
    assert "    participants.randomised: 40 -> 60" in out.splitlines()
    assert "claim pain-relief: verdict supported -> contradicted" in out


def test_default_second_revision_is_the_working_tree(repo, capsys):
    write(repo, "studies/trial-2020.yaml", STUDY.replace("randomised: 40", "randomised: 61"))
    (repo / "evidence" / "sources" / "clinic-page.yaml").unlink()
    write(repo, "studies/new-2024.yaml", STUDY.replace("trial-2020", "new-2024"))
    _, out, _ = diff(capsys, repo, "HEAD", "--format", "json")
    report = json.loads(out)
    assert report["new"] == "working tree"
    status = {(r["kind"], r["id"]): r["status"] for r in report["records"]}
    assert status == {("study", "new-2024"): "added", ("study", "trial-2020"): "changed",
                      ("source", "clinic-page"): "removed"}
    assert report["records"][1]["fields"][0] == {"path": "participants.randomised", "old": 60,
                                                 "new": 61, "status": "changed"}


def test_identical_revisions_report_nothing(repo, capsys):
    code, out, _ = diff(capsys, repo, "HEAD", "HEAD", "--format", "text")
    assert code == 0 and "no record changed" in out


def test_unknown_revision_exits_2_with_one_line(repo, capsys):
    code, out, err = diff(capsys, repo, "no-such-branch")
    assert code == 2 and out == "" and err == "evidence diff: unknown revision: no-such-branch\n"
    assert cli.main(["diff", "--repo", str(repo), "--", "--output=x"]) == 2  # never a git option
    assert capsys.readouterr().err == "evidence diff: not a revision: --output=x\n"


def test_records_with_errors_are_diffed_but_left_out_of_grading(repo, capsys):
    write(repo, "studies/trial-2020.yaml", STUDY.replace("design: rct", "design: randomised"))
    _, out, _ = diff(capsys, repo, "HEAD", "--format", "json")
    report = json.loads(out)
    assert report["records"][0]["fields"][0]["path"] == "design"
    assert any("left out of grading" in note for note in report["notes"])


def test_list_items_are_matched_by_id_so_an_insertion_is_one_change():
    old = {"outcomes": [{"id": "a", "n": 1}, {"id": "b", "n": 2}], "country": ["NL"]}
    new = {"outcomes": [{"id": "z", "n": 9}, {"id": "a", "n": 1}, {"id": "b", "n": 3}],
           "country": ["NL", "US"]}
    got = [(c.path, c.old, c.new) for c in changes.diff_fields(old, new)]
    assert got == [("country", ["NL"], ["NL", "US"]), ("outcomes[b].n", 2, 3),
                   ("outcomes[z].id", changes.MISSING, "z"), ("outcomes[z].n", changes.MISSING, 9)]


def test_markdown_escapes_what_a_record_could_inject(repo, capsys):
    hostile = STUDY.replace("title: A randomised trial of ketamine infusion in CRPS",
                            "title: 'x | y <script>alert(1)</script> `z`'")
    write(repo, "studies/trial-2020.yaml", hostile)
    _, out, _ = diff(capsys, repo, "HEAD")
    assert "<script>" not in out and "&lt;script&gt;" in out and "x \\| y" in out


def test_no_revision_compares_the_last_commit_with_the_working_tree(repo, capsys):
    write(repo, "studies/trial-2020.yaml", STUDY.replace("randomised: 40", "randomised: 70"))
    code, out, err = diff(capsys, repo, "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["old"] == git(repo, "rev-parse", "--short", "HEAD")
    assert report["new"] == "working tree"
    assert report["records"][0]["fields"][0]["new"] == 70


def test_an_unchanged_verdict_or_certainty_is_not_shown_as_a_change(repo, capsys):
    _, out, _ = diff(capsys, repo, "HEAD~1", "HEAD", "--format", "text")
    [line] = [line for line in out.splitlines() if line.startswith("claim pain-relief: ")
              and " -> " in line]  # the grade line; "claim pain-relief: changed" is the record
    for part in line.split(": ", 1)[1].split("; "):
        old, _, new = part.partition(" -> ")
        assert new and old.split(" ", 1)[1] != new, line
