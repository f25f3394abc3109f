"""The preview's background search refresh: one run after a burst of edits, one more for an edit
made during a run, never at the same time as a full build, and the live index replaced whole
(or left alone when the new one fails or a link is planted on the way)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from build_tools.search_refresh import LIVE, NEXT, OLD, SearchRefresher, swap_in


class FakeIndexer:
    """Writes a one-file bundle naming its run into site/<folder>; logs runs. With held=True
    each run waits until `release` is set (a run under way, for as long as a test needs)."""

    def __init__(self, held: bool = False, fail: bool = False):
        self.fail = fail
        self.release = threading.Event()
        if not held:
            self.release.set()
        self.runs: list[tuple[str, bool]] = []
        self.running = threading.Event()

    def __call__(self, site: Path, folder: str, background: bool) -> str | None:
        self.running.set()
        self.runs.append((folder, background))
        self.release.wait(30)
        self.running.clear()
        if self.fail:
            return "pagefind failed (exit 1): no pages"
        (site / folder).mkdir()
        (site / folder / "run.txt").write_text(str(len(self.runs)), encoding="utf-8")
        return None


def settle(refresher: SearchRefresher, runs: int, indexer: FakeIndexer) -> None:
    """Until the indexer has run `runs` times and is idle (bounded)."""
    for _ in range(1000):
        if len(indexer.runs) >= runs and not indexer.running.is_set():
            time.sleep(refresher.delay * 3)  # and nothing else is coming
            return
        time.sleep(0.01)
    raise AssertionError(f"only {len(indexer.runs)} runs")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built site with a live index from an earlier run."""
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / LIVE).mkdir()
    (tmp_path / LIVE / "run.txt").write_text("0", encoding="utf-8")
    return tmp_path


def test_a_burst_of_edits_gives_one_background_run_swapped_in_whole(site):
    indexer, said = FakeIndexer(), []
    refresher = SearchRefresher(site, indexer, said.append, delay=0.5)
    for _ in range(5):
        refresher.soon()
    settle(refresher, 1, indexer)
    refresher.close()
    assert indexer.runs == [(NEXT, True)]
    assert (site / LIVE / "run.txt").read_text(encoding="utf-8") == "1"
    assert not (site / NEXT).exists() and not (site / OLD).exists() and said == []


def test_an_edit_during_a_run_gets_one_more_run_after_it(site):
    indexer = FakeIndexer(held=True)
    refresher = SearchRefresher(site, indexer, lambda m: None, delay=0.02)
    refresher.soon()
    assert indexer.running.wait(10)
    refresher.soon()
    refresher.soon()
    indexer.release.set()
    settle(refresher, 2, indexer)
    refresher.close()
    assert len(indexer.runs) == 2
    assert (site / LIVE / "run.txt").read_text(encoding="utf-8") == "2"


def test_a_full_build_holding_the_turn_keeps_the_index_waiting(site):
    indexer = FakeIndexer()
    refresher = SearchRefresher(site, indexer, lambda m: None, delay=0.01)
    with refresher.turn:  # as Engine.full_build does while it empties and refills the site
        refresher.soon()
        time.sleep(0.3)
        assert indexer.runs == []
    settle(refresher, 1, indexer)
    refresher.close()
    assert len(indexer.runs) == 1


def test_a_failed_run_is_reported_and_the_live_index_stays(site):
    said: list[str] = []
    indexer = FakeIndexer(fail=True)
    refresher = SearchRefresher(site, indexer, said.append, delay=0.01)
    refresher.soon()
    settle(refresher, 1, indexer)
    refresher.close()
    assert (site / LIVE / "run.txt").read_text(encoding="utf-8") == "0"
    assert len(said) == 1 and "pagefind failed" in said[0]


def test_close_waits_for_a_run_under_way_and_nothing_starts_after(site):
    indexer = FakeIndexer(held=True)
    refresher = SearchRefresher(site, indexer, lambda m: None, delay=0.01)
    refresher.soon()
    assert indexer.running.wait(10)
    closing = threading.Thread(target=refresher.close)
    closing.start()
    time.sleep(0.2)
    assert closing.is_alive()  # the site folder must outlive the run
    indexer.release.set()
    closing.join(30)
    assert not closing.is_alive() and (site / LIVE / "run.txt").read_text() == "1"
    refresher.soon()
    time.sleep(0.2)
    assert len(indexer.runs) == 1


def test_the_first_index_is_swapped_in_where_there_was_none(tmp_path):
    (tmp_path / NEXT).mkdir()
    swap_in(tmp_path)
    assert (tmp_path / LIVE).is_dir() and not (tmp_path / NEXT).exists()


def test_a_link_planted_where_the_old_index_goes_is_refused_and_reported(site, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (site / OLD).symlink_to(elsewhere, target_is_directory=True)
    said: list[str] = []
    refresher = SearchRefresher(site, FakeIndexer(), said.append, delay=0.01)
    refresher.soon()
    for _ in range(500):
        if said:
            break
        time.sleep(0.01)
    refresher.close()
    assert len(said) == 1 and "E316" in said[0] and ".pagefind-old" in said[0]
    assert (site / LIVE / "run.txt").read_text(encoding="utf-8") == "0"
    assert list(elsewhere.iterdir()) == []
