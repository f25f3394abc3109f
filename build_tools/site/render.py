"""Rendering: the corpus, its grades and SoF tables in; every generated page as text out (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from build_tools.paths import TEMPLATES_DIR
from build_tools.site import words as labels
from build_tools.site.markup import Md, html_text, link, md, trusted
from build_tools.site.parts import search_facets
from build_tools.site.views import claim as claim_view
from build_tools.site.views import overview as site_view
from build_tools.site.views import reference as reference_view
from build_tools.site.views import study as study_view

if TYPE_CHECKING:  # types only: rendering is handed these, it computes none of them
    from build_tools.cite.formats import CitationBlock
    from build_tools.grade.claim_effects import ClaimEffects
    from build_tools.grade.rules import ClaimGrade
    from build_tools.grade.sof import SofTable
    from build_tools.records.model import Corpus


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


@dataclass(frozen=True)
class SiteInputs:
    """Everything the pages are made from; the pipeline computes it, rendering only formats it."""

    corpus: Corpus
    grades: Mapping[str, ClaimGrade]
    sof: Sequence[SofTable]
    citations: Mapping[str, CitationBlock]
    downloads: Mapping[str, str] = field(default_factory=dict)  # file name -> content
    figures: Mapping[str, str] = field(default_factory=dict)  # docs-relative path -> content
    snippets: Mapping[str, str] = field(default_factory=dict)  # figure name -> block (profile/)
    effects: Mapping[str, ClaimEffects] = field(default_factory=dict)  # claim id -> numbers
    forests: Mapping[str, str] = field(default_factory=dict)  # claim id -> forest plot block
    last_updated: str | None = None


def render_site(inputs: SiteInputs) -> dict[str, str]:
    """Every generated page, docs-relative path -> content; same input gives the same output."""
    corpus, grades = inputs.corpus, inputs.grades
    pages: dict[str, str] = {}
    by_study = study_view.claims_by_study(corpus)
    for sid, study in corpus.studies.items():
        pages[f"studies/{sid}.md"] = render("study.md.j2", page=study_view.study_page(
            study, corpus, grades, inputs.citations[sid], by_study)) + search_facets(
            "Study", design=labels.word(study.design))
    studies_index = site_view.studies_index(corpus)
    pages["studies/index.md"] = render("studies.md.j2", page=studies_index)
    if studies_index["lazy"]:
        pages["studies/table.json"] = site_view.studies_table_data(corpus)
    for cid, claim in corpus.claims.items():
        pages[f"claims/{cid}.md"] = render("claim.md.j2", page=claim_view.claim_page(
            claim, corpus, grades, inputs.effects.get(cid), inputs.forests.get(cid, ""))) + _claim_facets(
            grades[cid])
    pages["claims/index.md"] = render("claims.md.j2", page=claim_view.claims_index(corpus, grades))
    for rid, source in corpus.sources.items():
        pages[f"sources/{rid}.md"] = render("source.md.j2", page=site_view.source_page(
            source, corpus, grades)) + search_facets("Source", type=labels.word(source.kind))
    pages["sources/index.md"] = render("sources.md.j2", page=site_view.sources_index(corpus))
    pages.update(_profile_pages(inputs))
    pages["generated/home.md"] = render("home.md.j2", page=site_view.home_snippet(
        corpus, grades, inputs.last_updated, inputs.effects))
    pages.update(_reference_pages(corpus))
    for name, content in inputs.downloads.items():
        pages[f"downloads/{name}"] = content
    pages["downloads/index.md"] = render("downloads.md.j2",
                                         page=site_view.downloads_page(sorted(inputs.downloads)))
    pages.update(inputs.figures)
    return dict(sorted(pages.items()))


def _claim_facets(grade: ClaimGrade) -> str:
    """A claim page's search filters: its verdict and certainty in words (the page's own)."""
    certainty = labels.word(grade.certainty) if grade.certainty else None
    return search_facets("Claim", verdict=labels.VERDICT_WORDS.get(grade.verdict,
                                                                   labels.word(grade.verdict)),
                         certainty=certainty)


def _profile_pages(inputs: SiteInputs) -> dict[str, str]:
    """The evidence profile and the dosing page, with the figures that illustrate them."""
    snippets = inputs.snippets
    profile = site_view.profile_page(inputs.sof)
    profile["figures"] = trusted("\n\n".join(
        snippets[name] for name in ("risk-of-bias-rob2", "risk-of-bias-robins-i")
        if name in snippets))
    dosing = site_view.dosing_page(inputs.corpus)
    dosing["figure"] = trusted(snippets.get("dosing-map", ""))
    return {"profile/index.md": render("profile.md.j2", page=profile),
            "profile/dosing.md": render("dosing.md.j2", page=dosing)}


def _reference_pages(corpus: Corpus) -> dict[str, str]:
    """Field and error references, the literature search and its log."""
    search = reference_view.search_page(corpus)
    return {"reference/fields.md": render("fields.md.j2", page=reference_view.fields_page()),
            "reference/errors.md": render("errors.md.j2", page=reference_view.errors_page()),
            "reference/search.md": render("search.md.j2", page=search),
            "reference/search-log.md": render("search-log.md.j2", page=search)}
