"""The preview's HTTP side: MkDocs' live-reload server, told of saves at once, deaf to the
build's own writes, caching the theme's fingerprinted files, and able to wait for the browsers
it has just told to reload.

Why wait: the rest of a rebuild (indexes, downloads) runs in this process, and while it holds
Python's interpreter lock every request a reloading browser makes waits for its turn; at 1,000
studies that added about 0.3 s to each edit's reload (the page and its twelve files).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import watchdog.events
import watchdog.observers
from mkdocs.livereload import LiveReloadServer, _timestamp

# Events that mean a file's content may have changed (not: opened, read, closed unwritten).
WRITES = ("created", "modified", "moved", "deleted", "closed")
# The theme's fingerprinted files (a digest in the name): their content never changes.
FINGERPRINTED = re.compile(r"/assets/(?:javascripts|stylesheets)/[\w/.-]*\.[0-9a-f]{8}\.min\.(?:js|css)")
IMMUTABLE = ("Cache-Control", "max-age=31536000, immutable")


class Traffic:
    """Requests in flight and lately, counted apart: live-reload polls (a browser waiting to be
    told) and everything else (a browser fetching a page and its files)."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.polling = self.fetching = self.fetched = 0
        self.last = 0.0  # when the last fetch ended (time.monotonic)

    def begin(self, poll: bool) -> None:
        """A request started."""
        with self.cond:
            if poll:
                self.polling += 1
            else:
                self.fetching += 1

    def end(self, poll: bool) -> None:
        """A request ended."""
        with self.cond:
            if poll:
                self.polling -= 1
            else:
                self.fetching -= 1
                self.fetched += 1
                self.last = time.monotonic()
            self.cond.notify_all()

    def settle(self, reloading: int, since: int, quiet: float, limit: float) -> None:
        """Wait until `reloading` pages have been fetched after `since` (a count of fetches),
        then until no fetch has run for `quiet` seconds; never longer than `limit` seconds."""
        deadline = time.monotonic() + limit

        def calm() -> bool:
            return (self.fetched - since >= reloading and self.fetching == 0
                    and time.monotonic() - self.last >= quiet)

        with self.cond:
            while not calm() and (left := deadline - time.monotonic()) > 0:
                self.cond.wait(min(left, quiet))


class ReloadServer(LiveReloadServer):
    """MkDocs' live-reload server, told of changes at once (inotify) and deaf to the folders
    the build writes (their changes are the rebuild's own doing)."""

    def __init__(self, builder: Callable[[], None], host: str, port: int, root: str):
        super().__init__(builder=builder, host=host, port=port, root=root)
        self.build_delay = 0.05  # wait this long for a save's last event before rebuilding
        # watchdog's best observer (inotify on Linux) reports a save at once; MkDocs polls
        # every half second.
        self.observer = watchdog.observers.Observer()
        self.traffic = Traffic()
        self.settle_limit = 1.0  # seconds the rest of a rebuild waits for reloading browsers

    def serve_request(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """MkDocs' answer, counted in the traffic, with fingerprinted files cached for good
        (a reload then fetches the page, not the theme's scripts and styles again)."""
        path = environ.get("PATH_INFO", "")
        poll = path.startswith("/livereload/")

        def respond(status: str, headers: list, *rest: Any) -> Any:
            if status.startswith("200") and FINGERPRINTED.fullmatch(path):
                headers = [*headers, IMMUTABLE]
            return start_response(status, headers, *rest)

        self.traffic.begin(poll)
        try:
            body = super().serve_request(environ, respond)
        except BaseException:
            self.traffic.end(poll)
            raise
        return _Counted(body, lambda: self.traffic.end(poll))

    def publish(self, again: bool) -> None:
        """Let browsers reload now, mid-build: the pages they will ask for are written (the
        rest is written atomically); again=True: a newer version, so they reload once more.
        Then wait (at most a second) until the browsers that were waiting have fetched their
        pages, so the rest of the build does not slow them down."""
        with self.traffic.cond:
            reloading, since = self.traffic.polling, self.traffic.fetched
        with self._epoch_cond:
            if again:
                self._wanted_epoch = max(_timestamp(), self._visible_epoch + 1)
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()
        if reloading and not again:
            self.traffic.settle(reloading, since, quiet=0.1, limit=self.settle_limit)

    def watch_tree(self, path: Path, ignore: Callable[[str], bool], *, recursive: bool = True
                   ) -> None:
        """Rebuild when a file under path changes, unless ignore(that file's path)."""
        def changed(event: Any) -> None:
            paths = [event.src_path, getattr(event, "dest_path", "") or event.src_path]
            if (event.is_directory or event.event_type not in WRITES
                    or all(ignore(str(p)) for p in paths)):
                return
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = changed  # type: ignore[method-assign]
        self._watched_paths[str(path)] = 1  # (also what makes the server inject its script)
        self._watch_refs[str(path)] = self.observer.schedule(handler, str(path),
                                                             recursive=recursive)


class _Counted:
    """A WSGI response body that reports when the server has finished sending it."""

    def __init__(self, body: Iterable[bytes], done: Callable[[], None]):
        self.body, self.done = body, done

    def __iter__(self) -> Any:
        return iter(self.body)

    def close(self) -> None:
        """Called by the server once the response is sent (or abandoned)."""
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done()
