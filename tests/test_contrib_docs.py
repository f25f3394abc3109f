"""CONTRIBUTING.md stays true: its templates, examples, commands and codes are checked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from build_tools.check.runner import check
from build_tools.cli import build_parser
from build_tools.paths import ROOT
from build_tools.problem_codes import CODES
from tests.test_diff import STUDY  # the trial record the error sample in the doc was made from

DOC = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC, re.DOTALL)
STARTER, STUDY_EXAMPLE, SEARCH_EXAMPLE = YAML_BLOCKS


def tree_with(tmp_path: Path, folder: str, name: str, text: str) -> Path:
    """A throw-away evidence tree holding one record (and the real schemas)."""
    shutil.copytree(ROOT / "evidence" / "schema", tmp_path / "evidence" / "schema")
    path = tmp_path / "evidence" / folder / name
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def is_excerpt(part: object, whole: object) -> bool:
    """True when part is whole with some mapping keys or list items left out."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(k in whole and is_excerpt(v, whole[k])
                                               for k, v in part.items())
    if isinstance(part, list):
        return isinstance(whole, list) and all(any(is_excerpt(p, w) for w in whole) for p in part)
    return part == whole


def test_the_doc_has_the_three_yaml_examples():
    assert len(YAML_BLOCKS) == 3


def test_every_problem_in_the_starter_template_is_a_todo(tmp_path: Path):
    path = tree_with(tmp_path, "studies", "todo-firstauthor-year.yaml", STARTER)
    result = check([path], evidence_dir=tmp_path / "evidence", root=tmp_path)
    lines = STARTER.splitlines()
    errors = [p for p in result.problems if p.severity == "error"]
    assert errors, "the placeholders should be reported"
    for p in errors:
        assert "TODO" in lines[p.line - 1], (p, lines[p.line - 1])


@pytest.mark.parametrize("block, folder", [(STUDY_EXAMPLE, "studies"), (SEARCH_EXAMPLE, "search")])
def test_real_examples_are_excerpts_of_the_records_they_name(block: str, folder: str):
    data = yaml.load(block, Loader=yaml.BaseLoader)  # both sides as text: no date/int guessing
    real = ROOT / "evidence" / folder / f"{data['id']}.yaml"
    assert f"evidence/{folder}/{data['id']}.yaml" in DOC
    assert real.exists(), f"CONTRIBUTING.md quotes {real.name}, which is missing"
    whole = yaml.load(real.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert is_excerpt(data, whole), f"update the example in CONTRIBUTING.md from {real}"


@pytest.mark.parametrize("block, folder", [(STUDY_EXAMPLE, "studies"), (SEARCH_EXAMPLE, "search")])
def test_real_examples_pass_the_check_on_their_own(tmp_path: Path, block: str, folder: str):
    rid = yaml.safe_load(block)["id"]
    path = tree_with(tmp_path, folder, f"{rid}.yaml", block)
    # A search links to the studies it included: a file of that name lets the link resolve.
    for study in re.findall(r"study: ([a-z0-9-]+)", block):
        (tmp_path / "evidence" / "studies").mkdir(exist_ok=True)
        (tmp_path / "evidence" / "studies" / f"{study}.yaml").touch()
    result = check([path], evidence_dir=tmp_path / "evidence", root=tmp_path)
    assert [p for p in result.problems if p.severity == "error"] == []


def test_the_error_sample_is_what_the_checker_prints(tmp_path: Path):
    sample = re.search(r"```\n(evidence/studies/trial-2020\.yaml.*?)```", DOC, re.DOTALL).group(1)
    broken = STUDY.replace("design: rct", "design: randomised").replace(
        "  randomised: 40", "  randomized: 40")
    path = tree_with(tmp_path, "studies", "trial-2020.yaml", broken)
    result = check([path], evidence_dir=tmp_path / "evidence", root=tmp_path)
    printed = [f"evidence/studies/trial-2020.yaml:{p.line}:{p.col}: {p.severity} {p.code} "
               f"{p.message}" for p in result.problems if p.severity == "error"]
    shown = [line for line in sample.splitlines() if line.startswith("evidence/")]
    assert shown == printed
    hints = [line.strip().removeprefix("hint: ").removesuffix("...").rstrip(", ")
             for line in sample.splitlines() if line.strip().startswith("hint:")]
    assert all(p.hint.startswith(h) for p, h in zip(result.problems, hints, strict=True))


def test_the_code_families_in_the_doc_cover_the_catalogue():
    families = set(re.findall(r"`([EW]\d)xx`", DOC))
    assert families == {code[:2] for code in CODES}


def test_commands_named_in_the_doc_exist():
    _, commands = build_parser()
    named = set(re.findall(r"evidence (new|check|diff|links|build|serve|cite|export)\b", DOC))
    assert named <= set(commands), named - set(commands)
    assert {"new", "check", "diff", "links"} <= named


def test_plain_make_sets_up_the_venv_as_the_doc_says():
    makefile = (ROOT / "Makefile").read_text()
    first_rule = re.search(r"^([^\s#.][^:=\n]*):(?!=)", makefile, re.MULTILINE).group(1)
    assert first_rule == "$(STAMP)" and "STAMP := $(VENV)/.installed" in makefile


def test_table_of_contents_links_resolve_to_headings():
    headings = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-")
                for h in re.findall(r"^#{2,3} (.+)$", DOC, re.MULTILINE)}
    for anchor in re.findall(r"\]\(#([^)]+)\)", DOC):
        assert anchor in headings, anchor


def test_the_editor_section_needs_no_settings():
    section = DOC.split("## Editor help")[1].split("\n## ")[0]
    for phrase in ("YAML** extension by Red Hat", "Hover", "Ctrl+Space", "No settings are needed"):
        assert phrase in section
