"""The writer: only inside the generated folders, only changed files, stale files pruned."""

from __future__ import annotations

import os

import pytest

from build_tools.site.writer import UnsafePath, write_tree


@pytest.mark.parametrize("rel", ["index.md", "../x.md", "/etc/x.md", "studies/../index.md",
                                 "methods/grading.md", "studies", "studies\\x.md"])
def test_refuses_paths_outside_generated_folders(tmp_path, rel):
    with pytest.raises(UnsafePath):
        write_tree({rel: "x"}, tmp_path)
    assert not any(tmp_path.iterdir())


def test_writes_only_changes_and_prunes_stale_files(tmp_path):
    hand = tmp_path / "index.md"
    hand.write_text("hand-written", encoding="utf-8")
    first = write_tree({"studies/a.md": "A", "studies/b.md": "B", "figures/f.svg": "<svg/>"},
                       tmp_path)
    assert first.written == ["figures/f.svg", "studies/a.md", "studies/b.md"]
    stamp = 1_000_000_000
    os.utime(tmp_path / "studies" / "a.md", (stamp, stamp))
    second = write_tree({"studies/a.md": "A", "studies/c.md": "C"}, tmp_path)
    assert second.unchanged == ["studies/a.md"] and second.written == ["studies/c.md"]
    assert second.removed == ["figures/f.svg", "studies/b.md"]
    assert (tmp_path / "studies" / "a.md").stat().st_mtime == stamp  # untouched
    assert not (tmp_path / "figures").exists() or not any((tmp_path / "figures").iterdir())
    assert hand.read_text(encoding="utf-8") == "hand-written"
    third = write_tree({"studies/a.md": "A", "studies/c.md": "C"}, tmp_path)
    assert not third.changed


def test_refuses_a_symlink_at_a_page_instead_of_writing_through_it(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    docs = tmp_path / "docs"
    (docs / "studies").mkdir(parents=True)
    (docs / "studies" / "a.md").symlink_to(outside)
    with pytest.raises(UnsafePath, match="E316"):  # more cases: tests/test_hostile_writes.py
        write_tree({"studies/a.md": "A"}, docs)
    assert outside.read_text(encoding="utf-8") == "keep"
    assert (docs / "studies" / "a.md").is_symlink()


def test_a_stale_temporary_file_is_replaced(tmp_path):
    (tmp_path / "studies").mkdir()
    (tmp_path / "studies" / ".a.md.tmp").write_text("left by a killed build", encoding="utf-8")
    assert write_tree({"studies/a.md": "A"}, tmp_path).written == ["studies/a.md"]
    assert sorted(p.name for p in (tmp_path / "studies").iterdir()) == ["a.md"]
