"""Build-time figures: deterministic, self-contained, accessible SVG, and the data behind them.

The corpus here is made of model objects in this file, never the real records, so the golden data
changes only when the figure code does. Update the golden file with `pytest --update-golden`
(or UPDATE_GOLDEN=1) after checking the diff.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import warnings
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from build_tools import figures
from build_tools.figures import FIGURES, figure_data, figure_snippet, render_figures
from build_tools.figures.base import accessible_svg
from build_tools.records.model import Claim, Corpus
from tests.conftest import make_study

GOLDEN = Path(__file__).parent / "fixtures" / "figures" / "golden-data.json"
SVG_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
CITE = {"from": "abstract", "locator": "abstract"}


def outcome(oid: str, domain: str, weeks: float | None, direction: str,
            comparison: str = "vs-placebo", timepoint: str = "week") -> dict:
    return {"id": oid, "domain": domain, "instrument": "NRS 0-10", "timepoint": timepoint,
            "weeks": weeks, "comparison": comparison, "result": "r", "direction": direction,
            "cite": CITE}


def fixture_corpus() -> Corpus:
    """Five studies covering every figure's branches, and three claims."""
    studies = [
        make_study(
            "alpha-2001", "rct", 2001, n=60, family="Alpha",
            intervention={"route": "iv", "regimen": "intermittent-daily",
                          "rate": {"min": 0.1, "max": 0.3, "unit": "mg/kg/h"},
                          "hours_per_session": 4, "sessions": 10},
            outcomes=(outcome("pain-w1", "pain", 1, "benefit"),
                      outcome("pain-w12", "pain", 12, "no-difference"),
                      outcome("function-w12", "physical-function", 12, "benefit")),
            rob={"tool": "rob2", "overall": "high", "reason": "r", "domains": (
                {"domain": "Randomisation process", "judgement": "low", "reason": "r"},
                {"domain": "Deviations from intended interventions",
                 "judgement": "some-concerns", "reason": "r"},
                {"domain": "Missing outcome data", "judgement": "no-information", "reason": "r"},
                {"domain": "Measurement of the outcome", "judgement": "high", "reason": "r"})}),
        make_study(
            "beta-2005", "prospective-cohort", 2005, n=20, family="Beta",
            intervention={"route": "iv", "regimen": "continuous",
                          "rate": {"min": 10, "max": 20, "unit": "mg/h"}, "continuous_days": 5},
            outcomes=(outcome("pain-end", "pain", 0, "benefit", "vs-baseline"),),
            rob={"tool": "robins-i", "overall": "critical", "reason": "r", "domains": (
                {"domain": "bias due to confounding", "judgement": "critical", "reason": "r"},
                {"domain": "Bias in measurement of outcomes", "judgement": "serious",
                 "reason": "r"},
                {"domain": "Bias from $weird$ source", "judgement": "moderate", "reason": "r"})}),
        # Record text that must be escaped in Markdown and must not be read as mathtext.
        make_study(
            "gamma-2010", "case-series", 2010, family="Smith|<b>$x$</b>",
            intervention={"route": "iv", "dose_as_reported": "titrated"},
            outcomes=(outcome("pain-a", "pain", 0, "mixed", "vs-baseline"),
                      outcome("pain-b", "pain", 6, "benefit", "vs-baseline")),
            rob={"tool": "robins-i", "overall": "serious", "reason": "r"}),
        make_study("delta-2012", "systematic-review", 2012, n=300, family="Delta"),
        make_study("epsilon-2015", "crossover-rct", 2015, n=12, family="Epsilon",
                   intervention={"route": "topical"}),
    ]
    claims = [
        Claim(id="short-term-relief", statement="Ketamine relieves pain.", type="efficacy",
              asserted_by=(), evidence=(), reviewed="2026-01-01"),
        Claim(id="long-term-relief", statement="Relief lasts.", type="duration",
              asserted_by=(), evidence=(), reviewed="2026-01-01"),
        Claim(id="attr-alpha", statement="Alpha used 10 days.", type="attribution",
              asserted_by=(), evidence=(), reviewed="2026-01-01"),
    ]
    # Deliberately unsorted: the figures must sort for themselves.
    return Corpus(studies={s.id: s for s in reversed(studies)},
                  claims={c.id: c for c in reversed(claims)}, sources={}, searches={})


