"""An input text as the reader sees it, each visible character tied to its place in the input.

Plain text and Markdown share one reading (Markdown's markers and link targets are dropped);
HTML loses its tags, scripts and styles, and its entities are decoded. Offsets always point into
the input as given (Python string indices), so a sentence can be found again in the original.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

TEXT, HTML = "text", "html"
FORMATS = (TEXT, HTML)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
BREAK = "\n\n"  # between blocks: never inside one sentence

_LINE_MARKER = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,3}[.)][ \t]+)")
# Emphasis and code marks go; so does any "_" (no look-behind: older browsers lack it).
_MD_INLINE = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)|<[^>\n]*>|[*_`]")
_HTML = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style|noscript|template|svg|head)\b[^>]*>.*?"
                   r"(?:</\1\s*>|\Z)|</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>|&(?:#[0-9]{1,7}|#[xX]"
                   r"[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});", re.S | re.I)
_BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "body", "br", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"))
_SPACE = re.compile(r"\s")


@dataclass
class Visible:
    """Visible text and, per character, where it starts and ends in the input."""

    text: str = ""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    _parts: list[str] = field(default_factory=list)

    def add(self, chars: str, start: int, end: int | None = None) -> None:
        """Append characters copied from input[start:start+len] (or all standing for start:end)."""
        self._parts.append(chars)
        if end is None:
            self.starts.extend(range(start, start + len(chars)))
            self.ends.extend(range(start + 1, start + len(chars) + 1))
        else:
            self.starts.extend([start] * len(chars))
            self.ends.extend([end] * len(chars))

    def done(self) -> Visible:
        """Join the parts into text (call once, after the last add)."""
        self.text = "".join(self._parts)
        return self


def guess_format(raw: str, name: str = "") -> str:
    """HTML for .html files or input that starts with a tag, else plain text or Markdown."""
    if name.lower().endswith(HTML_SUFFIXES):
        return HTML
    head = raw.lstrip()[:1000].lower()
    return HTML if head.startswith(("<!doctype html", "<html", "<body", "<p", "<div", "<head",
                                    "<article", "<main", "<section")) else TEXT


def _text_line(out: Visible, raw: str, start: int, end: int) -> None:
    """One line of plain text or Markdown, markers and link targets left out."""
    marker = _LINE_MARKER.match(raw, start, end)
    if marker and marker.end() > start:
        out.add("\n", start)  # a heading, quote or list item starts a block of its own
        start = marker.end()
    at = start
    for found in _MD_INLINE.finditer(raw, start, end):
        out.add(raw[at:found.start()], at)
        if found.group(1):
            out.add(found.group(1), found.start(1))
        at = found.end()
    out.add(raw[at:end], at)


def extract_text(raw: str) -> Visible:
    """Plain text or Markdown: every line, its end kept as a line break."""
    out = Visible()
    at = 0
    while at <= len(raw):
        end = raw.find("\n", at)
        end = len(raw) if end < 0 else end
        _text_line(out, raw, at, end)
        if end < len(raw):
            out.add("\n", end)
        at = end + 1
    return out.done()


def extract_html(raw: str) -> Visible:
    """HTML: text between tags, entities decoded, blocks apart, scripts and styles dropped."""
    out = Visible()
    at = 0
    for found in _HTML.finditer(raw):
        out.add(_SPACE.sub(" ", raw[at:found.start()]), at)
        token, tag = found.group(0), found.group(2)
        if token.startswith("&"):
            out.add(_SPACE.sub(" ", html.unescape(token)), found.start(), found.end())
        elif tag and tag.lower() in _BLOCK_TAGS:
            out.add(BREAK, found.start(), found.end())
        at = found.end()
    out.add(_SPACE.sub(" ", raw[at:]), at)
    return out.done()


def extract(raw: str, fmt: str = TEXT) -> Visible:
    """The visible text of an input in the given format."""
    return extract_html(raw) if fmt == HTML else extract_text(raw)
