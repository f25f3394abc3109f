"""Edit-to-reload: from saving a study file to the browser showing the new page, under
`evidence serve` on a prepared project (benchmarks/run.py prepares one per size).

    python benchmarks/reload_bench.py PROJECT_DIR [--edits 5] [--http]

Starts `evidence serve` on 127.0.0.1 (a free port) for PROJECT_DIR, waits until it serves, then
for each edit: opens the study's page in Debian's Chromium (Playwright), rewrites the study's
summary with a new marker, and stops the clock at the `load` event of the page the live-reload
script reloaded, once that page shows the marker; the next edit waits until the server has
finished the whole update (indexes and downloads follow the reload). --http (or no Playwright)
polls the served page over HTTP every 10 ms instead: the page the browser would fetch, without
the browser.
Prints one line per edit and `edit_to_reload_s=<median>`.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# Runs `evidence serve` on the project: its records, its docs/, its mkdocs.yml.
SERVE = r"""
import argparse, os, sys
from pathlib import Path
work = Path(sys.argv[1])
os.chdir(work)
from build_tools.commands import serve
args = argparse.Namespace(host="127.0.0.1", port=int(sys.argv[2]))
sys.exit(serve.run(args, root=work, evidence_dir=work / "evidence", docs_dir=work / "docs"))
"""


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(work: Path, port: int, log: Path) -> subprocess.Popen:
    """`evidence serve` for the project, logging to log; returns once it serves."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1",
           "EVIDENCE_CACHE_DIR": str(work / ".cache" / "citations")}
    out = log.open("w")
    server = subprocess.Popen([sys.executable, "-c", SERVE, str(work), str(port)], env=env,
                              stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + 3600
    while "serving on" not in log.read_text():
        if server.poll() is not None or time.time() > deadline:
            raise SystemExit(f"evidence serve did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    return server


def stop_server(server: subprocess.Popen) -> None:
    """Stop the server we started (SIGTERM, then SIGKILL after 20 s)."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def edit(study: Path, marker: str) -> None:
    """Rewrite the study's summary to a one-line text carrying marker (as an editor saves)."""
    text = study.read_text(encoding="utf-8")
    text = re.sub(r"^summary: >-\n(  .*\n)+", f"summary: >-\n  Edited: {marker}.\n", text,
                  count=1, flags=re.M)
    study.write_text(text, encoding="utf-8")


def by_http(url: str, study: Path, marker: str) -> float:
    """Seconds from the save to the served page carrying the marker (polled every 10 ms)."""
    started = time.perf_counter()
    edit(study, marker)
    while True:
        with urllib.request.urlopen(url, timeout=60) as response:
            if marker in response.read().decode("utf-8"):
                return time.perf_counter() - started
        time.sleep(0.01)


def by_browser(page: object, url: str, study: Path, marker: str) -> float:
    """Seconds from the save to the reloaded page, showing the marker, firing `load`."""
    page.goto(url, wait_until="load")  # type: ignore[attr-defined]
    time.sleep(0.5)  # the live-reload script starts polling on load
    started = time.perf_counter()
    edit(study, marker)
    while True:
        page.wait_for_event("load", timeout=120_000)  # type: ignore[attr-defined]
        if marker in page.content():  # type: ignore[attr-defined]
            return time.perf_counter() - started


def wait_until_quiet(log: Path, updates_before: int, timeout: float = 600) -> None:
    """Until the server has reported the edit's whole update (its line in the log), so the
    next edit starts on a quiet server, as a person's next save would."""
    deadline = time.time() + timeout
    while log.read_text().count("evidence serve: ") <= updates_before:
        if time.time() > deadline:
            raise SystemExit(f"evidence serve never finished the update:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)
    time.sleep(0.5)


def updates_so_far(log: Path) -> int:
    """How many update lines the server has written."""
    return log.read_text().count("evidence serve: ")


def measure(work: Path, edits: int = 5, use_browser: bool = True) -> tuple[list[float], str]:
    """Seconds per edit, and how they were measured ("browser" or "http")."""
    studies = sorted((work / "evidence" / "studies").glob("*.yaml"))
    chosen = [studies[(i * 7 + 3) * len(studies) // (7 * edits + 1)] for i in range(edits)]
    port = free_port()
    log = work / "serve.log"
    server = start_server(work, port, log)
    try:
        if use_browser and CHROMIUM.exists():
            try:
                from playwright.sync_api import sync_playwright
            except ImportError:
                use_browser = False
        else:
            use_browser = False
        url = f"http://127.0.0.1:{port}/studies/{{}}/"
        times = []
        if use_browser:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
                page = browser.new_page()
                for i, study in enumerate(chosen):
                    before = updates_so_far(log)
                    times.append(by_browser(page, url.format(study.stem), study, f"mark{i}x{port}"))
                    wait_until_quiet(log, before)
                browser.close()
        else:
            for i, study in enumerate(chosen):
                before = updates_so_far(log)
                times.append(by_http(url.format(study.stem), study, f"mark{i}x{port}"))
                wait_until_quiet(log, before)
    finally:
        stop_server(server)
    return times, "browser" if use_browser else "http"


def main() -> None:
    """Command line: measure one prepared project."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--http", action="store_true", help="poll over HTTP, no browser")
    args = parser.parse_args()
    times, how = measure(args.project.resolve(), args.edits, not args.http)
    for i, seconds in enumerate(times):
        print(f"edit {i + 1}: {seconds:.3f} s ({how})")
    print(f"edit_to_reload_s={statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
