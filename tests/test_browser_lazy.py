"""At scale the studies table ships its first rows and loads the rest from JSON: tested for real.

The thresholds are lowered so the four-study fixture corpus takes the large-table path.
"""

from __future__ import annotations

import json

import pytest

from build_tools.site.parts import study_sort_key
from build_tools.site.views import overview as site_view
from tests.conftest import make_site_tree, mkdocs_build, pagefind_index, render_fixture
from tests.test_browser import ARGS, CHROMIUM, _require_browser, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def lazy_site(tmp_path_factory):
    """The fixture corpus rendered with a one-row first page, then built."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_view, "INLINE_ROWS", 2)
        patch.setattr(site_view, "FIRST_ROWS", 1)
        rendered = render_fixture()
    project = make_site_tree(tmp_path_factory.mktemp("lazy"), rendered.pages)
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    pagefind_index(project / "site")
    return rendered, project / "site"


def test_large_table_page_carries_first_rows_and_json_has_all(lazy_site):
    rendered, _ = lazy_site
    page = rendered.pages["studies/index.md"]
    data = json.loads(rendered.pages["studies/table.json"])
    assert 'data-rows-src="table.json"' in page and 'data-total="4"' in page
    rows = [line for line in page.splitlines() if line.startswith("| [")]
    assert len(rows) == 1  # only the first row is in the page
    # in reading order: first author, then year (as the table page)
    assert [row[0] for row in data["rows"]] == [
        s.id for s in sorted(rendered.corpus.studies.values(), key=study_sort_key)]
    assert data["columns"][:3] == ["id", "study", "design"]


def test_browser_loads_every_row_then_sorts_and_filters(lazy_site):
    _require_browser()
    from playwright.sync_api import sync_playwright

    _, site = lazy_site
    errors: list[str] = []
    with serving(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        tab = browser.new_page()
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.goto(base + "/studies/")
        tab.locator(".ev-controls select").first.wait_for()
        assert "Showing 4 of 4" in tab.locator(".ev-controls__count").inner_text()
        tab.get_by_label("Filter studies: text").fill("brannigan")
        link = tab.locator("table tbody tr:not([hidden]) a")
        assert link.all_inner_texts() == ["Brannigan and Osei 2012"]
        link.click()
        tab.wait_for_url("**/studies/brannigan-2012/")
        browser.close()
    assert errors == []
