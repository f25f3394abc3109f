"""Screenshots of a claim page for the Performance page: at 390 px (a phone), at 1280 px (a
desk), and the first printed A4 page, written into SITE_DIR/screenshots/ by `make site`.

    python tools/screenshots.py SITE_DIR [--claim cure-remission]

They are made from the site just built, so they always show the current pages; nothing is
committed. Needs Debian's Chromium (or the browser named by $CHROMIUM) and pdftoppm
(poppler-utils); without them it says so and writes a page that explains the gap, exit 0,
so a machine without a browser can still build the site.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = ("claim-390.png", "claim-1280.png", "claim-print-a4.png")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        """No request log."""


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    """The site on http://127.0.0.1:<free port> while the block runs (loopback only)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def missing_tools(browser: Path) -> str | None:
    """Why screenshots cannot be taken here, or None."""
    if not browser.exists():
        return f"no browser at {browser} (apt-get install chromium, or set CHROMIUM)"
    if not shutil.which("pdftoppm"):
        return "no pdftoppm (apt-get install poppler-utils)"
    return None


def take(site: Path, claim: str, browser_path: Path, out: Path) -> None:
    """Write the three PNG files of the claim page into out."""
    from playwright.sync_api import sync_playwright

    path = f"/claims/{claim}/"
    with serving(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(browser_path), args=ARGS)
        for width, name in ((390, "claim-390.png"), (1280, "claim-1280.png")):
            tab = browser.new_page(viewport={"width": width, "height": 844 if width < 600
                                             else 800}, device_scale_factor=1)
            tab.goto(base + path)
            tab.wait_for_load_state("load")
            tab.screenshot(path=str(out / name))
            tab.close()
        tab = browser.new_page()
        tab.goto(base + path)
        pdf = tab.pdf(format="A4")
        browser.close()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "page.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        str(Path(tmp) / "page.pdf"), str(out / "claim-print-a4")], check=True)


def main() -> int:
    """Command line; 0 also when the tools are missing (the build goes on, the page says why)."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--claim", default="cure-remission")
    args = parser.parse_args()
    out = args.site / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    browser = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    why = missing_tools(browser)
    if not why and not (args.site / "claims" / args.claim / "index.html").is_file():
        why = f"no claim page claims/{args.claim}/ in {args.site}"
    if why:
        sys.stderr.write(f"screenshots skipped: {why}\n")
        (out / "index.html").write_text(
            "<!doctype html><html lang=en><title>Screenshots</title><p>The screenshots are made "
            f"when the site is built with a browser at hand; this build had none ({why}).",
            encoding="utf-8")
        return 0
    take(args.site, args.claim, browser, out)
    links = "".join(f'<li><a href="{name}">{name}</a>' for name in SHOTS)
    (out / "index.html").write_text("<!doctype html><html lang=en><title>Screenshots</title>"
                                    f"<h1>Screenshots of a claim page</h1><ul>{links}</ul>",
                                    encoding="utf-8")
    print(f"screenshots: {', '.join(SHOTS)} in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
