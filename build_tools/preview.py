"""The preview engine of `evidence serve`: MkDocs in this process, rebuilding single pages.

The first build is MkDocs' own (`mkdocs.commands.build.build`); a small plugin keeps the files,
navigation and Jinja environment it made. After an edit only the pages the refresh wrote are
rebuilt: each is read, rendered and written again with that navigation, its search entries are
replaced and the search index rewritten, and changed static files (downloads, figures, the
studies table's data) are copied. A page added or removed, the configuration or the theme
changed, or anything unexpected, and the whole site is built again. MkDocs' own `--dirty`
build is not used: it re-reads every file on each change, keeps a search index of only the
changed page, and warns that navigation may be wrong (here the navigation is the first
build's, and record pages are not in it).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs import utils as mkdocs_utils
from mkdocs.commands.build import _build_page, _populate_page, build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import InclusionLevel

# Hand-written pages that include a generated fragment (pymdownx.snippets): rebuilt with it.
INCLUDES = {"generated/home.md": "index.md"}
log = logging.getLogger("build_tools.preview")


class _Keep(BasePlugin):
    """Keeps what a full build made, for rebuilding single pages later."""

    files: Any = None
    nav: Any = None
    env: Any = None

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        """The navigation and the files, once complete."""
        self.nav, self.files = nav, files
        return nav

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        """The theme's Jinja environment."""
        self.env = env
        return env


@dataclass(frozen=True)
class Rebuilt:
    """What the engine did after an edit: pages rendered, static files copied, or all."""

    pages: tuple[str, ...] = ()
    copied: tuple[str, ...] = ()
    full: bool = False
    seconds: float = 0.0


