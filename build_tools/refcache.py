"""A content-addressed disk cache for rendered reference lines (citeproc is ~4 ms a line).

A line is a pure function of the style file, our patches and the item's CSL-JSON, so the key
hashes exactly those; a cached line is byte-identical to a fresh one. The cache lives in
.cache/citations/ (gitignored); EVIDENCE_CACHE_DIR moves it, EVIDENCE_CACHE=off disables it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from build_tools.paths import ROOT

# Bump when the rendering code changes in a way the inputs do not show (e.g. a new patch).
RENDER_VERSION = "1"


def _folder() -> Path | None:
    """Where cached lines live, or None when caching is off."""
    if os.environ.get("EVIDENCE_CACHE", "").lower() in ("off", "0", "no"):
        return None
    return Path(os.environ.get("EVIDENCE_CACHE_DIR") or ROOT / ".cache" / "citations")


def key(style_bytes: bytes, item: dict) -> str:
    """The cache key of one reference line."""
    digest = hashlib.sha256(RENDER_VERSION.encode() + b"\0" + style_bytes + b"\0")
    digest.update(json.dumps(item, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def cached(cache_key: str, render: Callable[[], str]) -> str:
    """The cached line for the key, rendering (and storing) it on a miss."""
    folder = _folder()
    if folder is None:
        return render()
    path = folder / cache_key[:2] / f"{cache_key}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    text = render()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)  # atomic: a concurrent build never reads a half-written line
    except OSError:
        pass  # a read-only checkout still builds, only slower
    return text
