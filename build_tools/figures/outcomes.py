"""Figure 4, pain outcomes over time: each result's direction against weeks since treatment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
    plain,
)
from build_tools.records.model import Corpus
from build_tools.site import words as labels
from build_tools.site.parts import study_label
from build_tools.text import number

if TYPE_CHECKING:  # matplotlib is imported only to draw (figures/base.py)
    from matplotlib.figure import Figure

NAME = "outcomes-over-time"
# Direction -> (table glyph, word, marker, fill style): filled = benefit, open = no difference.
DIRECTIONS = {
    "benefit": ("●", "benefit", "o", "full"),
    "no-difference": ("○", "no difference", "o", "none"),
    "mixed": ("◐", "mixed", "o", "left"),
    "harm": ("▼", "harm", "v", "full"),
    "not-reported": ("×", "not reported", "x", "full"),
}
STACK = 0.22  # vertical offset between results a study reports at the same week


@dataclass(frozen=True)
class Result:
    """One pain result at a time point."""

    study: str
    label: str
    weeks: float
    direction: str
    outcome: str
    timepoint: str
    comparison: str
    instrument: str


def build(corpus: Corpus, grades: Mapping[str, Any]) -> FigureData:
    """Pain results of studies that report them at two or more distinct weeks."""
    results: list[Result] = []
    for study in by_id(corpus.studies):
        found = [o for o in study.outcomes if o.get("domain") == "pain"
                 and isinstance(o.get("weeks"), int | float) and o.get("direction") in DIRECTIONS]
        if len({o["weeks"] for o in found}) < 2:
            continue
        found.sort(key=lambda o: (o["weeks"], str(o.get("id"))))
        results += [Result(study.id, study_label(study), float(o["weeks"]), o["direction"],
                           str(o.get("id", "")), plain(o.get("timepoint", "")),
                           labels.lower_word(o.get("comparison")) if o.get("comparison") else "",
                           plain(o.get("instrument", ""))) for o in found]
    studies = list(dict.fromkeys(r.study for r in results))
    rows = tuple((r.label, number(r.weeks), " ".join(DIRECTIONS[r.direction][:2]), r.comparison,
                  r.timepoint, r.instrument) for r in results)
    table = Table("Pain results by week (one row per reported result)",
                  ("Study", "Weeks", "Direction", "Comparison", "Time point as reported",
                   "Instrument"), rows, tuple(r.study for r in results))
    fades = list(dict.fromkeys(r.label for r in results if r.direction == "no-difference" and any(
        b.study == r.study and b.direction == "benefit" and b.weeks < r.weeks for b in results)))
    alt = (f"Dot plot of pain results over time for {len(studies)} "
           f"{'study' if len(studies) == 1 else 'studies'} reporting pain at several time points, "
           f"from week {number(min(r.weeks for r in results))} to week "
           f"{number(max(r.weeks for r in results))}"
           + (f"; benefit reported early is no longer found later in {', '.join(fades)}."
              if fades else ".") if results else
           "Empty plot: no study reports pain results at two or more time points.")
    caption = (
        "Each row is one study that reports pain at two or more time points; each marker is one "
        "reported result at the week it refers to (weeks since treatment; 0 = during or at the "
        "end of the infusion). A filled circle is a benefit, an open circle no difference, a "
        "half-filled circle a mixed result, a downward triangle harm, a cross a result without "
        "a direction. Results a study gives for the same week are stacked; a summary over a "
        "whole period is placed at the week the period ends (see the time point column). "
        "Comparisons differ: against placebo or only against baseline.")
    height = 1.6 + 0.5 * max(len(studies), 1)
    return FigureData(NAME, "Pain outcomes over time", alt, caption, (table,), (),
                      (WIDTH_IN, height), {"results": tuple(results), "studies": tuple(studies)})


def draw(fig: Figure, data: FigureData) -> None:
    """Draw one row per study, one marker per result, a line joining each row's weeks."""
    from matplotlib.lines import Line2D

    results: tuple[Result, ...] = data.plot["results"]
    studies: tuple[str, ...] = data.plot["studies"]
    height = data.size[1]
    ax = fig.add_axes((0.3, 0.9 / height, 0.5, 1 - 1.3 / height))
    if not results:
        empty_message(ax, "No study reports pain at two or more time points")
        return
    row = {sid: i for i, sid in enumerate(studies)}
    seen: dict[tuple[str, float], int] = {}
    for r in results:
        weeks = [x.weeks for x in results if x.study == r.study]
        if r.weeks == min(weeks):
            ax.plot([min(weeks), max(weeks)], [row[r.study]] * 2, color=MUTED, linewidth=1,
                    zorder=1)
        k = seen.get((r.study, r.weeks), 0)
        seen[(r.study, r.weeks)] = k + 1
        _glyph, _word, marker, fill = DIRECTIONS[r.direction]
        ax.plot(r.weeks, row[r.study] + (k * STACK if k % 2 else -k * STACK), marker=marker,
                markersize=10, fillstyle=fill, markerfacecolor=FILL, markerfacecoloralt="white",
                markeredgecolor=INK, markeredgewidth=1.3,
                linestyle="none", zorder=2)
    top = max(r.weeks for r in results)
    ax.set_xlim(-0.05 * top - 0.5, top * 1.05 + 0.5)
    ax.set_ylim(len(studies) - 0.5, -0.5)
    ax.set_yticks(range(len(studies)), [plain(next(r.label for r in results if r.study == s))
                                        for s in studies])
    ax.set_xlabel("Weeks since treatment")
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    handles = [Line2D([], [], marker=m, fillstyle=f, markerfacecolor=FILL,
                      markerfacecoloralt="white", markeredgecolor=INK, color=INK, linestyle="none",
                      markersize=9, label=word.capitalize())
               for _g, word, m, f in DIRECTIONS.values()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False,
              fontsize=8, borderaxespad=0)
