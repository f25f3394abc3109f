"""Site search at scale: Pagefind (the site's search) next to Material's lunr search, one run.

    python benchmarks/search_scale.py --studies 5000 [--query placebo] [--trials 3]
    python benchmarks/search_scale.py --site SITE_DIR      # a site already built and indexed

Builds the synthetic evidence base of N studies (benchmarks/generate.py) as `make site` does
(evidence pages, `mkdocs build`, `evidence search-index`), serves it on 127.0.0.1 and measures
in Debian's Chromium, from a fresh tab on a study page each trial:

- Pagefind, the header box: navigation start to the first results on screen when the query is
  put into the box as soon as the page has loaded (focus starts Pagefind); then each further
  keystroke (a second word typed one letter at a time, keydown to results on screen; the box has
  no debounce, a stale answer is dropped); bytes fetched from pagefind/ for the query and for
  the further keys; the results page /search/?q=QUERY from navigation start.
- Material, the same page with Material's own search markup put back (as the site had it):
  navigation start to its worker's READY, typed query to results, a further keystroke, and the
  size of search/search_index.json it downloads.

Prints one Markdown table. Medians over the trials.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from benchmarks.pagefind_bench import ARGS  # noqa: E402
from benchmarks.run import prepare  # noqa: E402
from benchmarks.search_bench import INIT  # noqa: E402
from build_tools.check.runner import check  # noqa: E402
from build_tools.commands.search_index import index_site  # noqa: E402
from build_tools.pipeline import generate  # noqa: E402
from build_tools.records.model import build_corpus  # noqa: E402
from build_tools.site.writer import write_tree  # noqa: E402
from tools.screenshots import serving  # noqa: E402 (the loopback server of make site's screenshots)

# Material's own search box (its partials/search.html, icons left out), for the comparison.
MATERIAL_BOX = """<div class="md-search" data-md-component="search" role="dialog">
<label class="md-search__overlay" for="__search"></label>
<div class="md-search__inner" role="search"><form class="md-search__form" name="search">
<input type="text" class="md-search__input" name="query" aria-label="Search"
 placeholder="Search" autocomplete="off" data-md-component="search-query" required>
<label class="md-search__icon md-icon" for="__search"></label>
<nav class="md-search__options"><button type="reset" class="md-search__icon md-icon"
 tabindex="-1"></button></nav></form>
<div class="md-search__output"><div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix>
<div class="md-search-result" data-md-component="search-result">
<div class="md-search-result__meta">Initializing search</div>
<ol class="md-search-result__list" role="presentation"></ol></div></div></div></div></div>"""
OURS = re.compile(r'<div class="md-search" data-ev-search>.*?</ol>\s*</div>\s*</div>\s*</div>'
                  r"\s*</div>\s*</div>", re.DOTALL)

# Timestamps (ms since navigation start) of every results event of the header box.
PAGEFIND_INIT = """
window.__ev = [];
document.addEventListener('ev-search:results', (e) => window.__ev.push(
  {t: performance.now(), q: e.detail.query, n: e.detail.count}));
"""


def build(n: int, work: Path) -> Path:
    """The synthetic base built into work/site with its search index; prints the timings."""
    prepare(work, n)
    result = check(evidence_dir=work / "evidence", root=work)
    assert result.ok, [p for p in result.problems if p.severity == "error"][:3]
    write_tree(generate(build_corpus(result.records), updated="2026-11-22").pages, work / "docs")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], cwd=work,
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    mkdocs_s = time.perf_counter() - start
    start = time.perf_counter()
    error = index_site(work / "site")
    assert error is None, error
    print(f"mkdocs build {mkdocs_s:.0f} s; evidence search-index {time.perf_counter() - start:.1f} s",
          file=sys.stderr)
    return work / "site"


def _results_for(tab, text: str, before: int) -> float:
    """Wait for the header box to show results for text; when they appeared (ms)."""
    tab.wait_for_function(f"window.__ev.length > {before} && "
                          f"window.__ev.at(-1).q === {text.strip()!r}", timeout=60_000)
    return tab.evaluate("window.__ev.at(-1).t")


def pagefind_trial(browser, base: str, page: str, query: str, more: str) -> dict:
    """One fresh tab: the query typed into the box as soon as the page has loaded, then `more`
    one key at a time; then the results page for the query, loaded afresh."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fetched: list[int] = []  # response bodies from pagefind/, the worker's fetches included
    context.on("requestfinished", lambda r: fetched.append(r.sizes()["responseBodySize"])
               if "/pagefind/" in r.url else None)
    tab = context.new_page()
    tab.add_init_script(PAGEFIND_INIT)
    tab.goto(base + page)
    loaded = tab.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    tab.click("#ev-search-input")
    tab.fill("#ev-search-input", query)
    first = _results_for(tab, query, 0)
    first_bytes = sum(fetched)
    hits = tab.evaluate("window.__ev.at(-1).n")
    keys = []
    for end in range(1, len(more) + 1):
        before = tab.evaluate("window.__ev.length")
        t0 = tab.evaluate("performance.now()")
        tab.keyboard.type(more[end - 1])
        if (query + more[:end]).strip() == (query + more[:end - 1]).strip():
            continue  # a trailing space: the same words, no new search
        keys.append(_results_for(tab, query + more[:end], before) - t0)
    more_bytes = sum(fetched) - first_bytes
    tab.goto(f"{base}/search/?q={query}")
    tab.wait_for_function("/result/.test(document.getElementById('ev-search-count').textContent)",
                          timeout=60_000)
    page_ms = tab.evaluate("performance.now()")
    context.close()
    return {"loaded": loaded, "first": first, "keys": keys, "bytes": first_bytes,
            "more_bytes": more_bytes, "hits": hits, "page": page_ms}


