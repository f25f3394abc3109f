"""`evidence search-index SITE_DIR`: index a built site for search (Pagefind), deterministically.

Runs the Pagefind binary that the `pagefind-bin` wheel ships, from the repository root so it
reads pagefind.yml, then rewrites the few bundle files Pagefind orders at random
(site/search_bundle.py), so that building the same pages twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from build_tools.paths import ROOT
from build_tools.site.search_bundle import ENTRY, BundleFormatError, canonical
from build_tools.site.writer import UnsafePath, refuse_links


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the search-index sub-command."""
    parser = subparsers.add_parser("search-index", help="build the site search index (Pagefind) "
                                                        "into SITE_DIR/pagefind/")
    parser.add_argument("site", type=Path, help="the built site, e.g. site/")
    parser.add_argument("--folder", default="pagefind", help="the bundle's folder in SITE_DIR "
                        "(the site's pages load it from pagefind/)")


def index_site(site: Path, folder: str = "pagefind") -> str | None:
    """Index site into site/<folder>/ and make the bundle byte-stable; an error message or None."""
    if not (site / "index.html").is_file():
        return f"{site}: not a built site (no index.html); run mkdocs build first"
    if folder in ("", ".", "..") or Path(folder).name != folder:
        return f"--folder {folder!r}: a folder name inside the site, not a path"
    bundle = site / folder
    try:  # Pagefind writes the bundle: a link planted there would send the index elsewhere
        refuse_links([site, bundle], site.resolve().parent)
    except UnsafePath as exc:
        return f"{exc}; nothing indexed"
    command = [sys.executable, "-m", "pagefind_bin", "--site", str(site.resolve()),
               "--output-subdir", folder, "--silent"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        return f"pagefind failed (exit {done.returncode}): {(done.stderr or done.stdout)[-500:]}"
    names = [ENTRY, *(p.name for p in bundle.glob("*.pf_meta")),
             *(f"filter/{p.name}" for p in bundle.glob("filter/*.pf_filter"))]
    try:
        rewrite = canonical({name: (bundle / name).read_bytes() for name in names})
    except (BundleFormatError, KeyError, ValueError, OSError) as exc:
        return f"{bundle}: search bundle not in the expected Pagefind 1.x layout: {exc}"
    try:  # a link planted in the built site would send the rewrite elsewhere
        refuse_links([bundle, *(bundle / name for name in (*rewrite.removed, *rewrite.files))])
    except UnsafePath as exc:
        return f"{exc}; search bundle left as Pagefind wrote it"
    for name in rewrite.removed:
        (bundle / name).unlink()
    for name, blob in rewrite.files.items():
        (bundle / name).write_bytes(blob)
    return None


def run(args: argparse.Namespace) -> int:
    """Index the site; 1 with a one-line message when Pagefind or the bundle fails."""
    error = index_site(args.site, args.folder)
    if error:
        sys.stderr.write(f"evidence search-index: {error}\n")
        return 1
    bundle = args.site / args.folder
    pages = sum(1 for _ in (bundle / "fragment").glob("*.pf_fragment"))
    sys.stdout.write(f"evidence search-index: {pages} pages indexed into {bundle}\n")
    return 0
