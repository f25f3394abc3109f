"""Sentences of a visible text, with their offsets in the input (the same rules as check.js)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from build_tools.scan.extract import Visible

# A line this long that ends without a full stop was wrapped by an editor: the sentence goes on.
WRAPPED_LINE = 60
_ENDS_SENTENCE = ".!?:\"\u201d\u2019)"
_BOUNDARY = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z]+)\.+$")
_INITIALS = re.compile(r"(?:^|[^A-Za-z])(?:[A-Za-z]\.)+$")
_WORDLIKE = re.compile(r"[A-Za-z0-9]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text (spaces collapsed) and its place in the input."""

    text: str
    start: int
    end: int


def blocks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the runs of text between hard breaks: blank lines, and line ends after
    a short line or a full stop (a heading, a list item, a paragraph per line)."""
    start = 0
    line_start = 0
    at = text.find("\n")
    while at >= 0:
        line = text[line_start:at].strip()
        wrapped = len(line) >= WRAPPED_LINE and not line.endswith(tuple(_ENDS_SENTENCE))
        if not wrapped:
            yield start, at
            start = at + 1
        line_start = at + 1
        at = text.find("\n", at + 1)
    yield start, len(text)


def _is_abbreviation(before: str, abbreviations: Collection[str]) -> bool:
    """Whether the full stop ending `before` belongs to an abbreviation or initials."""
    if not before.endswith("."):
        return False
    if _INITIALS.search(before):  # "J." "U.S." "e.g."
        return True
    word = _LAST_WORD.search(before)
    return bool(word and word.group(1).lower() in abbreviations)


def _pieces(text: str, start: int, end: int, abbreviations: Collection[str]
            ) -> Iterator[tuple[int, int]]:
    """(start, end) of the sentences inside one block."""
    at = start
    for found in _BOUNDARY.finditer(text, start, end):
        stop = found.start() + len(found.group(0).rstrip())
        # A short look back is enough for the word before the stop (and keeps this linear).
        if _is_abbreviation(text[max(at, found.start() - 32):found.start() + 1], abbreviations):
            continue
        yield at, stop
        at = found.end()
    yield at, end


def split_sentences(visible: Visible, abbreviations: Collection[str]) -> list[Sentence]:
    """Every sentence of the visible text that has a word in it."""
    text = visible.text
    found = []
    for block_start, block_end in blocks(text):
        for start, end in _pieces(text, block_start, block_end, abbreviations):
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end and _WORDLIKE.search(text, start, end):
                found.append(Sentence(_SPACES.sub(" ", text[start:end]),
                                      visible.starts[start], visible.ends[end - 1]))
    return found
