"""The live preview of `evidence serve`: the incremental build and its MkDocs engine updated
together after each change, served on 127.0.0.1 with MkDocs' live-reload server.

After a save the record pages are refreshed and rebuilt first and browsers reload at once; then
everything else (indexes, downloads, figures, hand-written files) follows, and browsers reload
once more only if one of those pages changed. A record with errors changes nothing: the errors
are reported and the last good site stays.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.paths import GENERATED_DIRS
from build_tools.preview import Engine, Rebuilt
from build_tools.records.files import digest as file_digest
from build_tools.reload_server import ReloadServer
from build_tools.site.writer import UnsafePath

if TYPE_CHECKING:  # types only: the command hands the preview its build
    from build_tools.incremental import Refresh
    from build_tools.pipeline import BuildSession


@dataclass(frozen=True)
class Update:
    """One round of the preview: the records' refresh, what the engine rebuilt (None while the
    records have errors: the last good pages stay), the seconds it took, and a failure's text."""

    refresh: Refresh | None
    rebuilt: Rebuilt | None
    seconds: float
    failure: str = ""
    first: Refresh | None = None  # the record pages' refresh, shown before the rest


class Preview:
    """An incremental build and its MkDocs engine, updated together after each change."""

    def __init__(self, session: BuildSession, engine: Engine, config_file: Path,
                 report: Callable[[Update], None]):
        self.session, self.engine, self.config_file, self.report = (
            session, engine, config_file, report)
        self.docs_dir, self.root = session.docs_dir, config_file.parent
        self.known: dict[str, str] = {}
        # Set by the server: make browsers reload now (again=True: once more, later).
        self.publish: Callable[[bool], None] = lambda again: None
        # Set by the command: told when an update starts and when it ends, and whether it
        # rebuilt pages one by one (the site search's refresh; a full build indexes the site).
        self.editing: Callable[[], None] = lambda: None
        self.edited: Callable[[bool], None] = lambda pages_changed: None

    def start(self) -> Update:
        """The first refresh and the full build (none while the records have errors)."""
        started = time.perf_counter()
        refresh = self.session.refresh()
        if refresh.report is None:
            return Update(refresh, None, time.perf_counter() - started)
        self.known = digests(self.root, self.docs_dir, self.config_file)
        self.session.prime()
        rebuilt = self.engine.full_build()
        return Update(refresh, rebuilt, time.perf_counter() - started)

    def update(self) -> None:
        """Refresh the records and rebuild what changed; report, and never raise (the server
        would wait for the failed build forever)."""
        started, rebuilt = time.perf_counter(), None
        self.editing()
        try:
            update = self._update(started)
            rebuilt = update.rebuilt
            self.report(update)
        except UnsafePath as exc:  # a planted symbolic link: its file:line:col, no traceback
            self.report(Update(None, None, time.perf_counter() - started, str(exc)))
        except Exception:  # noqa: BLE001 - shown to the user; the last good site stays
            self.report(Update(None, None, time.perf_counter() - started,
                               traceback.format_exc()))
        finally:
            self.edited(rebuilt is not None and not rebuilt.full and bool(rebuilt.pages))

    def _update(self, started: float) -> Update:
        """One round: the record pages first (browsers reload as soon as they are built), then
        everything else: indexes, downloads, figures, hand-written files, theme, configuration
        (browsers reload once more only if a page changed)."""
        first = self.session.refresh_records()
        if first.report is None:
            return Update(first, None, time.perf_counter() - started)
        # The search index is written once, by the second rebuild: at 5,000 studies writing it
        # took seconds, and no reader waits for it (the site's search is Pagefind).
        early = (self.engine.rebuild(first.report.written, write_index=False)
                 if first.report.written else None)
        if early is not None:
            self.publish(False)
        refresh = self.session.refresh()
        if refresh.report is None:  # the files changed again meanwhile
            return Update(refresh, early, time.perf_counter() - started, first=first)
        now = digests(self.root, self.docs_dir, self.config_file)
        changed = [p for p in now if self.known.get(p) != now[p]]
        gone = sorted(set(self.known) - set(now))
        self.known = now
        if any(p.startswith(":") for p in changed + gone):
            rebuilt = self.engine.full_build()
        else:
            rebuilt = self.engine.rebuild([*refresh.report.written, *changed],
                                          [*refresh.report.removed, *gone])
        if early is not None and (rebuilt.full or rebuilt.pages):
            self.publish(True)
        if early is not None:
            rebuilt = Rebuilt(early.pages + rebuilt.pages, early.copied + rebuilt.copied,
                              early.full or rebuilt.full, early.seconds + rebuilt.seconds)
        return Update(refresh, rebuilt, time.perf_counter() - started, first=first)


def digests(root: Path, docs_dir: Path, config_file: Path) -> dict[str, str]:
    """Content digests of what the build does not write: hand-written pages and files under
    docs/ (by docs-relative path), the theme overrides and the configuration (by ':' path)."""
    out = {}
    for top in sorted(docs_dir.iterdir()):
        if top.name in GENERATED_DIRS:
            continue  # the build's own (and by far the most files)
        for path in [top] if top.is_file() else sorted(top.rglob("*")):
            if path.is_file():
                out[path.relative_to(docs_dir).as_posix()] = file_digest(path.read_bytes())
    for path in [config_file, *sorted((root / "overrides").rglob("*"))]:
        if path.is_file():
            out[":" + path.relative_to(root).as_posix()] = file_digest(path.read_bytes())
    return out


def serve(preview: Preview, host: str, port: int) -> None:
    """Serve the preview on host:port until interrupted, rebuilding after every change."""
    server = ReloadServer(preview.update, host, port, str(preview.engine.site_dir))
    preview.publish = server.publish
    generated = tuple(str(preview.docs_dir / d) + "/" for d in GENERATED_DIRS)
    server.watch_tree(preview.session.evidence_dir, lambda p: not p.endswith(".yaml"))
    server.watch_tree(preview.docs_dir, lambda p: p.startswith(generated) or
                      Path(p).name.startswith("."))
    server.watch_tree(preview.root, lambda p: p != str(preview.config_file), recursive=False)
    if (preview.root / "overrides").is_dir():
        server.watch_tree(preview.root / "overrides", lambda p: False)
    try:
        server.serve()
    finally:
        server.shutdown()
