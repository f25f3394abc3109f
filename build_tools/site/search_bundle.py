"""Pagefind's search bundle made byte-stable: the same pages always give the same files.

Pagefind 1.x writes its filter index from a hash map, so two runs over identical pages list the
filter values in a different order and give the filter files, the metadata file that names
them and pagefind-entry.json new names each time (upstream issue #638; the word index and the
page fragments are already stable). This module rewrites just those files in a canonical
order, with content-derived names, so the site stays deterministic. It is pure: bytes in,
bytes out; `evidence search-index` runs Pagefind and does the reading and writing.

The files are gzip-compressed CBOR behind a 12-byte signature; only the small subset of CBOR
Pagefind uses (unsigned integers, text, arrays, maps) is read and written.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from collections.abc import Mapping
from dataclasses import dataclass

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"


class BundleFormatError(ValueError):
    """The bundle is not laid out as the Pagefind versions this module knows."""


@dataclass(frozen=True)
class Rewrite:
    """The bundle files to write (path -> bytes) and the paths they replace."""

    files: dict[str, bytes]
    removed: frozenset[str]


def _decode(data: bytes, at: int) -> tuple[object, int]:
    """One CBOR item at offset `at`: the value and the offset after it."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise BundleFormatError(f"unsupported CBOR item 0x{head:02x}")
    if major == 0:
        return value, at
    if major == 3:
        return data[at:at + value].decode("utf-8"), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise BundleFormatError(f"unsupported CBOR major type {major}")


def _head(major: int, value: int) -> bytes:
    """A CBOR head in its shortest form, as Pagefind writes it."""
    if value < 24:
        return bytes([major << 5 | value])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if value < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, value)
    raise BundleFormatError(f"integer too large: {value}")


def _encode(value: object) -> bytes:
    """CBOR for the unsigned integers, text and lists of a Pagefind index file."""
    if isinstance(value, bool) or not isinstance(value, int | str | list):
        raise BundleFormatError(f"cannot encode {type(value).__name__}")
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(value)) + b"".join(_encode(item) for item in value)


def read_index(blob: bytes) -> object:
    """The value inside a gzip-compressed, signed Pagefind index file."""
    data = gzip.decompress(blob)
    if not data.startswith(SIGNATURE):
        raise BundleFormatError("missing pagefind_dcd signature")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data):
        raise BundleFormatError("trailing bytes after the index")
    return value


def write_index(value: object) -> bytes:
    """A signed, gzip-compressed index file with a fixed header (no time stamp)."""
    return gzip.compress(SIGNATURE + _encode(value), compresslevel=9, mtime=0)


def _name(language: str, blob: bytes, digits: int) -> str:
    """A content-derived file name stem, in Pagefind's style (en_1a2b3c4)."""
    return f"{language}_{hashlib.sha256(blob).hexdigest()[:digits]}"


def canonical(files: Mapping[str, bytes]) -> Rewrite:
    """Filter values sorted, filters listed by name, every rewritten file named by content."""
    entry = json.loads(files[ENTRY])
    out: dict[str, bytes] = {}
    removed: set[str] = set()
    for language, info in entry.get("languages", {}).items():
        meta_path = f"pagefind.{info['hash']}.pf_meta"
        meta = read_index(files[meta_path])
        if not (isinstance(meta, list) and len(meta) > 3 and isinstance(meta[3], list)):
            raise BundleFormatError(f"{meta_path}: no filter list where Pagefind 1.x puts it")
        filters = []
        for name, stem in sorted(meta[3]):
            path = f"filter/{stem}.pf_filter"
            key, values = read_index(files[path])
            blob = write_index([key, sorted(values, key=lambda pair: pair[0])])
            new_stem = _name(language, blob, 7)
            out[f"filter/{new_stem}.pf_filter"] = blob
            removed.add(path)
            filters.append([name, new_stem])
        meta_blob = write_index([*meta[:3], filters, *meta[4:]])
        info["hash"] = _name(language, meta_blob, 10)
        out[f"pagefind.{info['hash']}.pf_meta"] = meta_blob
        removed.add(meta_path)
    out[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Rewrite(out, frozenset(removed - set(out)))
