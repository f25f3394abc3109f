"""The reference-line cache returns exactly what citeproc renders, and renders only on a miss."""

from __future__ import annotations

from build_tools.cite import cache as refcache
from build_tools.cite import styles
from build_tools.site.writer import write_cache_lines
from tests.test_citations import SIGTERMANS  # a real 7-author study record


def test_cached_line_equals_fresh_line_and_is_reused(monkeypatch):
    fresh = styles.reference(SIGTERMANS, "ama")
    calls = []
    real = styles._render_line
    monkeypatch.setattr(styles, "_render_line",
                        lambda item, style: calls.append(style) or real(item, style))
    lines = refcache.LineCache()
    assert styles.reference(SIGTERMANS, "ama", lines) == fresh
    assert styles.reference(SIGTERMANS, "ama", lines) == fresh
    assert calls == ["ama"]  # the second call was a cache hit
    assert list(lines.new.values()) == [fresh]


def test_lines_written_by_the_writer_load_again(tmp_path, monkeypatch):
    lines = refcache.LineCache()
    line = styles.reference(SIGTERMANS, "vancouver", lines)
    assert write_cache_lines(lines.new, tmp_path) == 1
    again = refcache.load(tmp_path)
    assert list(again.known.values()) == [line] and again.new == {}
    monkeypatch.setattr(styles, "_render_line", lambda item, style: 1 / 0)  # never called
    assert styles.reference(SIGTERMANS, "vancouver", again) == line


def test_rendering_never_writes_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("EVIDENCE_CACHE", "on")
    styles.reference(SIGTERMANS, "ama", refcache.load(refcache.folder()))
    assert list(tmp_path.iterdir()) == []


def test_key_changes_with_the_item_and_the_style():
    item = {"id": "x", "title": "A"}
    assert refcache.key(b"style", item) != refcache.key(b"style", {**item, "title": "B"})
    assert refcache.key(b"style", item) != refcache.key(b"other", item)
