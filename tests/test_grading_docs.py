"""The methods page states the rules the code applies; a judgement without a reason fails check."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from build_tools.check.runner import check
from build_tools.grade import body as grade_body
from build_tools.grade import rules, vocabulary, wording
from build_tools.grade.body import start_level
from build_tools.grade.vocabulary import CERTAINTY_WORDS
from build_tools.paths import DOCS_DIR, SCHEMA_DIR
from build_tools.problems import format_text

PAGE = (DOCS_DIR / "methods" / "grading.md").read_text(encoding="utf-8")


def table_rows(first_cell: str, width: int | None = None) -> list[list[str]]:
    """Cells of every Markdown table row whose first cell is first_cell (and of that width)."""
    rows = []
    for line in PAGE.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == first_cell and width in (None, len(cells)):
            rows.append(cells)
    return rows


def test_thresholds_and_high_risk_values_are_on_the_page():
    assert f"fewer than {rules.IMPRECISION_VERY_SERIOUS_BELOW} " in PAGE
    assert f"fewer than {rules.IMPRECISION_SERIOUS_BELOW} " in PAGE
    assert (f"{rules.IMPRECISION_VERY_SERIOUS_BELOW}/{rules.IMPRECISION_SERIOUS_BELOW}"
            in PAGE)
    high = ", ".join(f"`{v}`" for v in grade_body.HIGH_RISK_OF_BIAS[:-1])
    assert f"{high} or `{grade_body.HIGH_RISK_OF_BIAS[-1]}`" in PAGE
    for comparison in grade_body.CONTROLLED_COMPARISONS:
        assert f"`{comparison}`" in PAGE


@pytest.mark.parametrize("verdict", vocabulary.VERDICTS + vocabulary.ATTRIBUTION_VERDICTS)
def test_every_verdict_has_a_row_on_the_page(verdict):
    assert len(table_rows(f"`{verdict}`", width=2)) == 1  # the verdict tables


def test_every_schema_design_is_in_the_start_table_as_the_code_rates_it():
    schema = json.loads((SCHEMA_DIR / "study.schema.json").read_text(encoding="utf-8"))
    designs = [o["const"] for o in schema["properties"]["design"]["oneOf"]]
    for design in designs:
        (row,) = table_rows(f"`{design}`")
        assert row[1:] == [CERTAINTY_WORDS[start_level(design, False)],
                           CERTAINTY_WORDS[start_level(design, True)]], design


@pytest.mark.parametrize("rating, levels", sorted(vocabulary.RATING_LEVELS.items()))
def test_rating_levels_on_the_page(rating, levels):
    (row,) = table_rows(f"`{rating}`")
    assert row[1].replace("−", "-") == (f"{levels:+d}" if levels else "0")


def test_wording_table_matches_the_code_frames():
    for verdict, frames in wording.PLAIN.items():
        (row,) = table_rows(f"`{verdict}`", width=5)  # the wording table
        for certainty, frame in frames.items():
            column = 1 if certainty == "none" else 1 + vocabulary.CERTAINTY_ORDER[::-1].index(
                certainty)
            assert row[column] == frame.replace("{s}", "…"), (verdict, certainty)


def test_every_question_type_is_in_the_question_table():
    schema = json.loads((SCHEMA_DIR / "claim.schema.json").read_text(encoding="utf-8"))
    questions = [o["const"] for o in schema["properties"]["question"]["oneOf"]]
    assert tuple(questions) == vocabulary.QUESTIONS
    for question in questions:
        (row,) = table_rows(f"`{question}`", width=3)
    assert "E312" in PAGE and "E313" in PAGE


def test_the_v2_safeguards_are_stated():
    assert "never read as 0" in PAGE
    assert "A body of only indirect links is at best Very low" in PAGE
    for value in grade_body.NO_JUDGEMENT[1:]:
        assert f"`{value}`" in PAGE or value == "not-reported"


def test_symbols_and_domains_on_the_page():
    for certainty, symbol in vocabulary.CERTAINTY_SYMBOLS.items():
        assert table_rows(CERTAINTY_WORDS[certainty])[0][1] == symbol
    for label in vocabulary.DOMAIN_LABELS.values():
        assert table_rows(label), label


# ---------------------------------------------------------------- E202: judgement without reason

STUDY = """\
# yaml-language-server: $schema=../schema/study.schema.json
id: doe-2009
title: A trial
authors:
  - {family: Doe, given: J}
year: 2009
publication_type: journal-article
design: rct
summary: A small trial.
verified_from:
  - {key: abstract, url: 'https://example.org/a', basis: abstract}
reviewed: 2026-01-01
"""
SOURCE = """\
# yaml-language-server: $schema=../schema/source.schema.json
id: clinic
kind: clinic-page
title: A clinic page
url: https://example.org/clinic
summary: A page.
reviewed: 2026-01-01
"""
CLAIM = """\
# yaml-language-server: $schema=../schema/claim.schema.json
id: pain-relief
statement: Ketamine reduces CRPS pain more than placebo.
type: efficacy
question: practice
asserted_by:
  - source: clinic
    paraphrase: The clinic says it works.
evidence:
  - study: doe-2009
    role: tests
    stance: supports
    directness: direct
judgements:
  risk-of-bias:
    rating: serious
reviewed: 2026-01-01
"""


def write_tree(root: Path, claim: str) -> Path:
    evidence = root / "evidence"
    for folder, name, text in (("studies", "doe-2009", STUDY), ("sources", "clinic", SOURCE),
                               ("claims", "pain-relief", claim), ("search", None, None)):
        (evidence / folder).mkdir(parents=True, exist_ok=True)
        if name:
            (evidence / folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return evidence


def test_judgement_without_reason_is_a_positioned_e202(tmp_path):
    evidence = write_tree(tmp_path, CLAIM)
    result = check(evidence_dir=evidence, root=tmp_path)
    assert not result.ok
    errors = [p for p in result.problems if p.severity == "error"]
    assert [(p.code, p.line, p.col) for p in errors] == [("E202", 16, 5)]  # at `rating:`
    assert "judgements.risk-of-bias" in errors[0].message and "'reason'" in errors[0].message
    text = format_text(result.problems, result.files_checked)
    assert re.search(r"claims/pain-relief\.yaml:16:5: error E202 ", text)


def test_same_tree_with_a_reason_passes(tmp_path):
    evidence = write_tree(tmp_path, CLAIM.replace(
        "    rating: serious\n", "    rating: serious\n    reason: Unblinding by side effects.\n"))
    result = check(evidence_dir=evidence, root=tmp_path)
    assert result.ok, result.problems
