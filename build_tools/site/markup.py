"""Escaping: contributor text made inert in Markdown, HTML, URLs, code fences and front matter.

Every value a template prints must pass through one of these functions. They return `Md`, a
str subclass the renderer's finalize hook accepts; a plain str reaching a template is an error,
so forgetting to escape fails the build instead of opening a hole.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

from markupsafe import Markup


class Md(str):
    """Text already safe to place in a Markdown page (escaped, or built from trusted parts)."""

    __slots__ = ()


# Characters with inline meaning to Python-Markdown and the extensions mkdocs.yml enables
# (emphasis, code, links, attribute lists, tables, heading closers): always backslash-escaped.
# `<`, `>` and `&` become entities instead, because a backslash does not stop raw HTML.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|#])")
# Characters that only mean something at the start of a line (lists, ordered lists, admonitions,
# fences, setext underlines). Values are single lines, so only their first character can start a line.
_LINE_START = re.compile(r"^(?:[-+!]|\d+\.|[~=])")
_SPACE = re.compile(r"\s+")


def md(value: object) -> Md:
    """Escape any value as one line of literal Markdown text (safe in paragraphs and table cells)."""
    if value is None:
        return Md("")
    if isinstance(value, Md | Markup):
        return Md(str(value))
    text = _SPACE.sub(" ", str(value)).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    start = _LINE_START.match(text)
    if start:
        lead = start.group()
        # `~` (fences) and `=` (setext headings) have no backslash escape; their entities are inert.
        entity = {"~": "&#126;", "=": "&#61;"}.get(lead)
        text = (entity or lead[:-1] + "\\" + lead[-1]) + text[len(lead):]
    return Md(text)


def html_text(value: object) -> Md:
    """Escape a value for HTML text or a double-quoted attribute (for raw HTML in pages)."""
    return Md(html.escape("" if value is None else str(value), quote=True))


def trusted(value: str) -> Md:
    """Mark text built by our own code (never from a record) as safe to print as is."""
    return Md(value)


_SAFE_URL = re.compile(r"^https://[^\s<>\"'`\\]+$")


def safe_url(url: object) -> str | None:
    """The URL if it is an absolute https address without unsafe characters, else None."""
    if isinstance(url, str) and _SAFE_URL.match(url):
        # Percent-encode what Markdown or an attribute could read as structure.
        return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")
    return None


def link(text: object, url: object) -> Md:
    """A Markdown link when the URL is safe https; otherwise the text and the URL as plain text."""
    target = safe_url(url)
    if target is None:
        shown = md(text)
        return Md(f"{shown} ({md(url)}, not linked)") if url and str(url) != str(text) else shown
    target = target.replace("(", "%28").replace(")", "%29").replace("[", "%5B").replace("]", "%5D")
    return Md(f"[{md(text)}]({target})")


def internal_link(text: object, href: str) -> Md:
    """A Markdown link to a page of this site (href is built by our code from ids)."""
    return Md(f"[{md(text)}]({href})")


# pymdownx.snippets reads `--8<--` lines everywhere, even inside code blocks; a leading `;` is its
# documented escape (the `;` is removed and the line shown as written).
_SNIPPET_LINE = re.compile(r"^([ \t]*)(;*-+8<-+)", re.MULTILINE)


def code_block(text: str, lang: str = "text") -> Md:
    """A fenced code block holding text verbatim: the fence is longer than any backtick run in it."""
    # Every line boundary str.splitlines() knows (U+2028, U+0085, ...) becomes "\n" first: the
    # renderer splits pages with splitlines(), so a separator left here would start a new line
    # after the snippet escape below had looked (tests/hostile_corpus.py, "snippet").
    text = "\n".join(text.splitlines())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = _SNIPPET_LINE.sub(r"\1;\2", text.rstrip())
    return Md(f"{fence} {lang}\n{body}\n{fence}")


# Characters JSON leaves raw that YAML reads as line breaks (U+0085, U+2028, U+2029) or refuses
# (C1 controls, BOM, non-characters): written as \u escapes, which both languages read back.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def yaml_value(value: object) -> Md:
    """A scalar for YAML front matter: JSON is valid YAML, so quoting cannot be broken out of."""
    text = json.dumps(value, ensure_ascii=False)
    return Md(_YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def html_title(value: object) -> Md:
    """A page title for front matter: HTML-escaped, because themes print titles into <title> raw."""
    return yaml_value(html.escape(_SPACE.sub(" ", str(value)).strip(), quote=False))
