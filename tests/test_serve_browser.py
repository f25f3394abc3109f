"""`evidence serve` as its user sees it, in Debian's Chromium: a saved edit reloads the open
page with the new text, the reload fetches the page but not the theme's fingerprinted files
again, and a record with errors leaves the last good page in place."""

from __future__ import annotations

import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.reload_bench import edit, free_port, start_server, stop_server
from build_tools.reload_server import FINGERPRINTED
from tests.conftest import FIXTURE_EVIDENCE, make_site_tree

STUDY = "quixworth-2009"
PAGE = f"/studies/{STUDY}/"


class Served:
    """A running `evidence serve` of a project: its address, record and log."""

    def __init__(self, base: str, study: Path, log: Path):
        self.base, self.study, self.log = base, study, log


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`evidence serve` on 127.0.0.1 for a project holding the fixture records."""
    project = make_site_tree(tmp_path_factory.mktemp("serve"), {})
    shutil.copytree(FIXTURE_EVIDENCE, project / "evidence")
    port = free_port()
    log = project / "serve.log"
    server = start_server(project, port, log)
    try:
        yield Served(f"http://127.0.0.1:{port}", project / "evidence" / "studies" /
                     f"{STUDY}.yaml", log)
    finally:
        stop_server(server)


def reload_after(tab, save) -> None:
    """Save, then wait for the live-reload script's reload of the open page."""
    save()
    tab.wait_for_event("load", timeout=120_000)


def test_a_saved_edit_reloads_the_page_without_refetching_the_theme(served, chromium):
    # No request routing here (it turns the browser's cache off); requests are only watched.
    context = chromium.new_context(service_workers="block")
    tab = context.new_page()
    asked: list[str] = []
    tab.on("request", lambda request: asked.append(request.url))
    # What reached the server: responses, less those Chromium took from its cache.
    responses: dict[str, str] = {}
    cached: set[str] = set()
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    cdp.on("Network.responseReceived",
           lambda e: responses.setdefault(e["requestId"], e["response"]["url"]))
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    try:
        # The live-reload script starts its poll on load; edit once that poll is out.
        with tab.expect_request(lambda request: "/livereload/" in request.url, timeout=60_000):
            tab.goto(served.base + PAGE, wait_until="load")
        responses.clear()
        reload_after(tab, lambda: edit(served.study, "marker-one"))
        assert "Edited: marker-one." in tab.inner_text("article")
    finally:
        context.close()
    assert all(url.startswith(served.base + "/") for url in asked), asked
    paths = [url.removeprefix(served.base) for rid, url in responses.items() if rid not in cached]
    assert PAGE in paths
    theme = [p for p in paths if FINGERPRINTED.fullmatch(p)]
    assert theme == [], f"the reload fetched the theme's files again: {theme}"


def test_a_record_with_errors_leaves_the_last_good_page(served):
    edit(served.study, "marker-good")
    url = served.base + PAGE
    for _ in range(600):
        if "marker-good" in urllib.request.urlopen(url, timeout=30).read().decode():
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the edit never reached the page")
    good = served.study.read_text(encoding="utf-8")
    served.study.write_text(good.replace("design: rct", "design: not-a-design", 1),
                            encoding="utf-8")
    try:
        for _ in range(600):
            if "not rebuilding while the records have errors" in served.log.read_text():
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the server never reported the broken record")
        page = urllib.request.urlopen(url, timeout=30).read().decode()
        assert "marker-good" in page
        assert f"{served.study.name}:" in served.log.read_text()
    finally:
        served.study.write_text(good, encoding="utf-8")


def found_by_search(tab, base: str, word: str) -> list[str]:
    """The result links (site paths) the preview's search page gives for word."""
    tab.goto(f"{base}/search/?q={word}", wait_until="load")
    tab.wait_for_function("/result/.test(document.getElementById('ev-search-count').textContent)")
    return tab.locator("#ev-search-results a").evaluate_all("as => as.map(a => a.pathname)")


def test_search_finds_a_word_an_edit_added(served, chromium):
    word = "quokkafrond"
    tab = chromium.new_page()
    try:
        assert PAGE not in found_by_search(tab, served.base, word)
        edit(served.study, word)
        for _ in range(120):  # the index follows the edit in the background, within seconds
            if PAGE in found_by_search(tab, served.base, word):
                break
            time.sleep(0.5)
        else:
            raise AssertionError("the preview's search never found the edited page")
    finally:
        tab.close()
    assert "search index was not refreshed" not in served.log.read_text()
