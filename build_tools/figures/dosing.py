"""Figure 1, the dosing map: each regimen's mg/kg/h rate against its total infusion hours."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from build_tools.figures.base import (
    DESIGN_MARKERS,
    FILL,
    INK,
    MUTED,
    PRIMARY_DESIGNS,
    WIDTH_IN,
    FigureData,
    Table,
    by_id,
    empty_message,
    plain,
    plain_ticks,
)
from build_tools.grade.dosing import REFERENCE_WEIGHT_KG, format_range, normalise
from build_tools.records.model import Corpus, Study
from build_tools.site import words as labels
from build_tools.site.parts import study_label
from build_tools.text import number

if TYPE_CHECKING:  # matplotlib is imported only to draw (figures/base.py)
    from matplotlib.figure import Figure

NAME = "dosing-map"
NOT_IV = ("oral", "topical", "intranasal", "sublingual", "epidural", "subcutaneous",
          "intramuscular")
STATUS_WORDS = {"improved": "improved", "not-improved": "no improvement shown",
                "not-reported": "not reported"}
# Pain status is the marker's fill; function improved adds a ring (never colour alone).
PAIN_FILL = {"improved": "full", "not-improved": "left", "not-reported": "none"}
LABEL_LIMIT = 30  # beyond this many regimens, names would overlap: the table carries them


@dataclass(frozen=True)
class Regimen:
    """One plotted regimen, on the normalised scale."""

    study: str
    label: str
    design: str
    low: float | None
    high: float | None
    hours: float
    days: float | None
    cumulative: float | None
    pain: str
    function: str
    assumptions: tuple[str, ...]

    @property
    def top(self) -> float:
        """Where the marker sits: the highest rate, or the only one given."""
        return self.high if self.high is not None else self.low  # type: ignore[return-value]


def outcome_status(study: Study, domain: str) -> str:
    """'improved' if any result in the domain is a benefit, 'not-improved' if results show none."""
    found = {o.get("direction") for o in study.outcomes if o.get("domain") == domain}
    found -= {None, "not-reported"}
    if "benefit" in found:
        return "improved"
    return "not-improved" if found else "not-reported"


def _why_not(study: Study) -> str | None:
    """Why a primary study's regimen cannot be placed on the map, or None if it can."""
    iv = study.intervention or {}
    if iv.get("route") in NOT_IV:
        return "not intravenous"
    norm = normalise(iv)
    if not norm.has_rate:
        return "no rate reported"
    if norm.total_hours is None:
        return "no total infusion hours reported"
    return None


def _regimen(study: Study) -> Regimen:
    norm = normalise(study.intervention)
    return Regimen(study.id, study_label(study), study.design, norm.mg_per_kg_h_min,
                   norm.mg_per_kg_h_max, norm.total_hours or 0.0, norm.days,
                   norm.cumulative_mg_per_kg_max, outcome_status(study, "pain"),
                   outcome_status(study, "physical-function"), norm.assumptions)


def build(corpus: Corpus, grades: Mapping[str, Any]) -> FigureData:
    """The dosing map's data: plotted regimens, the studies left out and why."""
    plotted: list[Regimen] = []
    left_out: dict[str, list[str]] = {}
    for study in by_id(corpus.studies):
        if study.design not in PRIMARY_DESIGNS:
            continue  # reviews and guidelines have no regimen of their own
        reason = _why_not(study)
        if reason:
            left_out.setdefault(reason, []).append(study_label(study))
        else:
            plotted.append(_regimen(study))
    rows = tuple((r.label, labels.word(r.design), format_range(r.low, r.high), number(r.hours),
                  number(r.days), number(r.cumulative), STATUS_WORDS[r.pain],
                  STATUS_WORDS[r.function], "; ".join(r.assumptions) or "none")
                 for r in plotted)
    table = Table("Regimens on the map (rates in mg/kg/h; cumulative dose an upper bound)",
                  ("Study", "Design", "mg/kg/h", "Total hours", "Days", "Cumulative mg/kg",
                   "Pain", "Function", "Assumptions"), rows, tuple(r.study for r in plotted))
    notes = tuple(f"Not plotted: {', '.join(names)} ({reason})."
                  for reason, names in sorted(left_out.items()))
    rates = [v for r in plotted for v in (r.low, r.high) if v is not None]
    hours = [r.hours for r in plotted]
    alt = (f"Scatter plot of {len(plotted)} intravenous ketamine regimens: infusion rate "
           f"{number(min(rates))} to {number(max(rates))} mg/kg/h against {number(min(hours))} "
           f"to {number(max(hours))} total infusion hours, by study design; the values are in "
           "the table below." if plotted else
           "Empty dosing map: no study reports a rate and a duration that can be normalised.")
    caption = (
        "Each marker is one study's regimen: infusion rate in mg/kg/h against total infusion "
        "hours, both on logarithmic scales. A vertical bar runs from the lowest to the highest "
        "rate of a titrated regimen; the marker sits at the highest rate. Rates given in mg/h "
        f"are divided by a {number(REFERENCE_WEIGHT_KG)} kg reference weight; where only mg "
        "per session is given, the average rate is that dose over the session's hours and the "
        "reference weight. Dotted diagonals mark equal cumulative doses (rate × hours); the "
        "cumulative dose in the table is an upper bound (highest rate × total hours). Marker "
        "shape shows the design; a filled marker means pain improved, a half-filled one that "
        "pain results showed no improvement, an open one that no pain result is reported; a "
        "ring means physical function improved. Improvement is as each study reports it, "
        "against placebo or against baseline.")
    return FigureData(NAME, "Dosing map: regimens on one normalised scale", alt, caption,
                      (table,), notes, (WIDTH_IN, 5.5), {"regimens": tuple(plotted)})


