"""AMA and Vancouver (NLM) reference lines: the official CSL styles run by citeproc-py."""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.cite import cache as refcache
from build_tools.cite.csl import to_csl
from build_tools.cite.sentence_case import sentence_case
from build_tools.records.model import Study

# citeproc-py and lxml are imported when first needed: a build whose lines all come from the
# cache (cite/cache.py) renders none, and an incremental build may cite no study at all.
if TYPE_CHECKING:
    from citeproc import CitationStylesStyle
    from citeproc.source.json import CiteProcJSON

CSL_DIR = Path(__file__).resolve().parent / "data" / "csl"
# Official CSL styles, vendored unmodified (see data/csl/README.md). Upstream's Vancouver style is
# now nlm-citation-sequence.csl ("vancouver-nlm" is a dependent alias of it).
STYLE_FILES = {"ama": "american-medical-association.csl", "vancouver": "nlm-citation-sequence.csl"}
# CSL types whose title the AMA style sets in title case itself (its italic, book-like titles).
_AMA_TITLE_CASED = {"bill", "book", "graphic", "legal_case", "legislation", "motion_picture",
                    "report", "song", "thesis"}


@cache
def _patched_style_bytes(name: str) -> bytes:
    """A vendored CSL style, patched in memory (the files stay as upstream)."""
    from lxml import etree

    from build_tools.cite.csl_patches import patch_style  # imports lxml

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.parse(str(CSL_DIR / STYLE_FILES[name]), parser)
    patch_style(tree, name)
    return etree.tostring(tree)


@cache
def _style(name: str) -> CitationStylesStyle:
    """A vendored CSL style, parsed once."""
    from citeproc import CitationStylesStyle

    _remember_style_lookups()
    return CitationStylesStyle(io.BytesIO(_patched_style_bytes(name)), validate=False)


@cache
def _remember_style_lookups() -> None:
    """Make citeproc-py look each XPath up once per style element (about half of its time).

    citeproc-py 0.11 runs the same XPath queries on the same style elements for every line;
    the style tree never changes after parsing, so the answers never change either. Lines are
    byte-identical with and without this (tests/test_citations.py compares them to golden lines).
    """
    from citeproc import model

    search = model.CitationStylesElement.xpath_search
    if getattr(search, "remembers", False):
        return
    known: dict[tuple, list] = {}  # holding the element keeps its identity (lxml proxies)

    def remembered(self: model.CitationStylesElement, expression: str) -> list:
        key = (self, expression)
        if key not in known:
            known[key] = search(self, expression)
        return list(known[key])  # a copy: a caller may change the list it gets

    remembered.remembers = True  # type: ignore[attr-defined]
    model.CitationStylesElement.xpath_search = remembered


def _authors(item: dict, incomplete: bool) -> list[dict]:
    """The CSL names, ending with et al. when only the first authors are known."""
    names = list(item["author"])
    if not incomplete:
        return names
    # A last "et al." name makes both styles end the list with et al. (and still truncate a long
    # list their own way). A surname without initials takes it without a comma ("Dahan et al.",
    # never "Dahan, et al."). Never in the CSL-JSON export, which says authors_incomplete.
    last = names[-1]
    if set(last) == {"family"}:
        return [*names[:-1], {"literal": f"{last['family']} et al."}]
    return [*names, {"literal": "et al."}]


def style_item(study: Study, style: str) -> dict:
    """The CSL-JSON item a style renders: the export's item with the style's own conventions."""
    item = {k: v for k, v in to_csl(study).items() if k not in ("custom", "citation-key")}
    item["author"] = _authors(item, study.authors_incomplete)
    if style == "ama" and item["type"] not in _AMA_TITLE_CASED:
        # AMA sets article titles in sentence case; CSL expects the title in the form to print.
        item["title"] = sentence_case(item["title"])
    return item


def reference(study: Study, style: str, lines: refcache.LineCache | None = None) -> str:
    """One plain-text reference line in the AMA or Vancouver (NLM) style."""
    item = style_item(study, style)
    if lines is None:
        return _render_line(item, style)
    return lines.get(refcache.key(_patched_style_bytes(style), item),
                     lambda: _render_line(item, style))


def _source(item: dict) -> CiteProcJSON:
    """citeproc-py's source for one item, with CSL 1.0.2's available-date read as a date."""
    from citeproc.source.json import CiteProcJSON

    # citeproc-py 0.11 knows only CSL 1.0.1's date variables and would read it as text.
    source = CiteProcJSON([{k: v for k, v in item.items() if k != "available-date"}])
    if "available-date" in item:
        source[item["id"].lower()]["available_date"] = source.parse_date(item["available-date"])
    return source


def _render_line(item: dict, style: str) -> str:
    """Render one CSL-JSON item with citeproc-py (the slow part that refcache remembers)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

    bibliography = CitationStylesBibliography(_style(style), _source(item), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    text = re.sub(r"^1\.\s*", "", text)  # the numeric label of a one-item bibliography
    # citeproc-py does not merge a style's full stop into a title's own ? or ! ("work?.").
    return re.sub(r"([?!])\.(?=\s|$)", r"\1", text).strip()
