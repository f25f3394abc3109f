"""Rendering: the corpus, its grades and SoF tables in; every generated page as text out (pure)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from build_tools import claim_view, reference_view, site_view, study_view
from build_tools.markup import Md, html_text, link, md, trusted
from build_tools.model import Corpus
from build_tools.paths import TEMPLATES_DIR


class UnescapedValue(TypeError):
    """A template printed a value that no escaping function produced."""


@jinja2.pass_eval_context
def _finalize(eval_ctx: jinja2.nodes.EvalContext, value: object) -> object:
    """Let through only escaped text and numbers: a raw record string is a bug, not output."""
    # Autoescape escapes the rest; StrictUndefined raises its own error when printed.
    if eval_ctx.autoescape or isinstance(value, Md | Markup | jinja2.Undefined):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise UnescapedValue(f"template printed an unescaped {type(value).__name__}: {value!r:.80}; "
                         "pass it through md, link or trusted in the view")


@cache
def environment() -> jinja2.Environment:
    """The Markdown template environment: strict undefined, strict escaping, stable whitespace."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=jinja2.StrictUndefined,
        # Markdown templates escape through `md`; HTML/SVG fragments get Jinja's autoescape.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2", "svg.j2"),
                                            default_for_string=False, default=False),
        finalize=_finalize, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(md=md, link=link, attr=html_text, trusted=trusted)
    return env


def render(template: str, **context: Any) -> str:
    """Render one template with its view data; output ends with exactly one newline."""
    text = environment().get_template(template).render(**context)
    text = "\n".join(line.rstrip() for line in text.rstrip().splitlines()) + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)  # macros leave extra blank lines; one is enough


def render_site(corpus: Corpus, grades: Mapping[str, Any], sof: Sequence[Any], *,
                last_updated: str | None = None,
                downloads: Mapping[str, str] | None = None,
                extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every generated page, docs-relative path -> content; same input gives the same output.

    downloads: file name -> content for docs/downloads/ (citations.downloads); extra:
    docs-relative path -> content made by other generators (figures.render_figures).
    """
    pages: dict[str, str] = {}
    by_study = study_view.claims_by_study(corpus)
    for sid, study in corpus.studies.items():
        pages[f"studies/{sid}.md"] = render("study.md.j2", page=study_view.study_page(
            study, corpus, grades, by_study))
    studies_index = site_view.studies_index(corpus)
    pages["studies/index.md"] = render("studies.md.j2", page=studies_index)
    if studies_index["lazy"]:
        pages["studies/table.json"] = site_view.studies_table_data(corpus)
    for cid, claim in corpus.claims.items():
        pages[f"claims/{cid}.md"] = render("claim.md.j2",
                                           page=claim_view.claim_page(claim, corpus, grades))
    pages["claims/index.md"] = render("claims.md.j2", page=claim_view.claims_index(corpus, grades))
    for rid, source in corpus.sources.items():
        pages[f"sources/{rid}.md"] = render("source.md.j2",
                                            page=site_view.source_page(source, corpus, grades))
    pages["sources/index.md"] = render("sources.md.j2", page=site_view.sources_index(corpus))
    # The figures (build_tools.figures) also appear on the pages they illustrate.
    drawn = any(path.startswith("figures/") for path in (extra or {}))
    show = functools.partial(_figure_snippet, corpus, grades) if drawn else None
    profile = site_view.profile_page(sof)
    profile["figures"] = trusted("\n\n".join(
        show(name, "profile") for name in ("risk-of-bias-rob2", "risk-of-bias-robins-i"))
        if show else "")
    pages["profile/index.md"] = render("profile.md.j2", page=profile)
    dosing = site_view.dosing_page(corpus)
    dosing["figure"] = trusted(show("dosing-map", "profile") if show else "")
    pages["profile/dosing.md"] = render("dosing.md.j2", page=dosing)
    pages["generated/home.md"] = render("home.md.j2", page=site_view.home_snippet(
        corpus, grades, last_updated))
    pages["reference/fields.md"] = render("fields.md.j2", page=reference_view.fields_page())
    pages["reference/errors.md"] = render("errors.md.j2", page=reference_view.errors_page())
    search = reference_view.search_page(corpus)
    pages["reference/search.md"] = render("search.md.j2", page=search)
    pages["reference/search-log.md"] = render("search-log.md.j2", page=search)
    for name, content in (downloads or {}).items():
        pages[f"downloads/{name}"] = content
    pages["downloads/index.md"] = render("downloads.md.j2",
                                         page=site_view.downloads_page(sorted(downloads or ())))
    pages.update(extra or {})
    return dict(sorted(pages.items()))


def _figure_snippet(corpus: Corpus, grades: Mapping[str, Any], name: str, here: str) -> str:
    """One figure's Markdown block (image, caption, data table) for a page in folder `here`."""
    from build_tools.figures import figure_snippet  # matplotlib loads only when figures are drawn

    return figure_snippet(name, corpus, grades, here=here)