def _decades(values: list[float]) -> tuple[float, float]:
    """Axis limits on whole powers of ten around the values, at least one decade apart."""
    lo = 10.0 ** math.floor(math.log10(min(values)))
    hi = 10.0 ** math.ceil(math.log10(max(values)))
    return (lo, hi * 10) if hi <= lo else (lo, hi)


def _legend(ax: Any, designs: list[str]) -> None:
    from matplotlib.lines import Line2D

    """Shape = design, fill = pain, ring = function, bar = titration, dots = cumulative dose."""
    def handle(label: str, **style: Any) -> Line2D:
        base = {"marker": "o", "color": INK, "linestyle": "none", "markersize": 8,
                "markerfacecolor": FILL, "markerfacecoloralt": "white", "markeredgecolor": INK}
        return Line2D([], [], label=label, **{**base, **style})

    handles = [handle(labels.word(d), marker=DESIGN_MARKERS[d], fillstyle="none")
               for d in designs]
    handles += [handle(f"Pain: {STATUS_WORDS[s]}", fillstyle=fill) for s, fill in PAIN_FILL.items()]
    handles.append(handle("Ring: function improved", markersize=14, fillstyle="none"))
    handles.append(Line2D([], [], color=INK, linewidth=1.5, label="Titration range (min–max)"))
    handles.append(Line2D([], [], color=MUTED, linewidth=0.8, linestyle=":",
                          label="Equal cumulative mg/kg"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False,
              fontsize=8, borderaxespad=0)


def draw(fig: Figure, data: FigureData) -> None:
    """Draw the dosing map onto an empty figure."""
    regimens: tuple[Regimen, ...] = data.plot["regimens"]
    ax = fig.add_axes((0.09, 0.1, 0.56, 0.85))
    if not regimens:
        empty_message(ax, "No regimen with a derivable rate and duration")
        return
    xlim = _decades([r.hours for r in regimens])
    ylim = _decades([v for r in regimens for v in (r.low, r.high) if v is not None])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    for exponent in range(round(math.log10(xlim[0] * ylim[0])),
                          round(math.log10(xlim[1] * ylim[1])) + 1):
        dose = 10.0 ** exponent
        ax.plot(xlim, (dose / xlim[0], dose / xlim[1]), color=MUTED, linewidth=0.8, linestyle=":")
        # Label each line where it leaves the plot at the bottom or right edge, inside the axes:
        # regimens rarely sit in that low-rate, long-infusion corner.
        x = min(xlim[1] / 1.15, dose / (ylim[0] * 1.15))
        if xlim[0] < x and ylim[0] < dose / x < ylim[1]:
            ax.text(x, dose / x, f"{number(dose)} mg/kg", color=MUTED, fontsize=7,
                    ha="right", va="bottom", rotation=-20)
    # One artist per kind of mark, not per regimen: a thousand regimens stay quick to draw.
    ranged = [r for r in regimens if r.low is not None and r.high is not None and r.low != r.high]
    if ranged:
        ax.vlines([r.hours for r in ranged], [r.low for r in ranged], [r.high for r in ranged],
                  color=INK, linewidth=1.5)
        ax.plot([r.hours for r in ranged], [r.low for r in ranged], marker="_", markersize=9,
                color=INK, linestyle="none")
    ringed = [r for r in regimens if r.function == "improved"]
    if ringed:
        ax.plot([r.hours for r in ringed], [r.top for r in ringed], marker="o", markersize=17,
                fillstyle="none", color=INK, markeredgewidth=1.2, linestyle="none")
    for design, pain in sorted({(r.design, r.pain) for r in regimens}):
        group = [r for r in regimens if (r.design, r.pain) == (design, pain)]
        ax.plot([r.hours for r in group], [r.top for r in group], marker=DESIGN_MARKERS[design],
                markersize=10, linestyle="none", fillstyle=PAIN_FILL[pain], markerfacecolor=FILL,
                markerfacecoloralt="white", markeredgecolor=INK, markeredgewidth=1.2)
    if len(regimens) <= LABEL_LIMIT:
        for i, r in enumerate(regimens):
            # Alternate above/below so neighbours' names collide less often.
            ax.annotate(plain(r.label), (r.hours, r.top), xytext=(8, 6 if i % 2 else -12),
                        textcoords="offset points", fontsize=7, color=INK)
    plain_ticks(ax.xaxis)
    plain_ticks(ax.yaxis)
    ax.set_xlabel("Total infusion hours (log scale)")
    ax.set_ylabel("Infusion rate, mg/kg/h (log scale)")
    ax.grid(True, which="major", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    _legend(ax, [d for d in PRIMARY_DESIGNS if any(r.design == d for r in regimens)])
