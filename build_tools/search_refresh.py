"""The preview's site search kept current: after the pages an edit rebuilt, Pagefind indexes the
site again in the background into a folder beside the live index, which is then swapped in whole.

Full builds (which empty the site folder) and these runs take turns on one lock, so Pagefind
never reads a site being emptied, and readers never see a half-written index. Pages rebuilt
meanwhile are written atomically; each update asks for one more run after it, so the last
index made is always of the last pages built.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from build_tools.site.writer import UnsafePath, refuse_links

LIVE, NEXT, OLD = "pagefind", ".pagefind-next", ".pagefind-old"

# Index site into site/<folder>; an error message or None. `background`: at low priority.
Indexer = Callable[[Path, str, bool], "str | None"]


def swap_in(site: Path) -> None:
    """Put the finished index (site/.pagefind-next) where readers look (site/pagefind)."""
    live, new, old = site / LIVE, site / NEXT, site / OLD
    refuse_links([site, live, new, old], site.resolve().parent)
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        live.rename(old)
    new.rename(live)  # readers lack an index only between these two renames
    shutil.rmtree(old, ignore_errors=True)


class SearchRefresher:
    """One background worker that re-indexes the site a moment after the last request."""

    def __init__(self, site: Path, index: Indexer, report: Callable[[str], None],
                 delay: float = 0.5):
        self.site, self.index, self.report, self.delay = site, index, report, delay
        self.turn = threading.Lock()  # held by a full build of the site, or by a run here
        self._cond = threading.Condition()
        self._wanted = self._closed = False
        self._worker: threading.Thread | None = None

    def soon(self) -> None:
        """Ask for a background run once no request has come for `delay` seconds."""
        with self._cond:
            if self._closed:
                return
            self._wanted = True
            self._cond.notify_all()
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="search-refresh",
                                                daemon=True)
                self._worker.start()

    def close(self) -> None:
        """Stop: a run under way finishes (the site folder must outlive it); no other starts."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            worker = self._worker
        if worker is not None:
            worker.join()

    def _work(self) -> None:
        """Wait for a request, then for a quiet moment, then run; until closed."""
        while True:
            with self._cond:
                while not self._wanted and not self._closed:
                    self._cond.wait()
                # Edits come in bursts: let a burst end before indexing.
                while self._wanted and not self._closed:
                    self._wanted = False
                    self._cond.wait(self.delay)
                if self._closed:
                    return
            self._run()

    def _run(self) -> None:
        """One background index into site/.pagefind-next, swapped in when it succeeded."""
        with self.turn:
            shutil.rmtree(self.site / NEXT, ignore_errors=True)
            problem = self.index(self.site, NEXT, True)
            if problem is None:
                try:
                    swap_in(self.site)
                except (OSError, UnsafePath) as exc:  # the old index stays
                    problem = str(exc)
        if problem is not None:
            self.report(f"the search index was not refreshed ({problem}); "
                        "search shows the pages as they were")
