"""Figures 2 and 3, risk of bias per tool: a robvis-style traffic-light plot and weighted bars."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from build_tools.figures.base import (
    INK,
    WIDTH_IN,
    FigureData,
    Table,
    by_id,
    empty_message,
    glyph_marker,
    plain,
    series,
)
from build_tools.records.model import Corpus
from build_tools.site.parts import study_label
from build_tools.text import number

if TYPE_CHECKING:  # matplotlib is imported only to draw (figures/base.py)
    from matplotlib.figure import Figure

# Tool -> (display name, its domains in official order: code, label, pattern for record text).
# Records name domains in free text ("Randomisation process", "bias due to confounding"), so a
# pattern maps each onto the tool's official domain and its D-code, as robvis labels them.
TOOLS: dict[str, tuple[str, tuple[tuple[str, str, str], ...]]] = {
    "rob2": ("RoB 2", (
        ("D1", "Bias arising from the randomisation process", r"randomi[sz]ation"),
        ("DS", "Bias arising from period and carryover effects", r"period|carry-?over"),
        ("D2", "Bias due to deviations from intended interventions", r"deviation"),
        ("D3", "Bias due to missing outcome data", r"missing"),
        ("D4", "Bias in measurement of the outcome", r"measurement"),
        ("D5", "Bias in selection of the reported result", r"reported result|selective"))),
    "robins-i": ("ROBINS-I", (
        ("D1", "Bias due to confounding", r"confounding"),
        ("D2", "Bias in selection of participants into the study", r"selection of particip"),
        ("D3", "Bias in classification of interventions", r"classification"),
        ("D4", "Bias due to deviations from intended interventions", r"deviation"),
        ("D5", "Bias due to missing data", r"missing"),
        ("D6", "Bias in measurement of outcomes", r"measurement"),
        ("D7", "Bias in selection of the reported result", r"reported result|selective"))),
}
# Judgement -> (symbol, word, fill, symbol colour, hatch). robvis colours and symbols, plus a
# hatch in the bars, so neither plot needs colour to be read.
JUDGEMENTS: dict[str, tuple[str, str, str, str, str]] = {
    "low": ("+", "Low", "#02C100", "#000000", ""),
    "some-concerns": ("−", "Some concerns", "#E2DF07", "#000000", "//"),
    "moderate": ("−", "Moderate", "#E2DF07", "#000000", "//"),
    "high": ("×", "High", "#BF0000", "#ffffff", "xx"),
    "serious": ("×", "Serious", "#BF0000", "#ffffff", "xx"),
    "critical": ("!", "Critical", "#820000", "#ffffff", "++"),
    "no-information": ("?", "No information", "#4EA1F7", "#000000", "--"),
    "not-assessed": ("", "Not assessed", "#f2f2f2", "#000000", ""),
}
ORDER = {"rob2": ("low", "some-concerns", "high", "no-information", "not-assessed"),
         "robins-i": ("low", "moderate", "serious", "critical", "no-information",
                      "not-assessed")}
# Past this many studies a traffic-light plot is taller than anyone reads (and megabytes of SVG).
LIGHTS_LIMIT = 60
ROW_IN, BAR_IN = 0.24, 0.34 # inches per traffic-light row and per bar
TOP_IN, GAP_IN, BOTTOM_IN, LEFT = 0.45, 0.55, 1.0, 0.33  # margins; LEFT leaves room for names


@dataclass(frozen=True)
class Assessed:
    """One study's judgements, one per column (domains in official order, then Overall)."""

    study: str
    label: str
    n: int | None
    cells: tuple[str, ...]


def _domain_code(tool: str, text: str, other: dict[str, str]) -> str:
    """The official code of a domain named in a record; unknown names get O1, O2, ..."""
    for code, _label, pattern in TOOLS[tool][1]:
        if re.search(pattern, text, re.I):
            return code
    key = plain(text).lower()
    other.setdefault(key, f"O{len(other) + 1}")
    return other[key]


def cell(judgement: str) -> str:
    """A table cell: symbol and word ('+ Low'), or 'Not assessed'."""
    symbol, word = JUDGEMENTS[judgement][:2]
    return f"{symbol} {word}".strip()


