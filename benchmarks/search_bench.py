"""Search latency in a real browser (Debian Chromium via Playwright) on a built site.

    python benchmarks/search_bench.py SITE_DIR [--query placebo] [--trials 3]

Serves SITE_DIR on 127.0.0.1, opens a study page in a fresh context, and measures, as in
research/perf-baseline.md: navigation start to the search worker's READY message, the time from
typing the last key of a one-word query to its results in the DOM, and the time per further
keystroke. Prints one Markdown table row per trial summary.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

# Timestamps Material's search worker messages (0 SETUP, 1 READY, 2 QUERY, 3 RESULT).
INIT = """
window.__search = {ready: null, results: []};
const NativeWorker = window.Worker;
window.Worker = function (url, opts) {
  const w = new NativeWorker(url, opts);
  w.addEventListener('message', (e) => {
    const t = performance.now();
    if (e.data && e.data.type === 1 && window.__search.ready === null) window.__search.ready = t;
    if (e.data && e.data.type === 3) window.__search.results.push(t);
  });
  return w;
};
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        """No request log."""


def measure(site: Path, query: str, trials: int) -> dict[str, float]:
    """Median ready time, first-result time and per-keystroke time over trials (ms)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    study = next(p for p in sorted((site / "studies").iterdir()) if p.is_dir())
    ready, first, per_key = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(trials):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.add_init_script(INIT)
            page.goto(f"{base}/studies/{study.name}/")
            page.wait_for_function("window.__search.ready !== null", timeout=60_000)
            ready.append(page.evaluate("window.__search.ready"))
            page.click("label.md-search__icon, .md-search__input", timeout=10_000)
            start = page.evaluate("performance.now()")
            page.fill("input.md-search__input", query)
            page.keyboard.press("End")
            page.wait_for_selector(".md-search-result__item", timeout=60_000)
            first.append(page.evaluate("performance.now()") - start)
            for extra in (" ", "k"):
                before = page.evaluate("window.__search.results.length")
                t0 = page.evaluate("performance.now()")
                page.keyboard.type(extra)
                page.wait_for_function(f"window.__search.results.length > {before}",
                                       timeout=60_000)
                per_key.append(page.evaluate("window.__search.results.at(-1)") - t0)
            context.close()
        browser.close()
    httpd.shutdown()
    return {"ready_ms": statistics.median(ready), "first_results_ms": statistics.median(first),
            "keystroke_ms": statistics.median(per_key),
            "index_bytes": (site / "search" / "search_index.json").stat().st_size}


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="placebo")
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    r = measure(args.site, args.query, args.trials)
    print("| search_index.json | index ready | typed query → results | further keystroke |")
    print("|---:|---:|---:|---:|")
    print(f"| {r['index_bytes'] / 1e6:.2f} MB | {r['ready_ms']:.0f} ms | "
          f"{r['first_results_ms']:.0f} ms | {r['keystroke_ms']:.0f} ms |")


if __name__ == "__main__":
    main()