class Engine:
    """A MkDocs site built once in full, then page by page."""

    def __init__(self, config_file: Path, site_dir: Path, serve_url: str,
                 after_full_build: Callable[[Path], None] | None = None):
        self.config_file, self.site_dir, self.serve_url = config_file, site_dir, serve_url
        self.config: Any = None
        self.kept = _Keep()
        # Run on the site after each full build (the site search's index: MkDocs' full build
        # empties the folder, and the page-by-page rebuilds leave it as it was).
        self.after_full_build = after_full_build
        # Held while the site folder is emptied and refilled, so nothing else reads it then
        # (the preview's background search index: search_refresh.py).
        self.full_build_turn: contextlib.AbstractContextManager = contextlib.nullcontext()

    def full_build(self) -> Rebuilt:
        """Load the configuration and build every page (MkDocs' own build)."""
        started = time.perf_counter()
        gc.unfreeze()  # the last full build's objects may be garbage now
        config = load_config(config_file=str(self.config_file), site_dir=str(self.site_dir))
        config.strict = False  # a preview shows pages with warnings; `make site` is strict
        config.site_url = self.serve_url
        config.plugins.on_startup(command="serve", dirty=False)
        self.kept = _Keep()
        config.plugins["evidence-preview"] = self.kept
        # Relative paths in the configuration (pymdownx.snippets' base_path) are the project's.
        with self.full_build_turn:
            with contextlib.chdir(self.config_file.parent):
                build(config, serve_url=self.serve_url)
            if self.after_full_build is not None:
                self.after_full_build(self.site_dir)
        self.config = config
        # The site's tens of thousands of objects live as long as the preview: out of the
        # collector's sight, they no longer slow every later rebuild (about 0.1 s at 1,000).
        gc.collect()
        gc.freeze()
        return Rebuilt(full=True, seconds=time.perf_counter() - started)

    def rebuild(self, written: Iterable[str], removed: Iterable[str] = (), *,
                write_index: bool = True) -> Rebuilt:
        """Rebuild the pages and copy the static files behind these docs-relative paths
        (write_index=False: keep the search entries up to date but leave the index file to
        the next rebuild, when a second one follows at once)."""
        started = time.perf_counter()
        written = set(written) | {INCLUDES[p] for p in written if p in INCLUDES}
        try:
            with contextlib.chdir(self.config_file.parent), _atomic_writes():
                done = self._rebuild(written, set(removed), write_index)
        except Exception as exc:  # noqa: BLE001 - any surprise: the full build is always right
            log.warning("preview: rebuilding pages failed (%s); building the whole site", exc)
            done = None
        if done is None:
            return self.full_build()
        return Rebuilt(*done, seconds=time.perf_counter() - started)

    def _rebuild(self, written: set[str], removed: set[str], write_index: bool = True
                 ) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """Pages and copies done, or None when only a full build will do."""
        files, config = self.kept.files, self.config
        found = {p: files.get_file_from_path(p) for p in written}
        if removed or any(f is None for f in found.values()):
            return None  # the set of pages changed: links, sitemap and tags need a full build
        pages = [f for f in found.values()
                 if f.is_documentation_page() and f.inclusion.is_in_serve()]
        copied = [f for f in found.values() if not f.is_documentation_page()]
        for file in copied:
            file.copy_file()
        tags_before = {f.page.url: self._tags(f.page) for f in pages}
        search = self._search()
        for file in pages:
            _forget_search_entries(search, file.page.url)
            _populate_page(file.page, config, files)
        if any(self._tags(f.page) != tags_before[f.page.url] for f in pages):
            pages += self._retag()
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for file in pages:
            _build_page(file.page, config, doc_files, self.kept.nav, self.kept.env)
        if search is not None and write_index:
            search.on_post_build(config=config)
        return (tuple(sorted({f.src_uri for f in pages})),
                tuple(sorted(f.src_uri for f in copied)))

    def _plugin(self, kind: str) -> Any:
        """The configured plugin whose module path contains kind (Material's tags, search)."""
        return next((p for p in self.config.plugins.values()
                     if f".{kind}." in type(p).__module__), None)

    def _search(self) -> Any:
        """The search plugin, when it keeps an index of entries."""
        found = self._plugin("search")
        return found if found is not None and hasattr(found, "search_index") else None

    def _tags(self, page: Any) -> frozenset[str]:
        """The tags a page carries in its front matter."""
        return frozenset(str(t) for t in (page.meta or {}).get("tags") or ())

    def _retag(self) -> list[Any]:
        """Fill the tag listings again (a page's tags changed); the listing pages' files."""
        from material.plugins.tags.renderer import Renderer

        plugin = self._plugin("tags")
        listed = {listing.page.file for listing in plugin.listings}
        plugin.listings.data = set()
        for file in listed:
            _populate_page(file.page, self.config, self.kept.files)
        plugin.listings.populate_all(plugin.mappings, Renderer(self.kept.env, self.config))
        return list(listed)


@contextlib.contextmanager
def _atomic_writes() -> Iterator[None]:
    """MkDocs' file writes and copies made atomic (a temporary file renamed into place) while
    pages are rebuilt: a preview serves the site meanwhile, and must never send half a file."""
    write, copy = mkdocs_utils.write_file, mkdocs_utils.copy_file

    def write_file(content: bytes, output_path: str) -> None:
        target = Path(output_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.preview")
        tmp.write_bytes(content)
        tmp.replace(target)

    def copy_file(source_path: str, output_path: str) -> None:
        target = Path(output_path)
        if target.is_dir():
            target = target / Path(source_path).name
        write_file(Path(source_path).read_bytes(), str(target))

    mkdocs_utils.write_file, mkdocs_utils.copy_file = write_file, copy_file
    try:
        yield
    finally:
        mkdocs_utils.write_file, mkdocs_utils.copy_file = write, copy


def _forget_search_entries(search: Any, url: str) -> None:
    """Drop a page's entries from the search index (the page adds its own when built)."""
    if search is None:
        return
    index = search.search_index
    index.entries = [e for e in index.entries
                     if not (e["location"] == url or e["location"].startswith(url + "#")
                             if url else e["location"] == "" or e["location"].startswith("#"))]
