"""Speed of `evidence scan` and of the "Check a text" page on a 2,000-word clinic page.

    .venv/bin/python benchmarks/scan_bench.py [--site SITE_DIR] [--repeat 5]

The page is built from the labelled evaluation sentences (tests/data/scan), cycled until it has
2,000 words, one paragraph per sentence, as plain text and as HTML. Prints a Markdown table of
medians: the whole command (a fresh process: start, check the records, grade, index, scan), the
scan alone in process, and in Chromium the page's check (matching and drawing the results) for
the same text, a 200,000-character text (the page's limit) and a 1 MB paste (refused).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TEXTS = REPO / "tests" / "data" / "scan" / "texts"


def clinic_page(words: int = 2000) -> list[str]:
    """Sentences of the evaluation set, in order and cycled, up to `words` words."""
    pool = [s["text"] for p in sorted(TEXTS.glob("*.yaml"))
            for s in yaml.safe_load(p.read_text(encoding="utf-8"))["sentences"]]
    out, count, i = [], 0, 0
    while count < words:
        out.append(pool[i % len(pool)])
        count += len(pool[i % len(pool)].split())
        i += 1
    return out


def median_seconds(run, repeat: int) -> float:
    """Median wall time of run() over `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def command_rows(sentences: list[str], repeat: int) -> list[tuple[str, float]]:
    """The command end to end and the scan alone, for text and HTML."""
    from build_tools.check.runner import check
    from build_tools.grade.rules import grade_all
    from build_tools.records.model import build_corpus
    from build_tools.scan import lexicon
    from build_tools.scan.annotate import annotate
    from build_tools.scan.index import build_index

    text = "\n\n".join(sentences) + "\n"
    page = "<html><body>" + "".join(f"<p>{s}</p>" for s in sentences) + "</body></html>"
    rows = []

    def command(path: Path, **env: str) -> None:
        subprocess.run([sys.executable, "-m", "build_tools", "scan", str(path)], cwd=REPO,
                       check=True, capture_output=True, env={**os.environ, **env})

    with tempfile.TemporaryDirectory() as folder:
        for name, content in (("page.txt", text), ("page.html", page)):
            path = Path(folder) / name
            path.write_text(content, encoding="utf-8")
            command(path)  # keeps the index of the base under .cache/scan
            rows.append((f"`evidence scan {name}` (whole command, kept index)",
                         median_seconds(lambda p=path: command(p), repeat)))
        rows.append(("`evidence scan page.txt` with EVIDENCE_CACHE=off (checks the base)",
                     median_seconds(lambda: command(Path(folder) / "page.txt",
                                                    EVIDENCE_CACHE="off"), repeat)))
    rows.append(("of which: start Python and import the command line", median_seconds(
        lambda: subprocess.run([sys.executable, "-c", "from build_tools.cli import build_parser; "
                                "build_parser()"], cwd=REPO, check=True), repeat)))
    checked = median_seconds(check, repeat)
    corpus = build_corpus(check().records)
    grades = grade_all(corpus)
    index = build_index(corpus, grades, lexicon.load())
    rows.append(("of which: check the records", checked))
    rows.append(("of which: grade and build the index", median_seconds(
        lambda: build_index(corpus, grade_all(corpus), lexicon.load()), repeat)))
    rows.append(("of which: scan the text (split and match)", median_seconds(
        lambda: annotate(text, index), repeat)))
    rows.append(("of which: scan the HTML", median_seconds(
        lambda: annotate(page, index, "html"), repeat)))
    return rows


def browser_rows(site: Path, text: str, repeat: int) -> list[tuple[str, float]]:
    """The page's own timing of a check, in Debian's Chromium."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import ARGS, CHROMIUM, serving

    def timed(tab, content: str) -> float:
        tab.locator("#ev-check-input").evaluate("(box, t) => { box.value = t; }", content)
        start = time.perf_counter()
        tab.locator("#ev-check-run").click()
        tab.wait_for_function("document.querySelector('.ev-check__summary').textContent"
                              ".match(/sentences|characters/)")
        tab.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        return time.perf_counter() - start

    rows = []
    with serving(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        tab = browser.new_page()
        for label, content in (("2,000-word page", text),
                               ("200,000 characters (the limit)", (text * 20)[:199_000]),
                               ("1 MB paste (refused with a message)", "k" * 1_048_576)):
            times = []
            for _ in range(repeat):
                tab.goto(base + "/check/")
                tab.wait_for_function("window.evidenceCheck && window.evidenceCheck.index")
                times.append(timed(tab, content))
            rows.append((f"Chromium page: {label}", statistics.median(times)))
        browser.close()
    return rows


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "site",
                        help="a built site (make site); default: ./site")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sentences = clinic_page()
    text = "\n\n".join(sentences) + "\n"
    rows = command_rows(sentences, args.repeat)
    if (args.site / "check" / "index.html").is_file():
        rows += browser_rows(args.site, text, args.repeat)
    else:
        print(f"(no built site at {args.site}: browser rows skipped; run make site)")
    words = sum(len(s.split()) for s in sentences)
    print(f"{words} words, {len(sentences)} sentences, {len(text)} characters; "
          f"median of {args.repeat} runs; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores\n")
    print("| what | seconds |\n|---|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
