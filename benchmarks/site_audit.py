"""Audit a built site in Debian's Chromium: per page kind, axe-core's WCAG 2 A/AA violations by
impact (light and dark schemes, 1280 and 390 px) and how wide the page is at 390 px.

    python -m benchmarks.site_audit SITE_DIR

Prints a Markdown table; used for the before/after figures of issues 16 and 21 (the tests
themselves fail on any violation or overflow, this only counts them).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from tests.browser_kit import PAGE_KINDS, launch, open_page, resize
from tests.test_accessibility import SCHEMES, WCAG_AA
from tools.screenshots import serving

WIDEST_JS = """() => Math.max(document.documentElement.scrollWidth,
  ...[...document.querySelectorAll('.md-content table')].map(t => t.scrollWidth))"""


def audit(tab, path: str) -> tuple[Counter[str], int]:
    """Violating nodes by impact over both schemes and widths, and the widest box at 390 px."""
    from axe_playwright_python.sync_playwright import Axe

    impacts: Counter[str] = Counter()
    widest = 0
    for width in (1280, 390):
        resize(tab, width, 900)
        found = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_AA},
                                        "resultTypes": ["violations"]}).response["violations"]
        impacts.update(v["impact"] for v in found for _ in v["nodes"])
        if width == 390:
            widest = tab.evaluate(WIDEST_JS)
    return impacts, widest


def main() -> int:
    """Command line: one row per page kind."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    args = parser.parse_args()
    rows = ["| page | serious + critical | moderate + minor | widest box at 390 px |",
            "|---|---|---|---|"]
    with serving(args.site) as base, launch() as browser:
        for kind, path in PAGE_KINDS.items():
            if not (args.site / path.split("?")[0].lstrip("/") / "index.html").is_file():
                rows.append(f"| {kind} | page absent | | |")
                continue
            total: Counter[str] = Counter()
            widest = 0
            for scheme in SCHEMES:  # a plain tab: the tests, not this count, guard requests
                context = browser.new_context(color_scheme=scheme, service_workers="block")
                tab = context.new_page()
                tab.base = base
                open_page(tab, path)
                impacts, wide = audit(tab, path)
                context.close()
                total += impacts
                widest = max(widest, wide)
            rows.append(f"| {kind} | {total['serious'] + total['critical']} | "
                        f"{total['moderate'] + total['minor']} | {widest} px |")
    sys.stdout.write("\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