# Stand-in grades: the figure reads only certainty and verdict, so grading changes elsewhere
# cannot move this file's golden data.
GRADES = {
    "short-term-relief": SimpleNamespace(certainty="low", verdict="supported"),
    "long-term-relief": SimpleNamespace(certainty="very-low", verdict="contradicted"),
    "attr-alpha": SimpleNamespace(certainty=None, verdict="partly-accurate"),
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph or a layout warning is a bug here
        return render_figures(fixture_corpus(), GRADES)


def data_of(corpus: Corpus) -> dict:
    """Every figure's text alternative, notes and tables as plain JSON."""
    out = {}
    for name in FIGURES:
        data = figure_data(name, corpus, GRADES)
        out[name] = {"alt": data.alt, "notes": list(data.notes),
                     "tables": [{"caption": t.caption, "columns": list(t.columns),
                                 "rows": [list(r) for r in t.rows]} for t in data.tables]}
    return out


def test_files_are_the_seven_figures_and_the_page(rendered):
    assert sorted(rendered) == sorted([f"figures/{n}.svg" for n in (
        "dosing-map", "risk-of-bias-rob2", "risk-of-bias-robins-i", "outcomes-over-time",
        "evidence-map-claims", "evidence-map-studies", "prisma-flow")] + ["figures/index.md"])


def test_rendering_twice_is_byte_identical(rendered):
    assert render_figures(fixture_corpus(), GRADES) == rendered


def test_rendering_is_identical_across_processes(rendered):
    """Another interpreter with another hash seed writes the same bytes (no set order leaks)."""
    code = ("import hashlib, sys; sys.path.insert(0, sys.argv[1]); import test_figures as t; "
            "from build_tools.figures import render_figures; "
            "files = render_figures(t.fixture_corpus(), t.GRADES); "
            "print(hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent)], env=env,
                         capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1])
    here = hashlib.sha256(repr(sorted(rendered.items())).encode()).hexdigest()
    assert out.stdout.strip() == here


@pytest.mark.parametrize("name", list(FIGURES))
def test_svg_is_accessible_and_self_contained(rendered, name):
    svg = rendered[f"figures/{name}.svg"]
    root = re.search(r"<svg\b[^>]*>", svg).group(0)
    assert 'role="img"' in root and f'aria-labelledby="fig-{name}-title fig-{name}-desc"' in root
    assert re.search(rf'<title id="fig-{name}-title">[^<]+</title>', svg)
    assert re.search(rf'<desc id="fig-{name}-desc">[^<]{{40,}}</desc>', svg)
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", svg))
    assert urls <= SVG_NAMESPACES, urls - SVG_NAMESPACES
    for banned in ("<script", "<!DOCTYPE", "<metadata", "@font-face", "<text", "<image",
                   "<!--"):
        assert banned not in svg
    assert "Date" not in svg  # no timestamp


def test_page_shows_every_figure_with_alt_text_caption_and_table(rendered):
    page = rendered["figures/index.md"]
    assert page.startswith("---\ntitle: ")
    images = dict((src, alt) for alt, src in
                  re.findall(r"!\[((?:\\.|[^\]\\])+)\]\(([a-z0-9-]+\.svg)\)", page))
    assert sorted(images) == sorted(f"{name}.svg" for name in FIGURES)
    for alt in images.values():
        assert len(alt) > 40
    assert page.count("\n|---|") >= len(FIGURES)


def test_yaml_text_is_escaped_in_tables(rendered):
    page = rendered["figures/index.md"]
    assert "<b>" not in page and "Smith\\|&lt;b&gt;" in page
    cells = None
    for line in page.splitlines():
        bars = len(re.findall(r"(?<!\\)\|", line))
        if line.startswith("|---"):
            continue
        if not line.startswith("| "):
            cells = None
        elif cells is None:
            cells = bars  # a header row
        else:
            assert bars == cells, line  # an escaped pipe in record text adds no column


def test_symbols_in_risk_of_bias_tables():
    rob2 = figure_data("risk-of-bias-rob2", fixture_corpus(), GRADES)
    cells = {c for row in rob2.tables[0].rows for c in row}
    assert {"+ Low", "− Some concerns", "? No information", "× High"} <= cells
    robins = figure_data("risk-of-bias-robins-i", fixture_corpus(), GRADES)
    cells = {c for row in robins.tables[0].rows for c in row}
    assert {"! Critical", "× Serious", "− Moderate"} <= cells
    assert robins.tables[0].columns[:3] == ("Study", "N", "D1")
    snippet = figure_snippet("risk-of-bias-rob2", fixture_corpus(), GRADES)
    assert "\\+ Low" in snippet or "| + Low" in snippet
    assert "− Some concerns" in snippet and "? No information" in snippet