def build(corpus: Corpus, grades: Mapping[str, Any], tool: str = "rob2") -> FigureData:
    """Judgements per study and domain for one tool, with participant-weighted shares."""
    name, official = TOOLS[tool]
    studies = [s for s in by_id(corpus.studies) if (s.risk_of_bias or {}).get("tool") == tool]
    other: dict[str, str] = {}
    found: list[dict[str, str]] = []
    for s in studies:
        judged = {}
        for d in s.risk_of_bias.get("domains") or ():
            judged[_domain_code(tool, str(d.get("domain", "")), other)] = d.get("judgement")
        judged["Overall"] = s.risk_of_bias.get("overall")
        found.append(judged)
    labels = {code: label for code, label, _ in official}
    labels.update({code: plain(text)[:1].upper() + plain(text)[1:] for text, code in other.items()})
    columns = [c for c, _, _ in official if any(c in j for j in found)]
    columns += sorted(other.values(), key=lambda c: int(c[1:])) + ["Overall"]
    rows = tuple(Assessed(s.id, study_label(s), s.n, tuple(
        j.get(c) if j.get(c) in JUDGEMENTS else "not-assessed" for c in columns))
        for s, j in zip(studies, found, strict=True))
    by_n = any(r.n for r in rows)  # else no study reports its N: count studies instead
    # The tool's own judgements, plus any other a record uses (shown, never silently dropped).
    order = tuple(k for k in JUDGEMENTS if k in ORDER[tool] or any(k in r.cells for r in rows))
    shares = []
    for i, column in enumerate(columns):
        weights = {k: sum((r.n or 0) if by_n else 1 for r in rows if r.cells[i] == k)
                   for k in order}
        shares.append((column, weights))
    unit = "participants" if by_n else "studies"
    judgement_table = Table(
        f"{name} judgements per study", ("Study", "N", *columns),
        tuple((r.label, number(r.n), *(cell(c) for c in r.cells)) for r in rows),
        tuple(r.study for r in rows))
    summary_table = Table(
        f"Share of {unit} per judgement and domain (weighted by each study's N)",
        ("Domain", *(cell(k) for k in order)),
        tuple((f"{c}: {labels[c]}" if c in labels else c, *(_share(w[k], w) for k in order))
              for c, w in shares))
    caption = _caption(name, unit, rows, order, columns, labels, by_n)
    lights = _lights(rows)
    if len(lights) < len(rows):
        caption += (f" The traffic-light plot shows the {len(lights)} largest of {len(rows)} "
                    "studies; the bars and the table include all.")
    scope = (f"across {len(columns) - 1} domains and the overall judgement" if len(columns) > 1
             else "(overall judgement only)")
    alt = (f"Traffic-light plot and weighted bar chart of {name} risk-of-bias judgements for "
           f"{len(rows)} {'study' if len(rows) == 1 else 'studies'} {scope}; overall: "
           f"{_overall_words(rows, order)}." if rows else
           f"Empty risk-of-bias figure: no study in the evidence base is assessed with {name}.")
    height = TOP_IN + ROW_IN * (len(lights) + 1) + GAP_IN + BAR_IN * len(columns) + BOTTOM_IN
    return FigureData(f"risk-of-bias-{tool}", f"Risk of bias ({name})", alt, caption,
                      (judgement_table, summary_table), (), (WIDTH_IN, round(height, 2)),
                      {"order": order, "rows": lights, "columns": tuple(columns),
                       "shares": tuple(shares), "unit": unit,
                       "key": {c: labels[c] for c in columns if c in labels}})


def _caption(name: str, unit: str, rows: tuple[Assessed, ...], order: tuple[str, ...],
             columns: list[str], labels: Mapping[str, str], by_n: bool) -> str:
    """The figure's caption: how to read the plot and the bars, and which domains it shows."""
    unknown = [r.label for r in rows if r.n is None]
    key = "; ".join(f"{c} = {labels[c]}" for c in columns if c in labels)
    symbols = ", ".join(f"{JUDGEMENTS[k][0]} {JUDGEMENTS[k][1].lower()}"
                        for k in order if JUDGEMENTS[k][0])
    caption = (f"Top: the {name} judgement of each study (rows) in each domain (columns), in the "
               f"style of robvis: {symbols}; a blank circle means the record gives no judgement "
               f"for that domain. Bottom: the share of {unit} in each judgement per domain, "
               "weighted by each study's number of participants (analysed, else randomised, "
               f"else enrolled). Domains: {key or 'none recorded, only the overall judgement'}.")
    if unknown and by_n:
        caption += f" Studies with no N reported add no weight to the bars: {series(unknown)}."
    return caption


def _lights(rows: tuple[Assessed, ...]) -> tuple[Assessed, ...]:
    """The rows the traffic-light plot draws: all, or the largest studies, kept in id order."""
    if len(rows) <= LIGHTS_LIMIT:
        return rows
    largest = sorted(rows, key=lambda r: (-(r.n or 0), r.study))[:LIGHTS_LIMIT]
    keep = {r.study for r in largest}
    return tuple(r for r in rows if r.study in keep)


