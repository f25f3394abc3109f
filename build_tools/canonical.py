"""Content digests of values: the same text for equal values in any process.

An incremental build compares what a page is made from by digest (incremental.py): records by
their files' bytes, and derived values (a figure's data, the SoF tables) by canonical text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from functools import partial
from types import MappingProxyType
from typing import Any


class Spelled:
    """Texts of record data (mapping proxies) spelled by canonical(), by identity: a session
    keeps its unchanged records' frozen data between refreshes, so each is spelled once. Only
    what the last refresh used is kept (holding an object keeps its identity unique)."""

    def __init__(self) -> None:
        self.old: dict[int, tuple[Any, str]] = {}
        self.new: dict[int, tuple[Any, str]] = {}

    def text(self, value: MappingProxyType) -> str:
        """The value's canonical text."""
        found = self.new.get(id(value)) or self.old.get(id(value))
        if found is None or found[0] is not value:
            found = (value, canonical(dict(value), self))
        self.new[id(value)] = found
        return found[1]

    def rotate(self) -> None:
        """Forget what the refresh that just ended did not use."""
        self.old, self.new = self.new, {}


def canonical(value: Any, known: Spelled | None = None) -> str:
    """A text that is the same for equal values in any process: JSON written by the C encoder,
    with dataclasses as [class name, fields...], sets sorted and record data (mapping proxies)
    as mappings in their order; a value JSON cannot take (a non-text key) is spelled slowly.

    known: record data spelled before (see Spelled).
    """
    try:
        return json.dumps(value, default=partial(_jsonable, known), ensure_ascii=False,
                          check_circular=False)
    except (TypeError, ValueError):
        return _spelled(value)


def _jsonable(known: Spelled | None, value: Any) -> Any:
    """What JSON does not know, as what it does (json.dumps' `default`)."""
    if isinstance(value, MappingProxyType) and known is not None:
        return known.text(value)
    if isinstance(value, Mapping | MappingProxyType):
        return dict(value)
    if dataclasses.is_dataclass(value):
        return [type(value).__name__, *(getattr(value, f.name) for f in dataclasses.fields(value))]
    if isinstance(value, set | frozenset):
        return ["<set>", *sorted(canonical(v) for v in value)]
    return f"<{type(value).__name__}>{value!r}"


def _spelled(value: Any) -> str:
    """canonical() for values with mapping keys other than text, recursively."""
    if isinstance(value, Mapping | MappingProxyType):
        return "{" + ",".join(f"{_spelled(k)}:{_spelled(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_spelled(v) for v in value) + "]"
    if dataclasses.is_dataclass(value):
        return type(value).__name__ + _spelled(
            [getattr(value, f.name) for f in dataclasses.fields(value)])
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(_spelled(v) for v in value)) + "}"
    return repr(str(value)) if isinstance(value, str) else f"{type(value).__name__}:{value!r}"


def digest(*parts: str) -> str:
    """A short content digest of texts."""
    found = hashlib.blake2b(digest_size=16)
    for part in parts:
        found.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return found.hexdigest()