def test_dosing_rows_and_the_studies_left_out():
    data = figure_data("dosing-map", fixture_corpus(), GRADES)
    rows = {r[0]: r for r in data.tables[0].rows}
    assert rows["Alpha 2001"][2:8] == ("0.1–0.3", "40", "10", "12", "improved", "improved")
    # mg/h over 70 kg; the number of digits shown is dosing.format_range's decision.
    low, high = (float(v) for v in rows["Beta 2005"][2].split("–"))
    assert low == pytest.approx(10 / 70, rel=1e-2) and high == pytest.approx(20 / 70, rel=1e-2)
    assert rows["Beta 2005"][3:5] == ("120", "5")
    assert "70 kg" in rows["Beta 2005"][8] and "70 kg" in data.caption
    assert any(n.startswith("Not plotted: Smith") and n.endswith("(no rate reported).")
               for n in data.notes)
    assert "Not plotted: Epsilon 2015 (not intravenous)." in data.notes
    assert not any("Delta" in n for n in data.notes)  # reviews have no regimen


def test_outcomes_show_benefit_fading():
    data = figure_data("outcomes-over-time", fixture_corpus(), GRADES)
    alpha = [r[1:3] for r in data.tables[0].rows if r[0] == "Alpha 2001"]
    assert alpha == [("1", "● benefit"), ("12", "○ no difference")]
    assert "no longer found later in Alpha 2001" in data.alt
    assert all(r[0] != "Beta 2005" for r in data.tables[0].rows)  # one time point only


def test_snippet_paths_follow_the_embedding_page():
    corpus = fixture_corpus()
    assert "](dosing-map.svg)" in figure_snippet("dosing-map", corpus, GRADES)
    home = figure_snippet("dosing-map", corpus, GRADES, here="")
    assert "](figures/dosing-map.svg)" in home and "](studies/alpha-2001.md)" in home
    profile = figure_snippet("dosing-map", corpus, GRADES, here="profile")
    assert "](../figures/dosing-map.svg)" in profile and "](../studies/alpha-2001.md)" in profile
    with pytest.raises(KeyError):
        figure_snippet("no-such-figure", corpus, GRADES)


def test_empty_evidence_base_still_gives_every_file():
    files = render_figures(Corpus(studies={}, claims={}, sources={}, searches={}), {})
    assert len(files) == len(FIGURES) + 1
    assert "No rows" in files["figures/index.md"]


def test_accessible_svg_strips_external_references():
    raw = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n '
           '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/'
           '2000/svg"><metadata><a href="http://purl.org/dc"/></metadata><!-- x -->\n<g/></svg>')
    out = accessible_svg(raw, "x", "T <&>", "D")
    assert "purl" not in out and "DTD" not in out and "<!--" not in out
    assert '<title id="fig-x-title">T &lt;&amp;&gt;</title>' in out


def test_golden_data(request):
    """The tables, notes and text alternatives of every figure for the fixture corpus."""
    actual = data_of(fixture_corpus())
    update = os.environ.get("UPDATE_GOLDEN") or request.config.getoption("--update-golden",
                                                                         default=False)
    if update or not GOLDEN.exists():
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
        if not update:
            pytest.fail(f"wrote {GOLDEN.name}; check it and run again")
    assert actual == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_module_sizes():
    """Each figure module stays readable (the design's ~300-line budget)."""
    for path in Path(figures.__file__).parent.glob("figures*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 300, path.name


def test_a_judgement_from_the_other_tool_is_shown_not_dropped():
    corpus = fixture_corpus()
    alpha = corpus.studies["alpha-2001"]
    corpus.studies["alpha-2001"] = replace(alpha, risk_of_bias={**alpha.risk_of_bias,
                                                                "overall": "serious"})
    data = figure_data("risk-of-bias-rob2", corpus, GRADES)
    assert "× Serious" in data.tables[1].columns
    assert data.tables[1].rows[-1][data.tables[1].columns.index("× Serious")] == "100% (60)"
