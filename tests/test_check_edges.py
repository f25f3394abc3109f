"""A new contributor's rough edges: placeholders, one file checked like the whole tree, duplicate
identifiers, one path notation, harms linked to benefits, and hints that fit the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_tools.check.runner import check
from build_tools.cli import main
from build_tools.records.templates import template

BASE = Path(__file__).parent / "fixtures" / "base" / "evidence"  # alpha-2020, claim-one, web-one
ALPHA = (BASE / "studies" / "alpha-2020.yaml").read_text(encoding="utf-8")
CLAIM = (BASE / "claims" / "claim-one.yaml").read_text(encoding="utf-8")


@pytest.fixture()
def evidence(tmp_path: Path) -> Path:
    """A writable copy of the small valid base tree."""
    shutil.copytree(BASE, tmp_path / "evidence")
    return tmp_path / "evidence"


def write(evidence: Path, rel: str, text: str) -> Path:
    """Write one record of the tree."""
    path = evidence / rel
    path.write_text(text, encoding="utf-8")
    return path


def found(result, *, codes: tuple[str, ...] = ()) -> list[tuple[str, str, int, int]]:
    """(file name, code, line, col) of the problems, optionally only of some codes."""
    return [(Path(p.file).name, p.code, p.line, p.col) for p in result.problems
            if not codes or p.code in codes]


def beta(doi: str = "10.1000/other", pmid: str = "456", linked: bool = False) -> str:
    """A second study, like alpha-2020, with its own identifiers."""
    text = ALPHA.replace("id: alpha-2020", "id: beta-2020").replace(
        "doi: 10.1000/xyz", f"doi: {doi}").replace("pmid: '123'", f"pmid: '{pmid}'")
    return text if linked else text + "unlinked_reason: Background only.\n"


def test_template_placeholders_are_errors_at_each_placeholder(evidence, capsys):
    text = ALPHA.replace("title: A trial of something", "title: TODO").replace(
        "family: Alpha", "family: TODO").replace(
        "result: No significant difference in pain.", "result: TODO")
    path = write(evidence, "studies/alpha-2020.yaml", text)
    for result in (check(evidence_dir=evidence, root=evidence.parent),
                   check([path], evidence_dir=evidence, root=evidence.parent)):
        assert found(result) == [("alpha-2020.yaml", "E315", 3, 8),
                                 ("alpha-2020.yaml", "E315", 5, 13),
                                 ("alpha-2020.yaml", "E315", 27, 13)]
    assert main(["cite", "alpha-2020", "--evidence-dir", str(evidence)]) == 1
    assert "TODO" not in capsys.readouterr().out


def test_a_fresh_template_gives_placeholder_errors_not_schema_noise(evidence):
    path = write(evidence, "studies/new-2024.yaml", template("study", "new-2024"))
    result = check([path], evidence_dir=evidence, root=evidence.parent)
    codes = {p.code for p in result.problems if p.severity == "error"}
    assert codes == {"E315"}, result.problems
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all("TODO" in lines[p.line - 1] for p in result.problems)


def test_placeholder_key_gets_the_placeholder_hint_and_a_bad_key_the_key_hint(evidence):
    path = write(evidence, "studies/alpha-2020.yaml", ALPHA.replace("- key: abstract",
                                                                    "- key: 'TODO'"))
    [todo] = check([path], evidence_dir=evidence, root=evidence.parent).problems
    assert (todo.code, todo.line, todo.col) == ("E315", 18, 11)  # at the word, inside quotes
    assert "record id" not in todo.hint.lower() and "verified_from[0].key" in todo.message
    write(evidence, "studies/alpha-2020.yaml", ALPHA.replace("- key: abstract", "- key: Abs"))
    problems = check([path], evidence_dir=evidence, root=evidence.parent).problems
    bad = next(p for p in problems if p.code == "E205")
    assert bad.hint.startswith("Key: ") and "file name" not in bad.hint


def test_one_path_notation_in_messages(evidence):
    write(evidence, "claims/claim-one.yaml", CLAIM.replace("study: alpha-2020",
                                                           "study: alpha-2021"))
    write(evidence, "studies/alpha-2020.yaml", ALPHA.replace("url: https://example.org/abstract",
                                                             "url: ftp://example.org/abstract"))
    messages = [p.message for p in check(evidence_dir=evidence, root=evidence.parent).problems]
    assert any(m.startswith("verified_from[0].url: ") for m in messages), messages
    write(evidence, "studies/alpha-2020.yaml", ALPHA)
    messages = [p.message for p in check(evidence_dir=evidence, root=evidence.parent).problems]
    assert "evidence[0].study: no study 'alpha-2021'" in messages, messages


def test_one_file_strict_check_reports_what_the_full_check_reports(evidence):
    path = write(evidence, "studies/beta-2020.yaml", beta(linked=True))
    full = check(evidence_dir=evidence, root=evidence.parent)
    assert found(full) == [("beta-2020.yaml", "W501", 2, 5)]
    one = check([path], evidence_dir=evidence, root=evidence.parent)
    assert found(one) == found(full)
    linked = check([evidence / "studies" / "alpha-2020.yaml"], evidence_dir=evidence,
                   root=evidence.parent)
    assert found(linked) == []


@pytest.mark.parametrize("same", ["doi", "pmid", "doi-case"])
def test_the_same_doi_or_pmid_in_two_studies_is_an_error(evidence, same):
    doi, pmid = {"doi": ("10.1000/xyz", "456"), "pmid": ("10.1000/other", "123"),
                 "doi-case": ("10.1000/XYZ", "456")}[same]
    path = write(evidence, "studies/beta-2020.yaml", beta(doi, pmid))
    full = check(evidence_dir=evidence, root=evidence.parent)
    line = 11 if same != "pmid" else 12
    col = 8 if same != "pmid" else 9
    assert found(full) == [("beta-2020.yaml", "E314", line, col)]
    assert "alpha-2020" in full.problems[0].message + full.problems[0].hint
    one = check([path], evidence_dir=evidence, root=evidence.parent)
    assert found(one) == found(full)


ADVERSE = CLAIM.replace("statement: Ketamine infusions for CRPS are given in hospital.",
                        "statement: Ketamine infusions cause few side effects.").replace(
    "type: practice\nquestion: practice", "type: safety\nquestion: effect\n"
    "domain: adverse-events")


@pytest.mark.parametrize("role", ["tests", "context"])
def test_a_pain_outcome_linked_to_an_adverse_events_claim_is_flagged(evidence, role):
    text = ADVERSE.replace("    role: tests", f"    outcome: pain-week-4\n    role: {role}")
    if role == "context":
        text = text.replace("directness: direct", "directness: indirect-outcome")
    write(evidence, "claims/claim-one.yaml", text)
    result = check(evidence_dir=evidence, root=evidence.parent)
    [problem] = result.problems
    assert (problem.code, problem.line) == ("E312", 13)
    assert "harms and benefits" in problem.message


def test_a_safety_claim_without_a_domain_is_about_adverse_events(evidence):
    text = ADVERSE.replace("domain: adverse-events\n", "").replace(
        "    role: tests", "    outcome: pain-week-4\n    role: context").replace(
        "directness: direct", "directness: indirect-outcome")
    write(evidence, "claims/claim-one.yaml", text)
    assert [p.code for p in check(evidence_dir=evidence, root=evidence.parent).problems] == [
        "E312"]


def test_one_file_check_reports_an_id_another_record_already_uses(evidence):
    twin = write(evidence, "studies/zeta-2020.yaml", beta("10.1000/zeta", "999").replace(
        "id: beta-2020", "id: alpha-2020"))
    alpha = evidence / "studies" / "alpha-2020.yaml"
    full = check(evidence_dir=evidence, root=evidence.parent)
    assert ("zeta-2020.yaml", "E302", 2, 5) in found(full)
    for path in (twin, alpha):
        assert found(check([path], evidence_dir=evidence, root=evidence.parent)) == [
            f for f in found(full) if f[0] == path.name]
