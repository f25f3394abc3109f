"""`evidence serve`: build, preview with `mkdocs serve`, and rebuild pages when a record changes."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from build_tools.paths import DOCS_DIR, EVIDENCE_DIR, ROOT
from build_tools.problems import format_text

POLL_SECONDS = 0.5
# docs/index.md includes the generated bottom line; --dirty rebuilds a page only when its own
# file changes, so the include's parent is touched (mtime only) when the fragment changes.
INCLUDES = {"generated/home.md": "index.md"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the serve sub-command."""
    parser = subparsers.add_parser("serve", help="preview the site; regenerate pages on edits")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")


def snapshot(evidence_dir: Path = EVIDENCE_DIR) -> dict[str, tuple[int, int]]:
    """Every record file with its modification time and size, to notice edits cheaply."""
    out = {}
    for path in sorted(evidence_dir.rglob("*")):
        if path.suffix in (".yaml", ".json") and path.is_file():
            stat = path.stat()
            out[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return out


def regenerate(evidence_dir: Path = EVIDENCE_DIR, root: Path = ROOT,
               docs_dir: Path = DOCS_DIR) -> bool:
    """Rebuild the generated pages; on errors print them, keep the last good pages, False."""
    from build_tools.pipeline import build  # here, not on top: every command would load matplotlib
    from build_tools.site.writer import UnsafePath

    started = time.perf_counter()
    try:
        built = build(evidence_dir, root, docs_dir)
    except UnsafePath as exc:  # a planted symbolic link where the build writes
        sys.stderr.write(f"{exc}\n")
        return False
    report = built.report
    if report is None:
        errors = [p for p in built.check.problems if p.severity == "error"]
        sys.stderr.write(format_text(errors, built.check.files_checked))
        return False
    for fragment, parent in INCLUDES.items():
        if fragment in report.written:
            os.utime(docs_dir / parent)
    sys.stderr.write(f"evidence serve: {len(report.written)} pages written, "
                     f"{len(report.removed)} removed in {time.perf_counter() - started:.2f} s\n")
    return True


def _interrupt(signum: int, frame: object) -> None:
    """Turn a termination signal into KeyboardInterrupt, so cleanup runs."""
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    """Serve on host:port until interrupted; 1 if the first build fails."""
    if not regenerate():
        return 1
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict",
               "-a", f"{args.host}:{args.port}"]
    server = subprocess.Popen(command, cwd=ROOT)
    # A terminated `evidence serve` must not leave its mkdocs server running: treat SIGTERM
    # like Ctrl-C so the finally block below stops the child.
    signal.signal(signal.SIGTERM, _interrupt)
    seen = snapshot()
    try:
        while server.poll() is None:
            time.sleep(POLL_SECONDS)
            now = snapshot()
            if now != seen:
                seen = now
                regenerate()
    except KeyboardInterrupt:
        pass
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    return server.returncode or 0
