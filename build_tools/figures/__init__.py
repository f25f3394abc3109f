"""Figures drawn from the records at build time: accessible SVG, a text alternative, the data.

`render_figures(corpus, grades)` returns every figure file and the Figures page as
docs-relative path -> text, for the build's one writer; `figure_snippet` returns one figure's
Markdown block (image, caption, data table) for embedding on another page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from build_tools.figures import dosing as figures_dosing
from build_tools.figures import evidence as figures_evidence
from build_tools.figures import forest as figures_forest
from build_tools.figures import outcomes as figures_outcomes
from build_tools.figures import prisma as figures_prisma
from build_tools.figures import rob as figures_rob
from build_tools.figures.base import FigureData, Table, render_svg
from build_tools.records.model import Claim, Corpus, Study
from build_tools.site.markup import Md, internal_link, md, trusted
from build_tools.site.parts import front_matter, generated_comment, href
from build_tools.site.render import PageJob

if TYPE_CHECKING:  # matplotlib is imported only to draw (figures/base.py)
    from matplotlib.figure import Figure

    from build_tools.grade.claim_effects import ClaimEffects

FOLDER = "figures"  # docs/figures/, one of paths.GENERATED_DIRS
Builder = Callable[[Corpus, Mapping[str, Any]], FigureData]
Drawer = Callable[["Figure", FigureData], None]

# Name -> (data builder, drawing function), in the order the Figures page shows them.
FIGURES: dict[str, tuple[Builder, Drawer]] = {
    "dosing-map": (figures_dosing.build, figures_dosing.draw),
    "outcomes-over-time": (figures_outcomes.build, figures_outcomes.draw),
    "risk-of-bias-rob2": (figures_rob.build_rob2, figures_rob.draw),
    "risk-of-bias-robins-i": (figures_rob.build_robins_i, figures_rob.draw),
    "evidence-map-claims": (figures_evidence.build_claims, figures_evidence.draw_claims),
    "evidence-map-studies": (figures_evidence.build_studies, figures_evidence.draw_studies),
    "prisma-flow": (figures_prisma.build, figures_prisma.draw),
}


def figure_data(name: str, corpus: Corpus, grades: Mapping[str, Any]) -> FigureData:
    """One figure's data (title, text alternative, caption, tables), without drawing it."""
    if name not in FIGURES:
        raise KeyError(f"no figure {name!r}; known: {', '.join(FIGURES)}")
    return FIGURES[name][0](corpus, grades)


def _src(name: str, here: str) -> str:
    """The SVG's address relative to a page in folder `here` ('' is the docs root)."""
    if here == FOLDER:
        return f"{name}.svg"
    return f"{FOLDER}/{name}.svg" if not here else f"../{FOLDER}/{name}.svg"


def markdown_table(table: Table, here: str) -> Md:
    """A Markdown table with every cell escaped; the first cell links to its study if known."""
    lines = [f"*{md(table.caption)}*", "",
             "| " + " | ".join(md(c) for c in table.columns) + " |",
             "|" + "---|" * len(table.columns)]
    for i, row in enumerate(table.rows):
        study = table.links[i] if i < len(table.links) else None
        cells = [md(c) or md("–") for c in row]
        if study and row:
            cells[0] = internal_link(row[0], href("study", study, here=here))
        lines.append("| " + " | ".join(cells) + " |")
    if not table.rows:
        lines += ["", md("No rows: nothing in the evidence base for this figure yet.")]
    return trusted("\n".join(lines))


def snippet(data: FigureData, here: str = FOLDER, *, titled: bool = True) -> Md:
    """The Markdown block for built figure data: image, caption, notes, data tables."""
    title = f"**{md(data.title)}.** " if titled else ""  # the Figures page has headings
    parts = [f"![{md(data.alt)}]({_src(data.name, here)})", f"{title}{md(data.caption)}"]
    parts += [md(note) for note in data.notes]
    parts += [markdown_table(t, here) for t in data.tables]
    return trusted("\n\n".join(parts) + "\n")


def figure_snippet(name: str, corpus: Corpus, grades: Mapping[str, Any], *,
                   here: str = FOLDER) -> str:
    """One figure's Markdown block for a page in docs folder `here` ('' = docs root)."""
    return str(snippet(figure_data(name, corpus, grades), here))


def figures_page(built: Mapping[str, FigureData]) -> str:
    """The Figures page: each figure with its heading, text alternative, caption and data."""
    parts = [str(front_matter("Figures", searchable=False)),
             str(generated_comment("evidence/studies/ and evidence/claims/")), "", "# Figures", "",
             "These figures are drawn from the evidence records at every build. Each comes with "
             "a short description for screen readers, a caption, and the data it shows in a "
             "table right below it. Shape, fill, symbols and words carry every distinction; "
             "colour only repeats them.", ""]
    for name, data in built.items():
        # A stable anchor per figure name, so other pages can link to figures/#dosing-map.
        parts += [f"## {md(data.title)}", "", f'<a id="{name}"></a>', "",
                  str(snippet(data, titled=False))]
    return "\n".join(parts).rstrip() + "\n"


def build_figures(corpus: Corpus, grades: Mapping[str, Any]) -> dict[str, FigureData]:
    """Every figure's data by name, in page order (cheap: nothing is drawn)."""
    return {name: build(corpus, grades) for name, (build, _draw) in FIGURES.items()}


def figure_jobs(built: Mapping[str, FigureData]) -> list[PageJob]:
    """Every figure's SVG and the Figures page as jobs; each SVG is drawn only when made."""
    jobs = [PageJob(f"{FOLDER}/{name}.svg", (("value", data),),
                    partial(render_svg, data, FIGURES[name][1])) for name, data in built.items()]
    jobs.append(PageJob(f"{FOLDER}/index.md", tuple(("value", data) for data in built.values()),
                        partial(figures_page, built)))
    return jobs


def render_figures(corpus: Corpus, grades: Mapping[str, Any]) -> dict[str, str]:
    """Every figure as SVG plus the Figures page: docs-relative path -> file content."""
    return {job.path: job.make()
            for job in sorted(figure_jobs(build_figures(corpus, grades)), key=lambda j: j.path)}


def forest_data(claim: Claim, effects: ClaimEffects, studies: Mapping[str, Study]
                ) -> FigureData | None:
    """A claim's forest plot data (None when no study gives numbers to plot; nothing drawn)."""
    return figures_forest.build(claim, effects, studies)


def forest_block(data: FigureData | None) -> str:
    """The forest plot's block on its claim page ('' without a plot)."""
    return str(snippet(data, "claims", titled=False)) if data is not None else ""


def forest_jobs(built: Mapping[str, FigureData | None]) -> list[PageJob]:
    """Each claim's forest plot SVG as a job (drawn only when made)."""
    return [PageJob(f"{FOLDER}/{data.name}.svg", (("value", data),),
                    partial(render_svg, data, figures_forest.draw))
            for _cid, data in sorted(built.items()) if data is not None]
