"""AMA and Vancouver (NLM) reference lines: the official CSL styles run by citeproc-py."""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.cite import cache as refcache
from build_tools.cite.csl import to_csl
from build_tools.records.model import Study

# citeproc-py and lxml are imported when first needed: a build whose lines all come from the
# cache (cite/cache.py) renders none, and an incremental build may cite no study at all.
if TYPE_CHECKING:
    from citeproc import CitationStylesStyle
    from lxml import etree

CSL_DIR = Path(__file__).resolve().parent / "data" / "csl"
# Official CSL styles, vendored unmodified (see data/csl/README.md). Upstream's Vancouver style is
# now nlm-citation-sequence.csl ("vancouver-nlm" is a dependent alias of it).
STYLE_FILES = {"ama": "american-medical-association.csl", "vancouver": "nlm-citation-sequence.csl"}
_CSL_NS = "http://purl.org/net/xbiblio/csl"



def _patch_style(tree: etree._ElementTree) -> None:
    """Work around citeproc-py limits so its output follows the style and its manual."""
    from lxml import etree

    ns = {"cs": _CSL_NS}
    # citeproc-py 0.11 ignores the delimiter of a localised date ("2009Oct"); the same space as a
    # prefix on every later date-part renders what the style asks for ("2009 Oct").
    for date in tree.xpath("/cs:style/cs:locale/cs:date[@delimiter]", namespaces=ns):
        for part in date.xpath("cs:date-part", namespaces=ns)[1:]:
            part.set("prefix", part.get("prefix", date.get("delimiter")))
    # Citing Medicine separates pages with a hyphen (123-9); CSL's en-US default is an en dash.
    for terms in tree.xpath("/cs:style/cs:locale[@xml:lang='en']/cs:terms", namespaces=ns):
        if not terms.xpath("cs:term[@name='page-range-delimiter']", namespaces=ns):
            etree.SubElement(terms, f"{{{_CSL_NS}}}term", name="page-range-delimiter").text = "-"


@cache
def _patched_style_bytes(name: str) -> bytes:
    """A vendored CSL style, patched in memory (the files stay as upstream)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.parse(str(CSL_DIR / STYLE_FILES[name]), parser)
    _patch_style(tree)
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


def reference(study: Study, style: str, lines: refcache.LineCache | None = None) -> str:
    """One plain-text reference line in the AMA or Vancouver (NLM) style."""
    item = {k: v for k, v in to_csl(study).items() if k not in ("custom", "citation-key")}
    if study.authors_incomplete:
        # Only the first authors are known: a last "et al." name makes both styles end the list
        # with et al. (and still truncate a long list their own way). Never in the CSL-JSON export.
        item["author"] = [*item["author"], {"literal": "et al."}]
    if lines is None:
        return _render_line(item, style)
    return lines.get(refcache.key(_patched_style_bytes(style), item),
                     lambda: _render_line(item, style))


def _render_line(item: dict, style: str) -> str:
    """Render one CSL-JSON item with citeproc-py (the slow part that refcache remembers)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    text = re.sub(r"^1\.\s*", "", text)  # the numeric label of a one-item bibliography
    # citeproc-py does not merge a style's full stop into a title's own ? or ! ("work?.").
    return re.sub(r"([?!])\.(?=\s|$)", r"\1", text).strip()
