"""Pagefind as the search engine at scale: index a built site and time a query in Chromium.

    python benchmarks/pagefind_bench.py SITE_DIR [--pagefind PATH] [--query placebo]

Pagefind (its PyPI wheel pagefind-bin ships the binary; nothing is downloaded at run time)
writes a chunked index next to the site; the browser fetches only the chunks a query needs.
This measures, from navigation start on a study page: index initialised, first result's data
in hand, a further keystroke, and the bytes of index fetched. The site is not changed: the
index goes into SITE_DIR/pagefind-bench/ and is removed afterwards.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

QUERY_JS = """async ([query, more]) => {
  const t0 = performance.now();
  const pf = await import('/pagefind-bench/pagefind.js');
  await pf.init();
  const t1 = performance.now();
  const found = await pf.search(query);
  const first = found.results.length ? await found.results[0].data() : null;
  const t2 = performance.now();
  const again = await pf.search(query + more);
  if (again.results.length) await again.results[0].data();
  const t3 = performance.now();
  const bytes = performance.getEntriesByType('resource')
      .filter(e => e.name.includes('/pagefind-bench/'))
      .reduce((sum, e) => sum + (e.decodedBodySize || 0), 0);
  return {init: t1 - t0 + t0, first: t2, key: t3 - t2, hits: found.results.length,
          title: first && first.meta.title, bytes};
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        """No request log."""


def main() -> None:
    """Index, serve, measure, clean up."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--pagefind", default=shutil.which("pagefind") or "pagefind")
    parser.add_argument("--query", default="placebo")
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    out = args.site / "pagefind-bench"
    start = time.perf_counter()
    subprocess.run([args.pagefind, "--site", str(args.site), "--output-subdir", "pagefind-bench",
                    "--root-selector", "article"], check=True, capture_output=True)
    index_s = time.perf_counter() - start
    index_bytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    study = next(p for p in sorted((args.site / "studies").iterdir()) if p.is_dir())
    runs = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(args.trials):
                context = browser.new_context()
                # As if Pagefind replaced Material's search: its lunr index is not loaded.
                context.route("**/search/search_index.json", lambda route: route.abort())
                page = context.new_page()
                page.goto(f"{base}/studies/{study.name}/")
                runs.append(page.evaluate(QUERY_JS, [args.query, " k"]))
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
        shutil.rmtree(out, ignore_errors=True)
    first = statistics.median(r["first"] for r in runs)
    key = statistics.median(r["key"] for r in runs)
    fetched = statistics.median(r["bytes"] for r in runs)
    print("| index build (s) | index on disk (MB) | page load → first result (ms) | "
          "further keystroke (ms) | index bytes fetched for the query | hits |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {index_s:.1f} | {index_bytes / 1e6:.1f} | {first:.0f} | {key:.0f} | "
          f"{fetched / 1e3:.0f} KB | {runs[0]['hits']} |")


if __name__ == "__main__":
    main()
