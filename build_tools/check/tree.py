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


def _texts(folder: Path) -> list[tuple[Path, str]]:
    """Every plain record file of a folder with its text. Links, pipes, devices, unreadable and
    oversized files are skipped unread (the full check reports them)."""
    out = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
                continue
            out.append((path, path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return out


def related_files(records: list[Record], folders: dict[str, Path]) -> list[RecordFile]:
    """Claims that name a given study (W501) and studies that share its DOI or PMID (E314).

    A text search finds them without parsing the tree; a link written with YAML escapes would
    be missed here, never by the full check.
    """
    studies = [r for r in records if r.file.kind == "study"]
    found: dict[Path, str] = {}
    if studies and "claim" in folders:
        for path, text in _texts(folders["claim"]):
            if any(r.file.stem in text for r in studies):
                found[path] = "claim"
    patterns = [re.compile(rf"\b{name}:\s*['\"]?{re.escape(value)}(?![\w./-])", re.IGNORECASE)
                for r in studies if isinstance(r.data.get("ids"), dict)
                for name, value in r.data["ids"].items()
                if name in ("doi", "pmid") and isinstance(value, str)]
    if patterns and "study" in folders:
        for path, text in _texts(folders["study"]):
            if any(p.search(text) for p in patterns):
                found[path] = "study"
    return [RecordFile(kind, path, display_path(path)) for path, kind in sorted(found.items())]
