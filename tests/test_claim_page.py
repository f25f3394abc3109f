"""The real evidence base as a clinician reads it: the short-term pain claim answers "how much,
for how long, how sure" before its tables, its Summary-of-Findings row carries numbers, and the
home page's bottom line starts with pain relief."""

from __future__ import annotations

import pytest

from build_tools.check.runner import check
from build_tools.pipeline import generate
from build_tools.records.model import build_corpus

CLAIM = "claims/short-term-pain-relief.md"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """Every generated page of this repository's evidence base."""
    result = check()
    assert result.ok
    return generate(build_corpus(result.records), updated="2026-12-07").pages


def test_the_effect_with_numbers_units_and_time_frame_comes_before_the_tables(pages):
    page = pages[CLAIM]
    bottom_line = page[:page.index("## Key evidence")]
    assert "**Verdict:**" in bottom_line and "Low" in bottom_line
    assert "2.77 points lower on NRS 0-10 than placebo (2.68 vs 5.45)" in bottom_line
    assert "end of week 1" in bottom_line and "**Time frame:** up to 3 months" in bottom_line
    assert "above the 2-point threshold for a moderately important change" in bottom_line
    assert "**In plain words:** It may be that" in bottom_line
    assert page.index("**How much:**") < page.index("## Every linked study")


def test_a_forest_plot_is_on_the_page_and_drawn(pages):
    assert "](../figures/forest-short-term-pain-relief.svg)" in pages[CLAIM]
    svg = pages["figures/forest-short-term-pain-relief.svg"]
    assert svg.startswith("<svg") or "<svg" in svg[:200]
    assert 'role="img"' in svg and "<title" in svg


def test_the_summary_of_findings_row_has_participants_certainty_effect_and_meaning(pages):
    profile = pages["profile/index.md"]
    row = next(line for line in profile.splitlines()
               if "short-term-pain-relief" in line and line.startswith("|"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1].startswith("60 (2 studies; size unknown: schwartzman-2009)")
    assert "Low" in cells[2]
    assert "2.77 points lower on NRS 0-10 than placebo" in cells[4]
    assert "above the 2-point threshold" in cells[5] and "It may be that" in cells[5]


def test_the_bottom_line_answers_the_clinicians_questions_in_order(pages):
    home = pages["generated/home.md"]
    questions = [line for line in home.splitlines() if line.startswith("### ")]
    assert questions[0] == "### Does it relieve pain, and by how much?"
    assert questions[-1].startswith("### What sources say about the studies")
    first_row = next(line for line in home.splitlines() if line.startswith("| ["))
    assert "short-term-pain-relief" in first_row
    checks = home[home.index(questions[-1]):]
    assert "attribution-" in checks or "critique-" in checks
    assert "attribution-" not in home[:home.index(questions[-1])]
