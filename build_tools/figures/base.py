"""What every figure shares: its data record, the drawing style and deterministic, accessible SVG."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from build_tools.text import number

# Matplotlib is imported only to draw (about a second): building a figure's data, which tells an
# incremental build whether the figure changed, needs none of it.
if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.path import Path

# Fixed settings for every figure. Glyphs become paths, so the SVG names no font and needs none;
# a fixed hash salt makes matplotlib's element ids the same on every run.
RC: dict[str, Any] = {
    "svg.hashsalt": "ketamine-crps-evidence-figures",
    "svg.fonttype": "path",
    "svg.image_inline": True,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "text.usetex": False,
    # Record text (author names, domain names) may hold "$": never read it as mathtext.
    "text.parse_math": False,
    "axes.unicode_minus": True,
    "hatch.linewidth": 0.8,
    "path.simplify": False,  # simplification depends on float noise; keep every vertex
}
INK = "#1a1a1a"
MUTED = "#6b6b6b"
FILL = "#1f4e8c"  # a dark blue that also reads as "filled" in greyscale
WIDTH_IN = 9.0  # every figure is this wide; heights follow the number of rows

# Marker shape per design (figures 1 and 4): the shape carries the design, never the colour.
DESIGN_MARKERS = {
    "rct": "o", "crossover-rct": "D", "nonrandomised-controlled": "s", "prospective-cohort": "^",
    "retrospective-cohort": "v", "case-series": "p", "case-report": "h", "secondary-analysis": ">",
    "pk-pd": "<", "trial-protocol": "P",
}
PRIMARY_DESIGNS = tuple(DESIGN_MARKERS)


@dataclass(frozen=True)
class Table:
    """One data table under a figure: plain-text cells, escaped only when written as Markdown."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Study id per row: the first cell links to that study's page (None: no link).
    links: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class FigureData:
    """Everything a figure shows, computed from the records before anything is drawn."""

    name: str
    title: str
    alt: str
    caption: str
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = ()
    size: tuple[float, float] = (WIDTH_IN, 5.0)
    plot: Mapping[str, Any] = field(default_factory=dict)


def by_id(records: Mapping[str, Any]) -> list[Any]:
    """Records sorted by id, whatever order the mapping holds them in."""
    return [records[key] for key in sorted(records)]


def plain(text: object) -> str:
    """Record text as a single line for a figure label."""
    return " ".join(str(text).split())


def series(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@cache
def headless() -> None:
    """Choose matplotlib's file-only backend before anything draws: the build runs headless."""
    import matplotlib

    matplotlib.use("Agg")


def plain_ticks(axis: Any) -> None:
    """Tick labels as plain numbers ('0.1', '10'): the default log labels need mathtext."""
    from matplotlib import ticker

    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _pos: number(float(f"{v:.6g}"))))
    axis.set_minor_formatter(ticker.NullFormatter())


def glyph_marker(symbol: str) -> Path:
    """A text symbol as a marker path, centred: mathtext markers ("$+$") are switched off."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path
    from matplotlib.textpath import TextPath

    path = TextPath((0, 0), symbol, size=10, prop=FontProperties(family="DejaVu Sans"))
    box = path.get_extents()
    centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    return Path(path.vertices - centre, path.codes)


def empty_message(ax: Axes, text: str) -> None:
    """An axes that says why there is nothing to draw (the figure file must still exist)."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", color=INK, fontsize=11, wrap=True,
            transform=ax.transAxes)


_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def accessible_svg(raw: str, name: str, title: str, description: str) -> str:
    """Matplotlib's SVG with no external URL, no comments, and a <title>/<desc> for screen readers."""
    # The DOCTYPE and the RDF metadata name http URLs (W3C DTD, Dublin Core, matplotlib.org);
    # the comments repeat every label as text, which only duplicates what <desc> says.
    text = _COMMENT.sub("", _METADATA.sub("", _DOCTYPE.sub("", raw)))
    opening = _SVG_OPEN.search(text)
    if opening is None:  # pragma: no cover - matplotlib always writes one
        raise ValueError("no <svg> element in matplotlib output")
    tag = opening.group(0)
    ids = f"fig-{name}-title fig-{name}-desc"
    labelled = tag[:-1] + f' role="img" aria-labelledby="{ids}">'
    head = (f'\n <title id="fig-{name}-title">{html.escape(title)}</title>'
            f'\n <desc id="fig-{name}-desc">{html.escape(description)}</desc>')
    return text[:opening.start()] + labelled + head + text[opening.end():]


def render_svg(data: FigureData, draw: Callable[[Figure, FigureData], None]) -> str:
    """Draw one figure with the fixed settings and return its accessible SVG text."""
    headless()
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(RC):
        fig = Figure(figsize=data.size)
        draw(fig, data)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return accessible_svg(buffer.getvalue(), data.name, data.title,
                          f"{data.alt} {data.caption}".strip())
