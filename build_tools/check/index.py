"""What the cross-record checks see: every id on disk, the loaded records, and one finding type."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from build_tools.text import did_you_mean, json_path

if TYPE_CHECKING:
    from build_tools.records.files import Record


class Finding(NamedTuple):
    """One problem a rule found in a record: where (a path in the data), which code, what."""

    path: tuple
    code: str
    message: str
    key: bool = False  # point at the key rather than the value
    hint: dict = {}  # noqa: RUF012 - never mutated; keyword arguments of the code's hint


Found = Iterator[Finding]


@dataclass
class Index:
    """Known ids per kind, with the loaded records available (or loadable on demand)."""

    ids: dict[str, set[str]]
    records: dict[tuple[str, str], Record] = field(default_factory=dict)
    load_one: Callable[[str, str], Record | None] | None = None

    def has(self, kind: str, rid: str) -> bool:
        """True if a record of that kind and id exists."""
        return rid in self.ids.get(kind, set())

    def get(self, kind: str, rid: str) -> Record | None:
        """The loaded record, loading it on demand when only its file name was known."""
        key = (kind, rid)
        if key not in self.records and self.load_one and self.has(kind, rid):
            record = self.load_one(kind, rid)
            if record is not None:
                self.records[key] = record
        return self.records.get(key)


def closest(word: str, choices: set[str]) -> str:
    """A did-you-mean hint for a broken link."""
    close = did_you_mean(word, choices, cutoff=0.5)
    return f"closest: {close[0]}" if close else "no record with a similar id"


def dotted_get(data: dict, dotted: str) -> object:
    """Value at a dotted path, or None."""
    node: object = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def broken_link(kind: str, rid: object, path: tuple, index: Index) -> Found:
    """A broken-link finding when rid is not a known record of kind."""
    if isinstance(rid, str) and not index.has(kind, rid):
        yield Finding(path, "E301", f"{json_path(path)}: no {kind} '{rid}'",
                      hint={"hint": closest(rid, index.ids.get(kind, set()))})
