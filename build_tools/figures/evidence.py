"""Figures 5 and 6, the evidence map: claims by type, certainty and verdict; studies by design."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from build_tools.figures.base import (
    FILL,
    INK,
    MUTED,
    WIDTH_IN,
    FigureData,
    Table,
    by_id,
    empty_message,
    plain_ticks,
)
from build_tools.grade.vocabulary import ATTRIBUTION_VERDICTS, CERTAINTY_ORDER, CERTAINTY_WORDS, VERDICTS
from build_tools.paths import SCHEMA_DIR
from build_tools.records.model import Corpus
from build_tools.site import words as labels
from build_tools.site.parts import study_label
from build_tools.text import number

if TYPE_CHECKING:  # matplotlib is imported only to draw (figures/base.py)
    from matplotlib.figure import Figure

CERTAINTIES = (*reversed(CERTAINTY_ORDER), "not-graded")
ALL_VERDICTS = (*VERDICTS, *ATTRIBUTION_VERDICTS)
MAX_BUBBLE = 1400.0  # marker area in points² of the largest study


@cache
def schema_order(kind: str, prop: str) -> tuple[str, ...]:
    """The coded values of a top-level property in the schema's own order (the contract)."""
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return tuple(o["const"] for o in schema["properties"][prop]["oneOf"])


def _ordered(found: set[str], known: tuple[str, ...]) -> tuple[str, ...]:
    """Known values in their canonical order, then any others sorted."""
    return tuple(v for v in known if v in found) + tuple(sorted(found - set(known)))


def certainty_word(code: str) -> str:
    """'⊕⊕◯◯ Low' style words for a certainty code, 'Not graded' for attribution claims."""
    return CERTAINTY_WORDS.get(code, "Not graded")


def build_claims(corpus: Corpus, grades: Mapping[str, Any]) -> FigureData:
    """Counts of claims per type and certainty, and per type and verdict."""
    triples: Counter[tuple[str, str, str]] = Counter()
    for claim in by_id(corpus.claims):
        cid = claim.id
        grade = grades.get(cid)
        certainty = getattr(grade, "certainty", None) or "not-graded"
        verdict = getattr(grade, "verdict", None) or "not-graded"
        triples[(claim.type, certainty, verdict)] += 1
    types = _ordered({t for t, _, _ in triples}, schema_order("claim", "type"))
    verdicts = _ordered({v for _, _, v in triples}, ALL_VERDICTS)
    by_certainty = [[sum(n for (t, c, _), n in triples.items() if t == ty and c == ce)
                     for ce in CERTAINTIES] for ty in types]
    by_verdict = [[sum(n for (t, _, v), n in triples.items() if t == ty and v == ve)
                   for ve in verdicts] for ty in types]
    rank = {v: i for i, v in enumerate((*types, *CERTAINTIES, *verdicts))}
    rows = tuple((labels.word(t), certainty_word(c), labels.VERDICT_WORDS.get(v, labels.word(v)),
                  str(n)) for (t, c, v), n in sorted(triples.items(),
                                                     key=lambda kv: [rank[x] for x in kv[0]]))
    table = Table("Claims by type, certainty and verdict",
                  ("Claim type", "Certainty", "Verdict", "Claims"), rows)
    total = sum(triples.values())
    graded = sum(n for (_, c, _), n in triples.items() if c != "not-graded")
    per_type = ", ".join(f"{labels.lower_word(t)} {sum(r)}"
                         for t, r in zip(types, by_certainty, strict=True))
    alt = (f"Two grids counting {total} claims by type against GRADE certainty (left) and "
           f"against verdict (right); {graded} are graded. Claims per type: {per_type}."
           if total else "Empty evidence map: the evidence base has no claims yet.")
    caption = ("Each cell counts the claims of one type (rows) with one certainty (left grid) or "
               "one verdict (right grid); empty cells have none. Certainty follows GRADE "
               "(high, moderate, low, very low); attribution claims are checked against the "
               "study record instead of graded, so their certainty is 'not graded' and their "
               "verdict says whether the attribution is accurate. Darker cells hold more claims.")
    height = 2.1 + 0.36 * max(len(types), 1)
    return FigureData("evidence-map-claims", "Evidence map: claims by type, certainty and verdict",
                      alt, caption, (table,), (), (WIDTH_IN, height),
                      {"types": types, "verdicts": verdicts, "by_certainty": by_certainty,
                       "by_verdict": by_verdict})