def _share(part: int, weights: Mapping[str, int]) -> str:
    """'62% (120)': a share of the domain's total and the count behind it."""
    total = sum(weights.values())
    return f"{round(100 * part / total)}% ({part})" if total and part else "–"


def _overall_words(rows: tuple[Assessed, ...], order: tuple[str, ...]) -> str:
    """'2 some concerns, 1 high': the overall judgements counted, in the tool's order."""
    counts = [(k, sum(r.cells[-1] == k for r in rows)) for k in order]
    return ", ".join(f"{n} {JUDGEMENTS[k][1].lower()}" for k, n in counts if n)


build_rob2 = partial(build, tool="rob2")
build_robins_i = partial(build, tool="robins-i")
BUILDERS = {"risk-of-bias-rob2": build_rob2, "risk-of-bias-robins-i": build_robins_i}


def _traffic_lights(ax: Any, rows: tuple[Assessed, ...], columns: tuple[str, ...]) -> None:
    """One circle per study and domain, the judgement's symbol inside it."""
    for judgement, (symbol, _w, fill, ink, _h) in JUDGEMENTS.items():
        at = [(i, k) for k, r in enumerate(rows) for i, c in enumerate(r.cells) if c == judgement]
        if not at:
            continue
        xs, ys = [i for i, _ in at], [k for _, k in at]
        ax.scatter(xs, ys, s=150, c=fill, edgecolors=INK, linewidths=0.6, zorder=2)
        if symbol:
            # The symbol as a marker: one glyph path reused, instead of a text element per cell.
            ax.scatter(xs, ys, s=70, marker=glyph_marker(symbol), c=ink, linewidths=0, zorder=3)
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xticks(range(len(columns)), columns)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), [f"{plain(r.label)} (N={number(r.n) or '?'})" for r in rows])
    ax.tick_params(length=0)
    ax.axvline(len(columns) - 1.5, color=INK, linewidth=0.6)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _bars(ax: Any, data: FigureData) -> None:
    """Stacked horizontal bars: the weighted share of each judgement per domain."""
    from matplotlib.patches import Patch

    shares, order, key = data.plot["shares"], data.plot["order"], data.plot["key"]
    for y, (_column, weights) in enumerate(shares):
        total = sum(weights.values()) or 1
        left = 0.0
        for k in order:
            width = 100 * weights[k] / total
            if not width:
                continue
            symbol, _w, fill, ink, hatch = JUDGEMENTS[k]
            # Hatch lines take the edge colour (matplotlib < 3.10 has no separate hatch colour):
            # black on light fills, white on dark ones, like the symbols.
            ax.barh(y, width, left=left, color=fill, hatch=hatch, edgecolor=ink, linewidth=0.6,
                    height=0.7)
            if width >= 8:
                ax.text(left + width / 2, y, f"{symbol} {round(width)}%".strip(), ha="center",
                        va="center", color=ink, fontsize=7,
                        bbox={"facecolor": fill, "edgecolor": "none", "pad": 0.6})
            left += width
    ax.set_xlim(0, 100)
    ax.set_ylim(len(shares) - 0.5, -0.5)
    # Full domain names label the bars, as in robvis' summary plot: the key is the axis itself.
    names = [textwrap.fill(f"{c}: {key[c]}" if c in key else c, 38) for c, _ in shares]
    ax.set_yticks(range(len(shares)), names, fontsize=8)
    ax.set_xlabel(f"Share of {data.plot['unit']} (%)")
    ax.tick_params(axis="y", length=0)
    handles = [Patch(facecolor=JUDGEMENTS[k][2], hatch=JUDGEMENTS[k][4],
                     edgecolor=JUDGEMENTS[k][3], label=cell(k)) for k in order]
    ax.figure.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0),
                     ncol=len(handles), frameon=False, fontsize=8, handlelength=1.6,
                     handleheight=1.2)


def draw(fig: Figure, data: FigureData) -> None:
    """Draw the traffic-light plot above the weighted bar chart."""
    rows, columns = data.plot["rows"], data.plot["columns"]
    height = data.size[1]
    if not rows:
        empty_message(fig.add_axes((0.05, 0.05, 0.9, 0.9)), data.alt)
        return
    lights_h, bars_h = ROW_IN * (len(rows) + 1), BAR_IN * len(columns)
    lights_w = 0.045 * len(columns)
    ax = fig.add_axes((LEFT, (BOTTOM_IN + bars_h + GAP_IN) / height, lights_w, lights_h / height))
    _traffic_lights(ax, rows, columns)
    _bars(fig.add_axes((LEFT, BOTTOM_IN / height, 0.62, bars_h / height)), data)
