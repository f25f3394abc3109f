"""What a record's text may not hold, found before the parser sees it: controls and direction
controls (typed, or written as YAML escapes: those are found in the decoded values, at the
value's position, since an escape like \\e is several characters in the file), and nesting
deeper than any record needs (the parser recurses)."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# What YAML's reader refuses: C0 controls but tab/LF/CR, DEL, C1 controls but NEL, non-characters.
_RAW = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff"
# After decoding, a carriage return can only come from an escape ("\r"): line breaks typed in
# the file are normalised to \n by the parser. It would rewrite a terminal line, so it goes too.
_DECODED = _RAW + "\r"
# Bidirectional embeddings, overrides and isolates: text displays in another order than stored.
_DIRECTION = "\u202a-\u202e\u2066-\u2069"
DIRECTION = re.compile(f"[{_DIRECTION}]")
_FORBIDDEN = {False: re.compile(f"[{_RAW}{_DIRECTION}]"),
              True: re.compile(f"[{_DECODED}{_DIRECTION}]")}

MAX_DEPTH = 32  # the deepest schema path is about 6 levels
_DEEP_DASHES = re.compile(r"(?:-[ \t]+){" + str(MAX_DEPTH) + ",}")


class BadSpot(NamedTuple):
    """Something refused in a text: its problem code, character offset and description."""

    code: str
    index: int
    message: str


def describe(char: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)': a character by code point and name."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def find(text: str, *, decoded: bool) -> BadSpot | None:
    """The first forbidden character of a raw file text or of a decoded value, or None."""
    if text.isascii() and text.isprintable():  # most values: one fast test, no pattern
        return None
    first = _FORBIDDEN[decoded].search(text)
    if first is None:
        return None
    how = " written as an escape" if decoded else ""
    if DIRECTION.match(first.group()):
        return BadSpot("E116", first.start(),
                       f"text-direction control {describe(first.group())}{how}")
    return BadSpot("E111", first.start(), f"control character U+{ord(first.group()):04X}{how}")


def invisible(text: str) -> str | None:
    """The first invisible formatting character (Unicode category Cf) in a text, described."""
    for char in text:
        if unicodedata.category(char) == "Cf":
            return describe(char)
    return None


def find_nesting(text: str) -> BadSpot | None:
    """Brackets, list markers or indentation nested deeper than MAX_DEPTH (E112), or None."""
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = 0
        for match in re.finditer(r"[\[\]{}]", text):
            depth += 1 if match.group() in "[{" else -1
            if depth > MAX_DEPTH:
                return BadSpot("E112", match.start(), f"more than {MAX_DEPTH} nested brackets")
    match = _DEEP_DASHES.search(text)
    if match:
        return BadSpot("E112", match.start(), f"more than {MAX_DEPTH} nested list markers")
    match = re.search(r"^ {" + str(2 * MAX_DEPTH + 9) + "}", text, re.MULTILINE)
    if match:
        return BadSpot("E112", match.start(), "indentation deeper than any record needs")
    return None
