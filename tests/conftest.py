"""Shared test setup: the --update-golden flag and the fixture corpus rendered and built once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from build_tools.paths import DOCS_DIR, GENERATED_DIRS, ROOT

# Not "site": the .gitignore pattern site/ would hide a folder of that name from git.
# Tests render every reference line afresh (and never write the repository's .cache/);
# tests/test_refcache.py turns the cache on in a temporary folder to test it.
os.environ["EVIDENCE_CACHE"] = "off"
# Test sites are published at the root of a reserved test address (mkdocs.yml reads SITE_URL),
# so the 404 page's absolute asset paths resolve inside the built folder. real_site keeps the
# configured address.
os.environ["SITE_URL"] = TEST_SITE_URL = "https://evidence-base.invalid/"

SITE_FIXTURE = Path(__file__).parent / "fixtures" / "site_corpus"
FIXTURE_EVIDENCE = SITE_FIXTURE / "evidence"
GOLDEN_DIR = SITE_FIXTURE / "golden"
# A fixed date stands in for `git log`, so pages do not change with each commit.
FIXTURE_UPDATED = "2026-11-22"
# Any fixed epoch: MkDocs stamps the sitemap with the build date unless this is set.
SOURCE_DATE_EPOCH = "1795305600"


def make_study(sid: str = "doe-2020", design: str = "rct", year: int = 2020, *,
               n: int | None = None, rob: str | dict | None = None, family: str = "Doe",
               **fields: Any) -> Any:
    """The one study builder of the test suite: a minimal valid Study, any field overridable.

    n sets participants.analysed; rob is an overall judgement (RoB 2) or a whole block.
    """
    from build_tools.records.model import Study

    participants = {"condition": "CRPS", "cite": {"from": "abstract", "locator": "abstract"}}
    if n is not None:
        participants["analysed"] = n
    risk = {"tool": "rob2", "overall": rob, "reason": "r"} if isinstance(rob, str) else rob
    base = {"id": sid, "title": f"Study {sid}", "authors": ({"family": family, "given": "J"},),
            "year": year, "publication_type": "journal-article", "design": design,
            "summary": "A study.", "reviewed": "2026-01-01", "participants": participants,
            "risk_of_bias": risk,
            "verified_from": ({"key": "abstract", "url": "https://example.org",
                               "basis": "abstract"},)}
    return Study(**(base | fields))


def pytest_addoption(parser: pytest.Parser) -> None:
    """--update-golden rewrites the expected pages from the current output."""
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/fixtures/site_corpus/golden from the current renderer")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run should rewrite golden files instead of comparing."""
    return bool(request.config.getoption("--update-golden"))


@dataclass(frozen=True)
class Rendered:
    """The fixture corpus with its grades and every generated page."""

    corpus: Any
    grades: dict
    sof: tuple
    pages: dict[str, str]


def render_fixture() -> Rendered:
    """Check, grade and render the fixture corpus exactly as `evidence build` would."""
    from build_tools.check.runner import check
    from build_tools.grade.sof import summary_of_findings
    from build_tools.pipeline import generate
    from build_tools.records.model import build_corpus

    result = check(evidence_dir=FIXTURE_EVIDENCE, root=ROOT)
    assert result.ok, [p for p in result.problems if p.severity == "error"]
    generated = generate(build_corpus(result.records), updated=FIXTURE_UPDATED)
    sof = summary_of_findings(generated.corpus, generated.grades)
    return Rendered(generated.corpus, generated.grades, sof, generated.pages)


@pytest.fixture(scope="session")
def rendered() -> Rendered:
    """The fixture corpus rendered once per session."""
    return render_fixture()


def make_site_tree(dest: Path, pages: dict[str, str], *, stand_in_grading: bool = True) -> Path:
    """A project copy in dest: mkdocs.yml, overrides, hand-written docs and the given pages
    (stand_in_grading: replace the grading page, whose links name real claims)."""
    from build_tools.site.writer import write_tree

    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    shutil.copytree(DOCS_DIR, dest / "docs",
                    ignore=lambda folder, names: [n for n in names if Path(folder) == DOCS_DIR
                                                  and n in GENERATED_DIRS])
    # The real grading page may link to real claims; the fixture site gets a stand-in.
    if stand_in_grading:
        grading_page = dest / "docs" / "methods" / "grading.md"
        grading_page.parent.mkdir(parents=True, exist_ok=True)
        grading_page.write_text("# Grading rules\n\nStand-in page for tests.\n",
                                encoding="utf-8")
    write_tree(pages, dest / "docs")
    return dest


def mkdocs_build(project: Path, *, configured_url: bool = False) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` in a project copy, reproducibly dated (configured_url: the
    site_url of mkdocs.yml instead of the test address)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    if configured_url:
        env.pop("SITE_URL", None)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                          env=env, capture_output=True, text=True, timeout=300)


def pagefind_index(site: Path) -> None:
    """Index a built site for search as `make site` does (`evidence search-index`)."""
    from build_tools.commands.search_index import index_site

    error = index_site(site)
    assert error is None and (site / "pagefind" / "pagefind.js").is_file(), error


@dataclass(frozen=True)
class BuiltSite:
    """A built fixture site: the project copy, its site/ folder and MkDocs' log."""

    project: Path
    site: Path
    log: str


@pytest.fixture(scope="session")
def built_site(rendered: Rendered, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The fixture corpus built into a static site once per session."""
    project = make_site_tree(tmp_path_factory.mktemp("site-project"), rendered.pages)
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    pagefind_index(project / "site")
    return BuiltSite(project, project / "site", done.stderr)


def build_real_site(dest: Path) -> BuiltSite:
    """The site built from this repository's own evidence into dest, as `make site` builds it
    (configured site_url, search index included)."""
    from build_tools.check.runner import check
    from build_tools.pipeline import generate
    from build_tools.records.model import build_corpus

    result = check()
    assert result.ok, [p for p in result.problems if p.severity == "error"][:5]
    pages = generate(build_corpus(result.records), updated=FIXTURE_UPDATED).pages
    project = make_site_tree(dest, pages, stand_in_grading=False)
    done = mkdocs_build(project, configured_url=True)
    assert done.returncode == 0, done.stderr
    pagefind_index(project / "site")
    return BuiltSite(project, project / "site", done.stderr)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The real site, built once per test run: xdist workers share one build (the first to
    arrive builds it under a file lock in the run's common temporary folder)."""
    import fcntl

    common = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        common = common.parent  # shared by every worker of this run
    folder = common / "real-site"
    with open(common / "real-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "site" / "pagefind" / "pagefind-entry.json").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            return build_real_site(folder)
    return BuiltSite(folder, folder / "site", "")


# Module scope, as tests/test_browser.py's `browser`: Playwright's sync API allows one running
# instance per process, and an xdist worker runs modules of both kinds one after the other.
@pytest.fixture(scope="module")
def chromium():
    """One headless Debian Chromium for the module (tests/browser_kit.py launches it)."""
    from tests.browser_kit import launch

    with launch() as browser:
        yield browser


@pytest.fixture(scope="session")
def real_server(real_site: BuiltSite):
    """The real site on http://127.0.0.1:<free port>/ for the session."""
    from tests.test_browser import serving

    with serving(real_site.site) as base:
        yield base
