"""A Python-Markdown extension (listed in mkdocs.yml) that prepares every page's HTML for phones
and screen readers: table cells learn their column's name, certainty symbols get words.

- Every body cell of a table gets `data-label="<its column heading>"`. The stylesheet shows
  tables of three or more columns as stacked cards on phones, each value under its label, and
  the print stylesheet wraps them to the page width; no template has to mark anything.
- A run of certainty symbols written in text (⊕⊕◯◯) becomes an image with the words
  ("Low certainty"), so a screen reader does not read out four circled signs. Symbols that
  `parts.certainty_cell` already wrapped are raw HTML here and are left alone.

It runs in both engines the configuration supports (MkDocs and Zensical call Python-Markdown).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from build_tools.grade.vocabulary import CERTAINTY_SYMBOLS, CERTAINTY_WORDS

# Python-Markdown keeps raw inline HTML out of the tree behind these placeholders.
_PLACEHOLDER = re.compile("\x02wzxhzdk:\\d+\x03")
_SYMBOLS = {symbols: f"{CERTAINTY_WORDS.get(level, level)} certainty"
            for level, symbols in CERTAINTY_SYMBOLS.items()}
_SYMBOL_RUN = re.compile("|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True)))
_VERBATIM = {"pre", "code", "script", "style"}


def heading_text(cell: ET.Element) -> str:
    """A header cell's visible words, without raw-HTML placeholders or extra spaces."""
    return " ".join(_PLACEHOLDER.sub("", "".join(cell.itertext())).split())


def label_cells(table: ET.Element) -> None:
    """Give each body cell of a table the heading of its column as data-label."""
    head = table.find("thead/tr")
    if head is None:
        return
    names = [heading_text(th) for th in head]
    for row in table.iterfind("tbody/tr"):
        for name, cell in zip(names, row, strict=False):
            if name and "data-label" not in cell.attrib:
                cell.set("data-label", name)


def symbol_image(symbols: str) -> ET.Element:
    """The symbols as an image whose accessible name is the certainty in words."""
    span = ET.Element("span", {"class": "ev-cert", "role": "img", "aria-label": _SYMBOLS[symbols]})
    span.text = symbols
    return span


def _split(text: str) -> tuple[str, list[ET.Element]]:
    """Text before the first symbol run, then an image per run carrying the text after it."""
    pieces = _SYMBOL_RUN.split(text)
    runs = _SYMBOL_RUN.findall(text)
    images = []
    for run, after in zip(runs, pieces[1:], strict=True):
        image = symbol_image(run)
        image.tail = after
        images.append(image)
    return pieces[0], images


def describe_symbols(parent: ET.Element) -> None:
    """Wrap every certainty symbol run in parent's text and its children's tails, recursively."""
    if parent.tag in _VERBATIM or "ev-cert" in parent.get("class", ""):
        return
    children = list(parent)
    if parent.text and _SYMBOL_RUN.search(parent.text):
        parent.text, images = _split(parent.text)
        for offset, image in enumerate(images):
            parent.insert(offset, image)
    for child in children:
        describe_symbols(child)
        if child.tail and _SYMBOL_RUN.search(child.tail):
            child.tail, images = _split(child.tail)
            at = list(parent).index(child) + 1
            for offset, image in enumerate(images):
                parent.insert(at + offset, image)


class _PageTreeprocessor(Treeprocessor):
    """Labels table cells and describes certainty symbols in one walk of the page."""

    def run(self, root: ET.Element) -> None:
        for table in root.iter("table"):
            label_cells(table)
        describe_symbols(root)


class A11yExtension(Extension):
    """Register the tree processor after attr_list and toc have done their work."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_PageTreeprocessor(md), "evidence_a11y", 4)


def makeExtension(**kwargs: object) -> A11yExtension:  # noqa: N802 (Python-Markdown's name)
    """The entry point Python-Markdown calls for `build_tools.site.markdown_a11y`."""
    return A11yExtension(**kwargs)
