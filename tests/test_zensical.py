"""Smoke test: the same mkdocs.yml and pages build with Zensical, Material's announced successor.

Keeping this green means switching engines stays a configuration change, not a rewrite.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import make_site_tree

ZENSICAL = Path(sys.executable).parent / "zensical"


def test_zensical_builds_the_fixture_site_without_external_requests(rendered, tmp_path):
    assert ZENSICAL.exists() or shutil.which("zensical"), "zensical is a test dependency"
    project = make_site_tree(tmp_path, rendered.pages)
    done = subprocess.run([str(ZENSICAL) if ZENSICAL.exists() else "zensical", "build", "-c"],
                          cwd=project, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    site = project / "site"
    pages = sorted(site.rglob("*.html"))
    assert (site / "index.html").exists() and len(pages) >= len(
        [p for p in rendered.pages if p.endswith(".md")])
    study = next(p for p in rendered.pages if p.startswith("studies/") and "index" not in p)
    built = site / study.removesuffix(".md") / "index.html"
    html = built.read_text(encoding="utf-8")
    assert 'name="citation_title"' in html
    # No script, stylesheet or font is fetched from another host (rel="canonical" only names
    # the published address).
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|link)(?![^>]*rel="canonical")[^>]+(src|href)="(https?:)?//',
                             text), page
    # The search box is Pagefind's (overrides/partials/search.html), and the tables' cells carry
    # their column names (build_tools/site/markdown_a11y.py): both work under Zensical too.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-ev-search' in home and 'name="search"' not in home
    assert 'data-label="Design"' in (site / "studies" / "index.html").read_text(encoding="utf-8")
