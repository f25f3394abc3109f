"""Small text helpers every layer shares: suggestions, positions, numbers and people's names."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

# Characters that would act on a terminal or a log instead of showing: controls (line breaks
# and tabs too, which would split a one-line message), DEL, C1 controls, direction controls.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def did_you_mean(word: str, choices: Iterable[str], *, n: int = 1, cutoff: float = 0.6
                 ) -> list[str]:
    """The choices closest to a mistyped word, best first (none when nothing is close)."""
    return difflib.get_close_matches(word, sorted(choices), n=n, cutoff=cutoff)


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character offset in a text."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def number(value: float | None, significant: int | None = None) -> str:
    """A number for display: integers without a decimal point, others as given or rounded to
    `significant` figures (without exponent notation); '' for None."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    if significant:
        return f"{float(f'{value:.{significant}g}'):g}"
    return f"{value:g}"


def shorten(text: str, limit: int = 60) -> str:
    """Text cut to at most limit characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def printable(text: str) -> str:
    """Text safe to print on one line: undecodable bytes of a file name as U+FFFD, controls and
    direction controls as visible escapes (\\x1b)."""
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that was never a byte
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def shown(value: object, limit: int = 60) -> str:
    """A value as a message quotes it: its repr (escapes visible), cut to limit characters."""
    return shorten(repr(value), limit)


def json_path(path: Iterable) -> str:
    """A path into a record in the one notation of every message: evidence[1].outcome."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def person(author: Mapping) -> str:
    """'Sigtermans MJ' or a group name, as a reference list prints an author."""
    if author.get("literal"):
        return str(author["literal"])
    return " ".join(str(p) for p in (author.get("family"), author.get("given")) if p)