def _grid(ax: Any, counts: list[list[int]], rows: tuple[str, ...], columns: list[str],
          title: str) -> None:
    """A count grid: grey shading that deepens with the count, and the count written in it."""
    peak = max((n for r in counts for n in r), default=0) or 1
    ax.pcolormesh(counts, cmap="Greys", vmin=0, vmax=peak * 1.6, edgecolors="#bbbbbb",
                  linewidth=0.5)
    for y, row in enumerate(counts):
        for x, n in enumerate(row):
            if n:
                ax.text(x + 0.5, y + 0.5, str(n), ha="center", va="center", fontsize=9,
                        color="#ffffff" if n / (peak * 1.6) > 0.45 else INK)
    ax.set_xticks([i + 0.5 for i in range(len(columns))], columns, rotation=35, ha="right",
                  fontsize=8)
    ax.set_yticks([i + 0.5 for i in range(len(rows))], [labels.word(t) for t in rows])
    ax.set_ylim(len(rows), 0)
    ax.set_title(title, fontsize=9, loc="left")
    ax.tick_params(length=0)


def draw_claims(fig: Figure, data: FigureData) -> None:
    """Draw the two count grids side by side."""
    types, verdicts = data.plot["types"], data.plot["verdicts"]
    height = data.size[1]
    bottom, span = 1.45 / height, 1 - 1.85 / height
    if not types:
        empty_message(fig.add_axes((0.05, 0.05, 0.9, 0.9)), "No claims yet")
        return
    ax = fig.add_axes((0.14, bottom, 0.3, span))
    _grid(ax, data.plot["by_certainty"], types, [certainty_word(c) for c in CERTAINTIES],
          "Certainty (GRADE)")
    ax = fig.add_axes((0.5, bottom, 0.06 * len(verdicts), span))
    _grid(ax, data.plot["by_verdict"], types,
          [labels.verdict(v) if v in labels.VERDICT_WORDS else labels.word(v) for v in verdicts],
          "Verdict")
    ax.set_yticklabels([])


def build_studies(corpus: Corpus, grades: Mapping[str, Any]) -> FigureData:
    """Every study's design, year and number of participants."""
    studies = by_id(corpus.studies)
    designs = _ordered({s.design for s in studies}, schema_order("study", "design"))
    rows = tuple((study_label(s), labels.word(s.design), str(s.year), number(s.n))
                 for s in studies)
    table = Table("Studies by design, year and N", ("Study", "Design", "Year", "N"), rows,
                  tuple(s.id for s in studies))
    unknown = sum(s.n is None for s in studies)
    years = [s.year for s in studies]
    alt = (f"Bubble chart of {len(studies)} studies: design (rows, {len(designs)} kinds) against "
           f"year of publication ({min(years)} to {max(years)}); bubble area is proportional to "
           "the number of participants"
           + (f"; {unknown} {'study reports' if unknown == 1 else 'studies report'} no N and "
              f"{'is drawn as a cross' if unknown == 1 else 'are drawn as crosses'}."
              if unknown else ".")
           if studies else "Empty evidence map: the evidence base has no studies yet.")
    caption = ("Each bubble is one study, placed by design and year of publication; its area is "
               "proportional to the number of participants (analysed, else randomised, else "
               "enrolled; participants pooled for meta-analyses). Studies that report no N are "
               "drawn as crosses; the smallest bubbles have a minimum visible size. Studies "
               "sharing a design and year are spread sideways so "
               "each stays visible.")
    height = 1.5 + 0.42 * max(len(designs), 1)
    return FigureData("evidence-map-studies", "Evidence map: studies by design, year and size",
                      alt, caption, (table,), (), (WIDTH_IN, height),
                      {"designs": designs, "studies": tuple((s.design, s.year, s.n)
                                                            for s in studies)})


