"""The reference-line cache returns exactly what citeproc renders, and renders only on a miss."""

from __future__ import annotations

from build_tools import citations, refcache
from tests.test_citations import SIGTERMANS  # a real 7-author study record


def test_cached_line_equals_fresh_line_and_is_reused(tmp_path, monkeypatch):
    fresh = citations.reference(SIGTERMANS, "ama")
    monkeypatch.setenv("EVIDENCE_CACHE", "on")
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(tmp_path))
    calls = []
    real = citations._render_line
    monkeypatch.setattr(citations, "_render_line",
                        lambda item, style: calls.append(style) or real(item, style))
    assert citations.reference(SIGTERMANS, "ama") == fresh
    assert citations.reference(SIGTERMANS, "ama") == fresh
    assert calls == ["ama"]  # the second call was a cache hit
    assert len(list(tmp_path.rglob("*.txt"))) == 1


def test_key_changes_with_the_item_and_the_style():
    item = {"id": "x", "title": "A"}
    assert refcache.key(b"style", item) != refcache.key(b"style", {**item, "title": "B"})
    assert refcache.key(b"style", item) != refcache.key(b"other", item)
