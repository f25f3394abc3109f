"""`evidence serve`'s engine: after an edit, MkDocs rebuilds only the pages the build wrote,
with the first build's navigation and a search index that stays whole; no dirty-build warning."""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import pytest

from build_tools.live import Preview, Update
from build_tools.pipeline import session
from build_tools.preview import Engine
from tests.conftest import FIXTURE_EVIDENCE, make_site_tree

STUDY = "quixworth-2009"


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Preview:
    """A project with the fixture records, refreshed and built once by a preview."""
    project = make_site_tree(tmp_path_factory.mktemp("preview"), {})
    shutil.copytree(FIXTURE_EVIDENCE, project / "evidence")
    updates: list[Update] = []
    full_builds: list[Path] = []
    engine = Engine(project / "mkdocs.yml", project / "site", "http://127.0.0.1:8000/",
                    after_full_build=full_builds.append)
    engine.full_builds = full_builds  # type: ignore[attr-defined]
    built = Preview(session(project / "evidence", project, project / "docs", persist=False),
                    engine, project / "mkdocs.yml", updates.append)
    built.updates = updates  # type: ignore[attr-defined]
    first = built.start()
    assert first.rebuilt is not None and first.rebuilt.full
    assert full_builds == [project / "site"]  # the site search is indexed after the first build
    return built


def site_files(site: Path) -> dict[str, int]:
    """Every built file with its modification time."""
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns
            for p in site.rglob("*") if p.is_file()}


def entries(site: Path, url: str) -> list[dict]:
    """The search index's entries of one page."""
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    return [e for e in docs if e["location"] == url or e["location"].startswith(url + "#")]


def edit_record(preview: Preview, old: str, new: str) -> None:
    """Rewrite the study record's summary line."""
    path = preview.session.evidence_dir / "studies" / f"{STUDY}.yaml"
    text = path.read_text("utf-8")
    changed = re.sub(old, new, text, count=1, flags=re.M)
    assert changed != text
    path.write_text(changed, "utf-8")


def test_an_edit_rebuilds_its_pages_only_and_keeps_the_search_index_whole(preview, caplog):
    site = preview.engine.site_dir
    before, searched = site_files(site), entries(site, f"studies/{STUDY}/")
    edit_record(preview, r"^summary: >-\n", "summary: >-\n  Rebuilt-alone marker.")
    reloads: list[bool] = []
    index = site / "search" / "search_index.json"
    index_when_published: list[int] = []

    def publish(again: bool) -> None:
        reloads.append(again)
        index_when_published.append(index.stat().st_mtime_ns)
    preview.publish = publish
    with caplog.at_level(logging.INFO):
        preview.update()
    done = preview.updates[-1]  # type: ignore[attr-defined]
    # Browsers reload once, as soon as the record pages are built: no other page changed.
    assert reloads == [False] and f"studies/{STUDY}.md" in done.first.made
    # The search index is written after the reload, once (not before it, and not twice).
    assert index_when_published == [before["search/search_index.json"]]
    assert index.stat().st_mtime_ns != before["search/search_index.json"]
    assert done.failure == "" and not done.rebuilt.full
    assert f"studies/{STUDY}.md" in done.rebuilt.pages
    page = (site / "studies" / STUDY / "index.html").read_text("utf-8")
    assert "Rebuilt-alone marker." in page
    after = site_files(site)
    touched = {p for p in after if after[p] != before.get(p)}
    pages = {p.removesuffix(".md") + "/index.html" for p in done.rebuilt.pages}
    assert touched <= pages | set(done.rebuilt.copied) | {"search/search_index.json"}
    assert len(entries(site, f"studies/{STUDY}/")) == len(searched)  # replaced, not added
    assert "Rebuilt-alone marker." in json.dumps(entries(site, f"studies/{STUDY}/"))
    assert not [r for r in caplog.records if "dirty" in r.getMessage().lower()]


def test_a_record_with_errors_keeps_the_last_good_site(preview):
    site = preview.engine.site_dir
    before = site_files(site)
    edit_record(preview, r"^design: \S+$", "design: not-a-design")
    preview.update()
    done = preview.updates[-1]  # type: ignore[attr-defined]
    assert done.refresh.report is None and done.rebuilt is None
    assert any(p.code == "E203" or p.severity == "error" for p in done.refresh.check.problems)
    assert site_files(site) == before
    edit_record(preview, r"^design: not-a-design$", "design: rct")
    preview.update()
    assert preview.updates[-1].rebuilt is not None  # type: ignore[attr-defined]


def test_changed_tags_refill_the_tags_page(preview):
    page = preview.docs_dir / "studies" / f"{STUDY}.md"
    text = page.read_text("utf-8")
    page.write_text(text.replace("tags:\n", "tags:\n  - 'Design: Marker design'\n", 1), "utf-8")
    rebuilt = preview.engine.rebuild([f"studies/{STUDY}.md"])
    assert not rebuilt.full and "tags.md" in rebuilt.pages
    assert "Marker design" in (preview.engine.site_dir / "tags" / "index.html").read_text("utf-8")


def test_a_new_page_builds_the_whole_site(preview):
    extra = preview.docs_dir / "studies" / "added-page.md"
    extra.write_text("---\ntitle: Added\n---\n\n# Added page\n", "utf-8")
    indexed = len(preview.engine.full_builds)
    rebuilt = preview.engine.rebuild(["studies/added-page.md"])
    assert rebuilt.full and len(preview.engine.full_builds) == indexed + 1  # indexed again
    assert (preview.engine.site_dir / "studies" / "added-page" / "index.html").is_file()
    extra.unlink()
    assert preview.engine.rebuild([], ["studies/added-page.md"]).full


def test_the_home_fragment_rebuilds_the_home_page(preview):
    fragment = preview.docs_dir / "generated" / "home.md"
    fragment.write_text(fragment.read_text("utf-8") + "\nHome fragment marker.\n", "utf-8")
    rebuilt = preview.engine.rebuild(["generated/home.md"])
    assert "index.md" in rebuilt.pages and not rebuilt.full
    assert "Home fragment marker." in (preview.engine.site_dir / "index.html").read_text("utf-8")


def test_the_preview_says_when_its_search_cannot_be_indexed(tmp_path, capsys):
    from build_tools.commands import serve

    serve._index_search(tmp_path)  # not a built site: a warning, never a stop
    assert "search is unavailable in this preview" in capsys.readouterr().err
