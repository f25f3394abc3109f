"""Rendering: the corpus, its grades and SoF tables in; every generated page as text out (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from build_tools.paths import TEMPLATES_DIR
from build_tools.site.markup import Md, html_text, link, md, trusted

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
class PageJob:
    """One generated file: docs-relative path, the inputs it is made from (see site/plan.py),
    and how to make it."""

    path: str
    needs: tuple
    make: Callable[[], str]


@dataclass(frozen=True)
class Snippet:
    """A figure's block for another page: what it shows (compared by incremental builds) and
    how to write it (only when the page is made)."""

    data: Any
    write: Callable[[], str]


@dataclass(frozen=True)
class SiteInputs:
    """Everything the pages are made from; the pipeline computes it, rendering only formats it."""

    corpus: Corpus
    grades: Mapping[str, ClaimGrade]
    sof: Sequence[SofTable]
    citations: Mapping[str, CitationBlock]  # may compute lazily: read only by pages being made
    download_names: Sequence[str] = ()  # the files under downloads/, for its index page
    snippets: Mapping[str, Snippet] = field(default_factory=dict)  # figure name -> its block
    # claim id -> its numbers, and its forest plot block ('' without one); may compute lazily
    effects: Mapping[str, ClaimEffects] = field(default_factory=dict)
    forests: Mapping[str, str] = field(default_factory=dict)
    last_updated: str | None = None
