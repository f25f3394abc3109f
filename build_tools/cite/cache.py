"""Reference lines remembered by content (citeproc is ~4 ms a line): a pure in-memory cache.

A line is a pure function of the style file, our patches and the item's CSL-JSON, so the key
hashes exactly those; a cached line is byte-identical to a fresh one. The pipeline loads the
lines kept in .cache/citations/ (gitignored) before rendering and hands the new ones to the
writer afterwards, so rendering itself never touches the disk. EVIDENCE_CACHE_DIR moves the
folder, EVIDENCE_CACHE=off disables it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.paths import ROOT

# Bump when the rendering code changes in a way the inputs do not show (e.g. a new patch).
RENDER_VERSION = "2"


def folder() -> Path | None:
    """Where cached lines live, or None when caching is off."""
    if os.environ.get("EVIDENCE_CACHE", "").lower() in ("off", "0", "no"):
        return None
    return Path(os.environ.get("EVIDENCE_CACHE_DIR") or ROOT / ".cache" / "citations")


def key(style_bytes: bytes, item: dict) -> str:
    """The cache key of one reference line."""
    digest = hashlib.sha256(RENDER_VERSION.encode() + b"\0" + style_bytes + b"\0")
    digest.update(json.dumps(item, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


@dataclass
class LineCache:
    """Known lines by key, and the lines rendered since loading (for the writer to keep)."""

    known: dict[str, str] = field(default_factory=dict)
    new: dict[str, str] = field(default_factory=dict)

    def get(self, cache_key: str, render: Callable[[], str]) -> str:
        """The remembered line for the key, rendering it on a miss."""
        if cache_key in self.known:
            return self.known[cache_key]
        text = self.known[cache_key] = self.new[cache_key] = render()
        return text


def load(where: Path | None) -> LineCache:
    """The lines kept on disk (none when caching is off or the folder is missing)."""
    cache = LineCache()
    if where is None or not where.is_dir() or where.is_symlink():
        return cache
    for path in where.glob("??/*.txt"):
        if path.is_file() and not path.is_symlink():
            try:
                cache.known[path.stem] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # a damaged entry is rendered again
    return cache
