"""The preview's HTTP server: after telling browsers to reload it waits until they have fetched
their pages (the rest of the build would slow them down), never for long, and not at all when
no browser is waiting; the theme's fingerprinted files are cached for good."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_tools.reload_server import IMMUTABLE, ReloadServer, Traffic

ASSET = "assets/javascripts/bundle.a5f9d56c.min.js"


def free_port() -> int:
    """A loopback TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ReloadServer]:
    """A live-reload server on 127.0.0.1 over a two-file site, serving but never building."""
    (tmp_path / "index.html").write_text("<html><body>page</body></html>", encoding="utf-8")
    (tmp_path / ASSET).parent.mkdir(parents=True)
    (tmp_path / ASSET).write_text("// theme", encoding="utf-8")
    (tmp_path / "own.js").write_text("// ours", encoding="utf-8")
    running = ReloadServer(lambda: None, "127.0.0.1", free_port(), str(tmp_path))
    running._watched_paths[str(tmp_path)] = 1  # as when watching: pages carry the script
    running.server_bind()
    running.server_activate()
    running.serve_thread.start()
    try:
        yield running
    finally:
        running.shutdown()
        running.serve_thread.join(timeout=30)


def get(server: ReloadServer, path: str) -> urllib.request.addinfourl:
    """A GET on the server, the response read whole."""
    with urllib.request.urlopen(server.url + path, timeout=30) as response:
        response.read()
        return response


def poll_then_fetch(server: ReloadServer, log: list[str], fetch_delay: float) -> None:
    """What a waiting browser does: a live-reload poll; when it returns, fetch the page."""
    get(server, f"livereload/{server._visible_epoch}/1")
    log.append("poll answered")
    time.sleep(fetch_delay)  # the browser tears the old page down before it asks again
    get(server, "")
    log.append("page fetched")


def wait_for_poller(server: ReloadServer) -> None:
    """Until the server counts one live-reload poll waiting; then a save starts a build (the
    build loop's first step: the version of the site it will make)."""
    for _ in range(500):
        if server.traffic.polling:
            break
        time.sleep(0.01)
    else:
        raise AssertionError("the poll never reached the server")
    server._wanted_epoch = server._visible_epoch + 1


def publish_while_a_browser_waits(server: ReloadServer, again: bool, fetch_delay: float
                                  ) -> tuple[list[str], int]:
    """A browser polls; a build publishes. What happened in order, and how many fetches the
    server had finished when publish returned."""
    log: list[str] = []
    browser = threading.Thread(target=poll_then_fetch, args=(server, log, fetch_delay))
    browser.start()
    wait_for_poller(server)
    server.publish(again)
    finished = server.traffic.fetched
    log.append("publish returned")
    browser.join(timeout=60)
    return log, finished


def test_publish_waits_until_the_waiting_browser_has_fetched_its_page(server):
    server.settle_limit = 60  # a busy machine may be slow; the order is what is tested
    log, finished = publish_while_a_browser_waits(server, again=False, fetch_delay=0.2)
    assert finished == 1  # the page, served in full before publish returned
    assert log[0] == "poll answered" and "page fetched" in log


def test_publish_does_not_wait_when_no_browser_is_waiting(server):
    log: list[str] = []
    server.publish(False)
    log.append("publish returned")
    get(server, "")
    log.append("page fetched")
    assert log == ["publish returned", "page fetched"]


def test_a_second_reload_does_not_wait(server):
    log, finished = publish_while_a_browser_waits(server, again=True, fetch_delay=1.0)
    assert finished == 0 and log.index("publish returned") < log.index("page fetched")


def test_a_browser_that_never_comes_back_holds_the_build_up_only_briefly():
    traffic = Traffic()
    done = threading.Event()
    waiter = threading.Thread(target=lambda: (traffic.settle(1, 0, quiet=0.05, limit=0.3),
                                              done.set()))
    waiter.start()
    waiter.join(timeout=10)
    assert done.is_set()


def test_settle_waits_for_a_fetch_in_flight():
    traffic = Traffic()
    traffic.begin(poll=False)
    log: list[str] = []
    waiter = threading.Thread(target=lambda: (traffic.settle(1, 0, quiet=0.01, limit=30),
                                              log.append("settled")))
    waiter.start()
    time.sleep(0.2)
    log.append("fetch ended")
    traffic.end(poll=False)
    waiter.join(timeout=30)
    assert log == ["fetch ended", "settled"]


def test_fingerprinted_theme_files_are_cached_for_good_and_ours_are_not(server):
    theme = get(server, ASSET)
    assert theme.headers["Cache-Control"] == IMMUTABLE[1]
    ours = get(server, "own.js")
    assert ours.headers["Cache-Control"] is None
    page = get(server, "")
    assert page.headers["Cache-Control"] is None
    with contextlib.suppress(urllib.error.HTTPError):
        get(server, "assets/javascripts/missing.a5f9d56c.min.js")
    # The server counts a request as ended after its last byte is sent, which can be a moment
    # after the client has read it: wait (bounded) for the four to be counted.
    server.traffic.settle(4, 0, quiet=0.0, limit=30)
    assert server.traffic.fetching == 0 and server.traffic.fetched == 4
