"""The preview's site search kept current: once the pages of an edit are rebuilt and the preview
has been quiet a moment, the site is indexed again in a separate process, at a low processor
priority, into a folder beside the live index, which it then replaces whole.

An edit always comes first: when one starts, a run under way is stopped, and it starts over
after the edit. Full builds (which empty the site folder) and runs take turns on one lock, so
the index is never made from a site being emptied, and readers never see a half-written index.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from build_tools.site.writer import UnsafePath, refuse_links

LIVE, NEXT, OLD = "pagefind", ".pagefind-next", ".pagefind-old"


def swap_in(site: Path) -> None:
    """Put the finished index (site/.pagefind-next) where readers look (site/pagefind)."""
    live, new, old = site / LIVE, site / NEXT, site / OLD
    refuse_links([site, live, new, old], site.resolve().parent)
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        live.rename(old)
    new.rename(live)  # readers lack an index only between these two renames
    shutil.rmtree(old, ignore_errors=True)


def low_priority() -> list[str]:
    """A prefix that runs a command at a lower processor priority (nice 10: about a tenth of
    a busy processor's time; not Linux's idle class, under which a loaded machine, CI's
    parallel tests for one, can starve the run for minutes). A save stops a run anyway."""
    return [nice, "-n", "10"] if (nice := shutil.which("nice")) else []


class SearchRefresher:
    """One background worker that re-indexes the site after edits, giving way to them.

    command: the argument list that indexes the site into site/.pagefind-next (exit 0 when
    done; otherwise its output says why)."""

    def __init__(self, site: Path, command: list[str], report: Callable[[str], None],
                 delay: float = 0.5):
        self.site, self.command, self.report, self.delay = site, command, report, delay
        self.turn = threading.Lock()  # held by a full build of the site, or by a run here
        self._cond = threading.Condition()
        self._due: float | None = None  # when a run may start (time.monotonic)
        self._editing = self._closed = False
        self._process: subprocess.Popen | None = None
        self._worker: threading.Thread | None = None

    def editing(self) -> None:
        """An edit is being built: stop a run under way (it starts over afterwards)."""
        with self._cond:
            self._editing = True
            if self._stop_process():
                self._due = time.monotonic()

    def edited(self, pages_changed: bool) -> None:
        """The edit is built: index again `delay` seconds from now if pages changed (or a run
        was stopped for it), unless another edit comes first."""
        with self._cond:
            self._editing = False
            if pages_changed or self._due is not None:
                self._due = time.monotonic() + self.delay
            if self._due is not None and not self._closed and self._worker is None:
                self._worker = threading.Thread(target=self._work, name="search-refresh",
                                                daemon=True)
                self._worker.start()
            self._cond.notify_all()

    def close(self) -> None:
        """Stop: a run under way is stopped, and no other starts."""
        with self._cond:
            self._closed = True
            self._stop_process()
            self._cond.notify_all()
            worker = self._worker
        if worker is not None:
            worker.join()

    def _stop_process(self) -> bool:
        """Stop the indexing process and its children, if one runs; whether one did."""
        if self._process is None:
            return False
        # Its own session: the indexer's children (Pagefind) go too. It may have just ended;
        # whatever the signal meets, the edit goes on (this runs at the start of every update).
        with contextlib.suppress(OSError):
            os.killpg(self._process.pid, signal.SIGTERM)
        return True

    def _ready(self) -> bool:
        """Whether a run may start now (called holding the condition)."""
        return (self._due is not None and not self._editing
                and time.monotonic() >= self._due)

    def _work(self) -> None:
        """Wait until a run is due and no edit is being built, then run; until closed."""
        while True:
            with self._cond:
                while not self._closed and not self._ready():
                    left = None if self._due is None else self._due - time.monotonic()
                    self._cond.wait(None if self._editing or left is None else max(left, 0))
                if self._closed:
                    return
            self._run()

    def _run(self) -> None:
        """One run into site/.pagefind-next, swapped in when it finished well."""
        with self.turn:
            # A stopped run's leftovers go before the condition is taken: an edit starting
            # meanwhile must not wait for the removal.
            shutil.rmtree(self.site / NEXT, ignore_errors=True)
            with self._cond:
                if self._closed or not self._ready():
                    return  # an edit began while a full build held the turn
                self._due = None
                process = self._process = subprocess.Popen(
                    self.command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                    start_new_session=True)
            output, _ = process.communicate()
            with self._cond:
                code, self._process = process.returncode, None
                if self._due is not None or self._closed:
                    return  # stopped for an edit (or the end): nothing to swap in
            problem = (output.strip()[-500:] or f"exit {code}") if code else None
            if problem is None:
                try:
                    swap_in(self.site)
                except (OSError, UnsafePath) as exc:  # the old index stays
                    problem = str(exc)
        if problem is not None:
            self.report(f"the search index was not refreshed ({problem}); "
                        "search shows the pages as they were")
