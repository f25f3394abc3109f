"""`evidence diff --rules own`: each revision graded by its own code, as its site published it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from build_tools.paths import ROOT
from build_tools.revision_grades import published_grades
from tests.test_diff import diff, git, repo  # noqa: F401  (repo is a fixture used by name)

# A stand-in for an old revision's code whose grading rules differ from today's: its export writes
# every claim as "mixed" at "moderate" certainty, so a diff that shows those values ran it.
OLD_RULES_MAIN = '''\
import json, pathlib, sys
out = pathlib.Path(sys.argv[sys.argv.index("--out") + 1])
out.mkdir(parents=True, exist_ok=True)
claims = [{"id": p.stem, "grade": {"verdict": "mixed", "certainty": "moderate"}}
          for p in pathlib.Path("evidence/claims").glob("*.yaml")]
(out / "evidence.json").write_text(json.dumps({"claims": claims}))
'''


def commit_code(repo: Path, main_text: str | None, message: str) -> None:  # noqa: F811
    """Commit a build_tools package into the test repository: a stand-in, or today's real one."""
    target = repo / "build_tools"
    shutil.rmtree(target, ignore_errors=True)
    if main_text is None:
        shutil.copytree(ROOT / "build_tools", target,
                        ignore=shutil.ignore_patterns("__pycache__"))
    else:
        target.mkdir()
        (target / "__init__.py").write_text("")
        (target / "__main__.py").write_text(main_text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture()
def old_rules_repo(repo: Path) -> Path:  # noqa: F811  (the fixture of the same name is used)
    """The diff test repository with the stand-in old rules committed at HEAD~1's evidence."""
    git(repo, "checkout", "-q", "HEAD~1")
    git(repo, "checkout", "-q", "-b", "old")
    commit_code(repo, OLD_RULES_MAIN, "old rules")
    git(repo, "checkout", "-q", "main")
    commit_code(repo, None, "today's rules")
    return repo


def grades_of(out: str) -> dict[str, tuple]:
    """Claim id -> (old verdict, new verdict, old certainty, new certainty) from JSON output."""
    return {g["claim"]: (g["old_verdict"], g["new_verdict"], g["old_certainty"],
                         g["new_certainty"]) for g in json.loads(out)["grades"]}


def test_own_rules_show_what_the_old_revision_published(old_rules_repo, capsys):
    code, out, _ = diff(capsys, old_rules_repo, "old", "main", "--format", "json", "--rules", "own")
    assert code == 0
    assert grades_of(out) == {"pain-relief": ("mixed", "contradicted", "moderate", "low")}
    assert any("graded with its own rules" in n for n in json.loads(out)["notes"])


def test_current_rules_grade_both_sides_alike_and_say_so(old_rules_repo, capsys):
    code, out, _ = diff(capsys, old_rules_repo, "old", "main", "--format", "json")
    assert code == 0
    assert grades_of(out) == {"pain-relief": ("supported", "contradicted", "low", "low")}
    notes = json.loads(out)["notes"]
    assert any("today's rules" in n and "--rules own" in n for n in notes)


def test_a_revision_without_code_falls_back_to_todays_rules_with_a_note(repo, capsys):  # noqa: F811
    code, out, _ = diff(capsys, repo, "HEAD~1", "HEAD", "--format", "json", "--rules", "own")
    assert code == 0
    assert grades_of(out) == {"pain-relief": ("supported", "contradicted", "low", "low")}
    assert any("could not export" in n for n in json.loads(out)["notes"])


def test_todays_code_exports_the_grades_todays_rules_compute(old_rules_repo):
    own = published_grades(old_rules_repo, git(old_rules_repo, "rev-parse", "main"))
    assert own is not None
    assert {cid: (g.verdict, g.certainty) for cid, g in own.items()} == {
        "pain-relief": ("contradicted", "low")}
