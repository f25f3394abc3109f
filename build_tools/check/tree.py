"""The repository around the records: symbolic links in the site's sources (E316), and the
records of the tree that can bear on a few given ones (for `evidence check FILE`)."""

from __future__ import annotations

import os
import re
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
        for folder, dirs, names in os.walk(top):  # never descends into a linked folder
            for name in sorted(dirs + names):
                path = Path(folder) / name
                if path.is_symlink():
                    out.append(_link(path))
    return out


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


def related_files(records: list[Record], folders: dict[str, Path]) -> list[RecordFile]:
    """Claims that name a given study (W501) and studies that share its DOI or PMID (E314).

    A text search finds them without parsing the tree; a link written with YAML escapes would
    be missed here, never by the full check.
    """
    studies = [r for r in records if r.file.kind == "study"]
    found: dict[str, str] = {}
    if studies and "claim" in folders:
        stems = [r.file.stem.lower() for r in studies]
        for path, text in _texts(folders["claim"]):
            if any(stem in text for stem in stems):
                found[path] = "claim"
    wanted = [(name, value.lower()) for r in studies if isinstance(r.data.get("ids"), dict)
              for name, value in r.data["ids"].items()
              if name in ("doi", "pmid") and isinstance(value, str)]
    patterns = [(value, re.compile(rf"\b{name}:\s*['\"]?{re.escape(value)}(?![\w./-])"))
                for name, value in wanted]
    if patterns and "study" in folders:
        for path, text in _texts(folders["study"]):
            # The plain substring test first: the pattern runs only on the few that hold it.
            if any(value in text and pattern.search(text) for value, pattern in patterns):
                found[path] = "study"
    return [RecordFile(kind, Path(path), display_path(Path(path)))
            for path, kind in sorted(found.items())]