def draw_studies(fig: Figure, data: FigureData) -> None:
    """Draw the bubble chart: year across, design down, area for N."""
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D

    designs, studies = data.plot["designs"], data.plot["studies"]
    height = data.size[1]
    ax = fig.add_axes((0.25, 0.75 / height, 0.55, 1 - 1.0 / height))
    if not studies:
        empty_message(ax, "No studies yet")
        return
    peak = max((n for _, _, n in studies if n), default=1)
    groups: dict[tuple[str, int], int] = Counter((d, y) for d, y, _ in studies)
    placed: Counter[tuple[str, int]] = Counter()
    sized, crosses = [], []
    for design, year, n in studies:
        k, total = placed[(design, year)], groups[(design, year)]
        placed[(design, year)] += 1
        # Spread a group sideways within ±0.4 years, in id order: deterministic, no random jitter.
        step = min(0.2, 0.8 / total)
        point = (year + (k - (total - 1) / 2) * step, designs.index(design))
        (sized if n else crosses).append((*point, n))
    # One scatter per bubble size: matplotlib then writes each size's circle once and reuses it.
    # Crowded cells (many studies of one design in one year) get smaller bubbles overall.
    largest = MAX_BUBBLE * min(1.0, 3 / max(groups.values()))
    for area in sorted({_area(n, peak, largest) for _, _, n in sized}):
        group = [(x, y) for x, y, n in sized if _area(n, peak, largest) == area]
        ax.scatter([x for x, _ in group], [y for _, y in group], s=area,
                   color=to_rgba(FILL, 0.35), edgecolors=INK, linewidths=0.7)
    if crosses:
        ax.scatter([x for x, _, _ in crosses], [y for _, y, _ in crosses], s=30, marker="x",
                   color=MUTED, linewidths=1.2)
    years = [y for _, y, _ in studies]
    ax.set_xlim(min(years) - 1, max(years) + 1)
    ax.set_ylim(len(designs) - 0.5, -0.5)
    ax.set_yticks(range(len(designs)), [labels.word(d) for d in designs])
    ax.xaxis.set_major_locator(_year_locator(min(years), max(years)))
    plain_ticks(ax.xaxis)
    ax.set_xlabel("Year of publication")
    ax.grid(True, color="#eeeeee", linewidth=0.5)
    ax.set_axisbelow(True)
    handles = [Line2D([], [], marker="o", linestyle="none", markerfacecolor=to_rgba(FILL, 0.35),
                      markeredgecolor=INK, markersize=math.sqrt(_area(ref, peak, largest)),
                      label=f"N = {ref}") for ref in _references(peak)]
    handles.append(Line2D([], [], marker="x", linestyle="none", color=MUTED, markersize=6,
                          label="N not reported"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False,
              fontsize=8, labelspacing=1.6, borderaxespad=0)


def _area(n: int, peak: int, largest: float) -> float:
    """Marker area for N, proportional, floored to stay visible, to two significant figures."""
    # Each distinct size is one SVG path definition: rounding (at most 5% off in area) keeps a
    # thousand studies' file small.
    area = max(largest * n / peak, 6.0)
    return float(f"{area:.2g}")


def _references(peak: int) -> list[int]:
    """Legend sizes: up to three powers of ten no larger than the largest study."""
    refs = [10 ** e for e in range(0, len(str(peak))) if 10 ** e <= peak]
    return refs[-3:]


def _year_locator(first: int, last: int) -> Any:
    """Whole-year ticks, spaced so at most about a dozen are labelled."""
    from matplotlib.ticker import MultipleLocator
    return MultipleLocator(max(1, math.ceil((last - first + 2) / 12)))


BUILDERS = {"evidence-map-claims": build_claims, "evidence-map-studies": build_studies}
DRAWERS = {"evidence-map-claims": draw_claims, "evidence-map-studies": draw_studies}
