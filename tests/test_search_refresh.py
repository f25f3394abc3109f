"""The preview's background search refresh: one run after a burst of edits; an edit stops a run
under way (children included) and it starts over afterwards; never during a full build; the
live index replaced whole, or left alone when the run fails or a link is planted on the way."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools.search_refresh import LIVE, NEXT, OLD, SearchRefresher, swap_in

# An indexer stand-in: counts its runs, starts a child that would outlive it, waits for the
# gate file, then fails (when site/fail exists) or writes a bundle naming its run.
INDEXER = r"""
import pathlib, subprocess, sys, time
site, gate = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
count = site / "count.txt"
run = int(count.read_text()) + 1 if count.exists() else 1
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
(site / "child.pid").write_text(str(child.pid))
count.write_text(str(run))
while not gate.exists():
    time.sleep(0.01)
child.kill()
if (site / "fail").exists():
    print("pagefind failed (exit 1): no pages")
    sys.exit(1)
(site / ".pagefind-next").mkdir()
(site / ".pagefind-next" / "run.txt").write_text(str(run))
"""


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Until condition() holds (bounded)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}")
        time.sleep(0.01)


def runs(site: Path) -> int:
    """How many runs of the indexer have started."""
    count = site / "count.txt"
    return int(count.read_text()) if count.exists() else 0


def live(site: Path) -> str:
    """Which run made the live index ("0": the one from before the test)."""
    return (site / LIVE / "run.txt").read_text(encoding="utf-8")


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built site with a live index from an earlier run."""
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / LIVE).mkdir()
    (tmp_path / LIVE / "run.txt").write_text("0", encoding="utf-8")
    return tmp_path


def refresher_for(site: Path, said: list[str], delay: float = 0.05) -> SearchRefresher:
    """A refresher running the stand-in indexer on site, its gate site/gate."""
    return SearchRefresher(site, [sys.executable, "-c", INDEXER, str(site), str(site / "gate")],
                           said.append, delay=delay)


def test_a_burst_of_edits_gives_one_run_swapped_in_whole(site):
    (site / "gate").touch()
    said: list[str] = []
    refresher = refresher_for(site, said, delay=0.5)
    for _ in range(5):
        refresher.editing()
        refresher.edited(pages_changed=True)
    wait_for(lambda: live(site) == "1", "the run's index is live")
    time.sleep(1.5)  # and no second run follows
    refresher.close()
    assert runs(site) == 1 and said == []
    assert not (site / NEXT).exists() and not (site / OLD).exists()


def test_an_edit_stops_a_run_under_way_and_it_starts_over_after(site):
    refresher = refresher_for(site, [])
    refresher.edited(pages_changed=True)
    wait_for(lambda: (site / "child.pid").exists(), "the first run started")
    child = int((site / "child.pid").read_text())
    refresher.editing()
    wait_for(lambda: not alive(child), "the first run's child stopped")
    time.sleep(0.3)
    assert runs(site) == 1  # nothing starts while the edit is being built
    (site / "gate").touch()
    refresher.edited(pages_changed=False)  # even an edit that changed no page: a run was lost
    wait_for(lambda: live(site) == "2", "the second run's index is live")
    refresher.close()
    assert runs(site) == 2


def test_an_edit_that_changed_no_page_starts_no_run(site):
    refresher = refresher_for(site, [])
    refresher.editing()
    refresher.edited(pages_changed=False)
    time.sleep(0.3)
    refresher.close()
    assert runs(site) == 0


def test_a_full_build_holding_the_turn_keeps_the_run_waiting(site):
    (site / "gate").touch()
    refresher = refresher_for(site, [])
    with refresher.turn:  # as Engine.full_build does while it empties and refills the site
        refresher.edited(pages_changed=True)
        time.sleep(0.3)
        assert runs(site) == 0
    wait_for(lambda: live(site) == "1", "the run after the full build")
    refresher.close()


def what_a_run_reports(site: Path) -> list[str]:
    """The lines one run (not held at the gate) reports when it goes wrong."""
    (site / "gate").touch()
    said: list[str] = []
    refresher = refresher_for(site, said)
    refresher.edited(pages_changed=True)
    wait_for(lambda: bool(said), "a report")
    refresher.close()
    return said


def test_a_failed_run_is_reported_and_the_live_index_stays(site):
    (site / "fail").touch()
    said = what_a_run_reports(site)
    assert live(site) == "0"
    assert len(said) == 1 and "pagefind failed" in said[0]


def test_close_stops_a_run_under_way_and_nothing_starts_after(site):
    refresher = refresher_for(site, [])
    refresher.edited(pages_changed=True)
    wait_for(lambda: (site / "child.pid").exists(), "the run started")
    closing = threading.Thread(target=refresher.close)
    closing.start()
    closing.join(30)
    assert not closing.is_alive() and live(site) == "0"
    (site / "gate").touch()
    refresher.edited(pages_changed=True)
    time.sleep(0.3)
    assert runs(site) == 1 and live(site) == "0"


def test_the_first_index_is_swapped_in_where_there_was_none(tmp_path):
    (tmp_path / NEXT).mkdir()
    swap_in(tmp_path)
    assert (tmp_path / LIVE).is_dir() and not (tmp_path / NEXT).exists()


def test_a_link_planted_where_the_old_index_goes_is_refused_and_reported(site, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (site / OLD).symlink_to(elsewhere, target_is_directory=True)
    said = what_a_run_reports(site)
    assert len(said) == 1 and "E316" in said[0] and ".pagefind-old" in said[0]
    assert live(site) == "0" and list(elsewhere.iterdir()) == []
