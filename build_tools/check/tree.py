"""The repository around the records: symbolic links in the site's sources (E316), and the
records of the tree that can bear on a few given ones (for `evidence check FILE`)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from build_tools.paths import SITE_SOURCES
from build_tools.problems import Problem, problem
from build_tools.records.files import Record, RecordFile, display_path
from build_tools.records.yamlio import MAX_BYTES


def site_symlinks(root: Path) -> list[Problem]:
    """E316 for every symbolic link (file or folder) in the site's hand-written sources and
    the generated folders inside them: MkDocs would copy what a link points at into the site."""
    out = []
    for source in SITE_SOURCES:
        top = root / source
        if top.is_symlink():
            out.append(_link(top))
            continue
        out += [_link(Path(found)) for found in _links_below(str(top))]
    return out


def _links_below(folder: str) -> Iterator[str]:
    """Every symbolic link below folder, never descending into one. Directory entries say
    whether they are links without a stat call: this runs on every preview rebuild, over
    every generated page (7,000 files at 5,000 studies)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_symlink():
            yield entry.path
        elif entry.is_dir(follow_symlinks=False):
            yield from _links_below(entry.path)


def _link(path: Path) -> Problem:
    """The E316 problem for one link (its target is not shown: it may be private)."""
    return problem(display_path(path), 1, 1, "E316",
                   "symbolic link in the site's sources: the site would publish what it points at")


def _texts(folder: Path) -> list[tuple[str, str]]:
    """Every plain record file of a folder with its text, lower-cased. Links, pipes, devices,
    unreadable and oversized files are skipped unread (the full check reports them)."""
    out = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return out
    for entry in entries:
        if not entry.name.endswith(".yaml") or not entry.is_file(follow_symlinks=False):
            continue
        try:
            with open(entry.path, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
        except OSError:
            continue
        if len(raw) <= MAX_BYTES:
            out.append((entry.path, raw.decode("utf-8", "replace").lower()))
    return out


def _field(name: str, value: str) -> tuple[str, re.Pattern[str]]:
    """A lower-cased value and the pattern of `name: value` (quoted or not) in a file's text."""
    value = value.lower()
    return value, re.compile(rf"\b{name}:\s*['\"]?{re.escape(value)}(?![\w./-])")


def related_files(records: list[Record], folders: dict[str, Path]) -> list[RecordFile]:
    """Records that bear on the given ones in the whole-base rules: of the same kind with the
    same id (E302), claims that name a given study (W501), studies with its DOI or PMID (E314).

    A text search finds them without parsing the tree; a value written with YAML escapes would
    be missed here, never by the full check.
    """
    wanted: dict[str, list[tuple[str, re.Pattern[str] | None]]] = {}
    for record in records:
        rid = record.data.get("id")
        wanted.setdefault(record.file.kind, []).append(
            _field("id", rid if isinstance(rid, str) else record.file.stem))
        if record.file.kind != "study":
            continue
        wanted.setdefault("claim", []).append((record.file.stem.lower(), None))  # any mention
        ids = record.data.get("ids") if isinstance(record.data.get("ids"), dict) else {}
        wanted["study"] += [_field(name, ids[name]) for name in ("doi", "pmid")
                            if isinstance(ids.get(name), str)]
    found: dict[str, str] = {}
    for kind, tests in wanted.items():
        for path, text in _texts(folders[kind]) if kind in folders else ():
            # The plain substring test first: a pattern runs only on the few files that hold it.
            if any(value in text and (pattern is None or pattern.search(text))
                   for value, pattern in tests):
                found[path] = kind
    return [RecordFile(kind, Path(path), display_path(Path(path)))
            for path, kind in sorted(found.items())]
