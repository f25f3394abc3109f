"""`evidence serve`: build, preview on 127.0.0.1, and rebuild only what each edit reaches."""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.commands.search_index import index_site
from build_tools.paths import DOCS_DIR, EVIDENCE_DIR, ROOT
from build_tools.problems import format_text

if TYPE_CHECKING:  # a type only: the preview loads MkDocs, imported when serving
    from build_tools.live import Update


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the serve sub-command."""
    parser = subparsers.add_parser("serve", help="preview the site; rebuild pages on edits")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")


def describe(update: Update) -> str:
    """One line about an update: what changed, what was made and rebuilt, how long it took."""
    refresh, rebuilt = update.refresh, update.rebuilt
    if update.failure or refresh is None or refresh.report is None or rebuilt is None:
        return f"evidence serve: the rebuild failed; the last good site stays\n{update.failure}"
    rounds = [r for r in (update.first, refresh) if r is not None and r.report is not None]
    changed = {p for r in rounds for p in r.changed}
    regraded = {c for r in rounds for c in r.regraded}
    made = {p for r in rounds for p in r.made}
    written = {p for r in rounds for p in r.report.written}
    parts = [f"{len(changed)} record file(s) changed", f"{len(regraded)} claim(s) re-graded",
             f"{len(made)} page(s) made", f"{len(written)} written"]
    if rebuilt.full:
        parts.append("the whole site built")
    else:
        parts.append(f"{len(rebuilt.pages)} page(s) rebuilt, {len(rebuilt.copied)} file(s) copied")
    return f"evidence serve: {', '.join(parts)} in {update.seconds:.2f} s"


def report(update: Update) -> None:
    """Print an update; errors in the records are printed and the last good pages stay."""
    refresh = update.refresh
    if refresh is not None and refresh.report is None:
        errors = [p for p in refresh.check.problems if p.severity == "error"]
        sys.stderr.write(format_text(errors, refresh.check.files_checked))
        sys.stderr.write("evidence serve: not rebuilding while the records have errors; "
                         "the last good pages stay\n")
        return
    sys.stderr.write(describe(update) + "\n")


def _index_search(site: Path) -> None:
    """Give the preview the site's search (Pagefind), as `make site` does; a failure only warns."""
    problem = index_site(site)
    if problem:
        _warn(f"search is unavailable in this preview: {problem}")


def _warn(message: str) -> None:
    """A preview warning on its own line."""
    sys.stderr.write(f"evidence serve: {message}\n")


def _interrupt(signum: int, frame: object) -> None:
    """Turn a termination signal into KeyboardInterrupt, so the server shuts down cleanly."""
    raise KeyboardInterrupt


def run(args: argparse.Namespace, root: Path = ROOT, evidence_dir: Path = EVIDENCE_DIR,
        docs_dir: Path = DOCS_DIR) -> int:
    """Serve on host:port until interrupted; 1 if the first build fails."""
    # Here, not on top: every command would load MkDocs and the whole pipeline.
    from build_tools.live import Preview, serve
    from build_tools.pipeline import session
    from build_tools.preview import Engine
    from build_tools.search_refresh import NEXT, SearchRefresher, low_priority
    from build_tools.site.writer import UnsafePath

    logging.basicConfig(format="%(levelname)s - %(message)s", level=logging.WARNING)
    signal.signal(signal.SIGTERM, _interrupt)
    url = f"http://{args.host}:{args.port}/"
    with tempfile.TemporaryDirectory(prefix="evidence-serve-") as site_dir:
        engine = Engine(root / "mkdocs.yml", Path(site_dir), url, after_full_build=_index_search)
        # The search index after an edit: `evidence search-index` in its own process, so the
        # next edit can stop it and nothing of it competes with a rebuild for Python's lock.
        search = SearchRefresher(Path(site_dir), [
            *low_priority(), sys.executable, "-m", "build_tools", "search-index", site_dir,
            "--folder", NEXT], _warn)
        engine.full_build_turn = search.turn
        preview = Preview(session(evidence_dir, root, docs_dir, autosave=False), engine,
                          root / "mkdocs.yml", report)
        preview.editing, preview.edited = search.editing, search.edited
        try:
            first = preview.start()
        except UnsafePath as exc:  # a planted symbolic link where the build writes
            sys.stderr.write(f"{exc}\nevidence serve: stopped; nothing was written through it\n")
            return 1
        report(first)
        if first.rebuilt is None:
            return 1
        preview.session.save()
        sys.stderr.write(f"evidence serve: serving on {url} (Ctrl-C to stop)\n")
        sys.stderr.flush()
        try:
            with contextlib.suppress(KeyboardInterrupt):
                serve(preview, args.host, args.port)
        finally:
            search.close()  # before the site folder goes
            preview.session.save()  # so the next `evidence build` starts from here
    return 0