def material_trial(browser, base: str, page: str, query: str) -> dict:
    """One fresh tab with Material's search box: worker ready, query, a further keystroke."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def material_page(route):
        html = route.fetch().text()
        route.fulfill(body=OURS.sub(MATERIAL_BOX, html, count=1),
                      headers={"content-type": "text/html; charset=utf-8"})

    context.route(base + page, material_page)
    tab = context.new_page()
    tab.add_init_script(INIT)
    tab.goto(base + page)
    tab.wait_for_function("window.__search.ready !== null", timeout=120_000)
    ready = tab.evaluate("window.__search.ready")
    tab.click(".md-search__input")
    t0 = tab.evaluate("performance.now()")
    tab.fill(".md-search__input", query)
    tab.keyboard.press("End")  # Material reads the box on key events
    tab.wait_for_selector(".md-search-result__item", timeout=60_000)
    typed = tab.evaluate("performance.now()") - t0
    before = tab.evaluate("window.__search.results.length")
    t0 = tab.evaluate("performance.now()")
    tab.keyboard.type("k")
    tab.wait_for_function(f"window.__search.results.length > {before}", timeout=60_000)
    key = tab.evaluate("window.__search.results.at(-1)") - t0
    context.close()
    return {"ready": ready, "typed": typed, "key": key}


def measure(site: Path, query: str, more: str, trials: int) -> None:
    """Serve the site, run the trials of both engines and print the table."""
    from playwright.sync_api import sync_playwright

    study = next(p.name for p in sorted((site / "studies").iterdir()) if p.is_dir())
    page = f"/studies/{study}/"
    with serving(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        ours = [pagefind_trial(browser, base, page, query, more) for _ in range(trials)]
        theirs = [material_trial(browser, base, page, query) for _ in range(trials)]
        browser.close()
    pages = sum(1 for _ in (site / "pagefind" / "fragment").glob("*.pf_fragment"))
    disk = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    lunr = (site / "search" / "search_index.json").stat().st_size
    keys = [k for run in ours for k in run["keys"]]
    med = statistics.median
    print(f"| engine ({pages} pages indexed) | index on disk | fetched for the query "
          f"(+ {len(more)} more keys) | nav start → first results | further keystroke "
          "(median / slowest) | results page |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| Pagefind, header box | {disk / 1e6:.1f} MB ({disk / pages / 1e3:.1f} KB a page) "
          f"| {med(r['bytes'] for r in ours) / 1e3:.0f} KB "
          f"(+{med(r['more_bytes'] for r in ours) / 1e3:.0f} KB) "
          f"| {med(r['first'] for r in ours):.0f} ms (page loaded at "
          f"{med(r['loaded'] for r in ours):.0f}) "
          f"| {med(keys):.0f} / {max(keys):.0f} ms | {med(r['page'] for r in ours):.0f} ms |")
    print(f"| Material (lunr) | {lunr / 1e6:.1f} MB | {lunr / 1e6:.1f} MB | ready "
          f"{med(r['ready'] for r in theirs):.0f} ms + query {med(r['typed'] for r in theirs):.0f} "
          f"ms | {med(r['key'] for r in theirs):.0f} ms | – |")
    print(f"\nquery {query!r} then {more!r} key by key: {ours[0]['hits']} results; {trials} "
          f"trials; keystrokes {', '.join(f'{k:.0f}' for k in ours[0]['keys'])} ms (first trial)")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--studies", type=int, default=5000)
    parser.add_argument("--site", type=Path, help="measure this built and indexed site instead")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument("--query", default="placebo")
    parser.add_argument("--more", default=" controlled",
                        help="typed after the query, one key at a time (the keystroke times)")
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    if args.site:
        measure(args.site, args.query, args.more, args.trials)
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix=f"search{args.studies}-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        measure(build(args.studies, work), args.query, args.more, args.trials)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
