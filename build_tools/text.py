"""Small text helpers every layer shares: suggestions, positions, numbers and people's names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping


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


def person(author: Mapping) -> str:
    """'Sigtermans MJ' or a group name, as a reference list prints an author."""
    if author.get("literal"):
        return str(author["literal"])
    return " ".join(str(p) for p in (author.get("family"), author.get("given")) if p)
