"""Per-record pieces of the whole-base downloads, kept between builds of one session.

A download is the same as its records' pieces joined (BibTeX entries, RIS records, JSON items),
so an incremental build (`evidence serve`) re-renders only the pieces of records that changed.
Records and grades are immutable, and a session keeps the same object while a record's file is
unchanged, so a piece is remembered by the identity of what it was made from (holding those
objects keeps their identities unique). Every make of a file replaces that file's pieces, so
pieces of deleted or edited records are dropped. tests/test_downloads.py holds the joined
files equal to the files made in one go.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any


class Pieces:
    """Rendered pieces by file and by the identity of the objects each was made from."""

    def __init__(self) -> None:
        self.by_file: dict[str, dict[tuple[int, ...], tuple[tuple, str]]] = {}

    def each(self, name: str, items: Sequence[tuple], make: Callable[..., str]) -> list[str]:
        """make(*item) for every item, reusing the text made from the very same objects."""
        old, new, out = self.by_file.get(name, {}), {}, []
        for item in items:
            key = tuple(map(id, item))
            known = old.get(key)
            if known is not None and all(a is b for a, b in zip(known[0], item, strict=True)):
                text = known[1]
            else:
                text = make(*item)
            new[key] = (item, text)
            out.append(text)
        self.by_file[name] = new
        return out


def dumped(value: Any) -> str:
    """A value as the downloads write JSON: indent 2, Unicode kept."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def nested(text: str, level: int) -> str:
    """Dumped JSON placed `level` levels deep: every line after the first indented.

    Split on newlines only: JSON written with Unicode kept may hold U+2028 and other characters
    that str.splitlines (and so textwrap) would treat as line ends.
    """
    return text.replace("\n", "\n" + "  " * level)


def json_list(items: Sequence[str]) -> str:
    """A JSON list of dumped items, exactly as json.dumps(indent=2) writes it."""
    if not items:
        return "[]"
    return "[\n" + ",\n".join("  " + nested(t, 1) for t in items) + "\n]"


def json_object(members: Sequence[tuple[str, str]]) -> str:
    """A top-level JSON object of (key, dumped value) members, as json.dumps(indent=2) writes it."""
    return "{\n" + ",\n".join(f"  {json.dumps(k, ensure_ascii=False)}: {nested(v, 1)}"
                              for k, v in members) + "\n}"
