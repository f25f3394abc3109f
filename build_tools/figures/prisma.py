"""Figure 7, the PRISMA flow of the literature search: records found by each method, duplicates,
records screened, exclusions by reason, inclusions and distinct study records. Counted by
records/prisma.py from the search records, like the numbers on the literature-search page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from build_tools.figures.base import FILL, INK, MUTED, WIDTH_IN, FigureData, Table
from build_tools.records.model import Corpus
from build_tools.records.prisma import Box, corpus_flow
from build_tools.site.views.search_flow import METHOD_HEADINGS, flow_sentence, reason_word
from build_tools.text import number

if TYPE_CHECKING:  # matplotlib is imported only to draw (figures/base.py)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

NAME = "prisma-flow"
WHITE = "#ffffff"


def _rows(boxes: tuple[Box, ...]) -> tuple[tuple[str, ...], ...]:
    """The data table: one row per step, one column per method and the total."""
    rows = [("Searches recorded", [b.searches for b in boxes]),
            ("Results returned (hits, for information)", [b.hits for b in boxes]),
            ("Records identified", [b.identified for b in boxes]),
            ("Duplicates set aside", [b.duplicates for b in boxes]),
            ("Records screened", [b.screened for b in boxes]),
            ("Excluded", [b.excluded for b in boxes])]
    rows += [(f"Excluded: {reason_word(r).lower()}", [b.excluded_by_reason[i][1] for b in boxes])
             for i, (r, _) in enumerate(boxes[-1].excluded_by_reason)]
    rows += [("Included (records)", [b.included for b in boxes]),
             ("Distinct study records", [len(b.studies) for b in boxes])]
    return tuple((step, *(number(v) for v in values)) for step, values in rows)


def build(corpus: Corpus, grades: Mapping[str, Any]) -> FigureData:
    """The flow of the search records, with its table by method."""
    flow = corpus_flow(corpus)
    boxes = (*flow.boxes, flow.total)
    total = flow.total
    table = Table("The flow by search method (the last column adds them up; a study included by "
                  "several methods counts once)",
                  ("Step", *(METHOD_HEADINGS.get(b.method, b.method) for b in flow.boxes), "All"),
                  _rows(boxes))
    alt = flow_sentence(total)
    caption = ("Boxes read from top to bottom; the boxes on the right hold what leaves the flow. "
               "The top row shows how the records were found. Every number is counted from the "
               "search records at each build; the table below gives the same numbers by method.")
    return FigureData(NAME, "Literature search flow (PRISMA)", alt, caption, (table,), (),
                      (WIDTH_IN, 7.2), {"flow": flow})


def _box(ax: Axes, x: float, y: float, text: str, *, strong: bool = False, size: float = 9,
         left: bool = False) -> None:
    """A boxed label at (x, y): centred, or starting at x when left; strong = the main chain."""
    ax.text(x, y, text, ha="left" if left else "center", va="center", fontsize=size,
            multialignment="left" if left else "center", color=WHITE if strong else INK,
            bbox={"boxstyle": "round,pad=0.5", "facecolor": FILL if strong else WHITE,
                  "edgecolor": INK, "linewidth": 1.0})


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    """An arrow between two points, in axes coordinates."""
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": MUTED,
                                                      "linewidth": 1.2, "shrinkA": 0,
                                                      "shrinkB": 0})


def draw(fig: Figure, data: FigureData) -> None:
    """The main chain down the left, what leaves it on the right, the methods on top."""
    flow = data.plot["flow"]
    total = flow.total
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.96))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    for i, box in enumerate(flow.boxes):
        x = 0.1 + i * 0.2
        _box(ax, x, 0.94, f"{METHOD_HEADINGS.get(box.method, box.method)}\n"
                          f"{number(box.identified)} records", size=8)
        _arrow(ax, (x, 0.9), (0.3, 0.83))
    main = [(0.78, f"Records identified\n{number(total.identified)}"),
            (0.56, f"Records screened\n{number(total.screened)}"),
            (0.27, f"Included\n{number(total.included)} records"),
            (0.06, f"Distinct study records\n{number(len(total.studies))}")]
    for y, text in main:
        _box(ax, 0.3, y, text, strong=True)
    for (y1, _), (y2, _) in zip(main, main[1:], strict=False):
        _arrow(ax, (0.3, y1 - 0.045), (0.3, y2 + 0.045))
    reasons = "\n".join(f"{reason_word(r)}: {number(n)}" for r, n in total.excluded_by_reason
                        if n)
    side = [(0.67, f"Duplicates set aside: {number(total.duplicates)}"),
            (0.415, f"Excluded: {number(total.excluded)}" + (f"\n{reasons}" if reasons else "")),
            (0.165, f"Included again by another search: {number(total.repeat_inclusions)}")]
    for y, text in side:
        _box(ax, 0.56, y, text, size=8, left=True)
        _arrow(ax, (0.3, y), (0.545, y))
