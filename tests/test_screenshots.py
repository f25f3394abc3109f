"""tools/screenshots.py, which `make site` runs: three PNGs of a claim page, or a page saying
why there are none (a build without a browser must still succeed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from build_tools.paths import ROOT

SCRIPT = ROOT / "tools" / "screenshots.py"


def _run(site, *args, env=None):
    return subprocess.run([sys.executable, str(SCRIPT), str(site), *args], capture_output=True,
                          text=True, timeout=300, env=env)


def test_without_a_browser_the_build_goes_on_and_the_page_says_why(tmp_path):
    (tmp_path / "index.html").write_text("<p>site</p>", encoding="utf-8")
    done = _run(tmp_path, env={**os.environ, "CHROMIUM": str(tmp_path / "no-browser")})
    assert done.returncode == 0 and "screenshots skipped: no browser" in done.stderr
    note = (tmp_path / "screenshots" / "index.html").read_text(encoding="utf-8")
    assert "no browser" in note and not list((tmp_path / "screenshots").glob("*.png"))


@pytest.mark.browser
def test_a_claim_page_is_photographed_on_a_phone_a_desk_and_paper(built_site, tmp_path):
    from tests.test_browser import _require_browser

    _require_browser()
    if not shutil.which("pdftoppm"):
        message = "pdftoppm is missing (apt-get install poppler-utils)"
        pytest.fail(message) if os.environ.get("CI") == "true" else pytest.skip(message)
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    done = _run(site, "--claim", "fixture-function")
    assert done.returncode == 0, done.stderr
    for name in ("claim-390.png", "claim-1280.png", "claim-print-a4.png"):
        data = (site / "screenshots" / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 5_000, name
