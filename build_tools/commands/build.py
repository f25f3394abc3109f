"""`evidence build`: check, grade and render the evidence base into the site's generated pages."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from build_tools.checker import check
from build_tools.commands.check import output_format
from build_tools.grading import grade_all, summary_of_findings
from build_tools.model import Corpus, build_corpus
from build_tools.paths import DOCS_DIR, EVIDENCE_DIR, ROOT
from build_tools.problems import FORMATTERS
from build_tools.render import render_site
from build_tools.writer import WriteReport, write_tree


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the build sub-command."""
    parser = subparsers.add_parser(
        "build", help="check, grade and render the records into docs/ (then: mkdocs build)")
    parser.add_argument("--format", choices=sorted(FORMATTERS), default=None,
                        help="problem output format (default: github under GitHub Actions)")
    parser.add_argument("--quiet", action="store_true", help="print nothing unless it fails")


def last_updated(root: Path = ROOT) -> str | None:
    """Date (YYYY-MM-DD) of the last commit touching evidence/, or None outside git."""
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%cs", "--",
                               "evidence"], capture_output=True, text=True, timeout=10,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    date = done.stdout.strip()
    return date if done.returncode == 0 and len(date) == 10 else None


def _optional(module: str, function: str) -> Any:
    """A generator function from another build_tools module, or None when it is not there."""
    try:
        return getattr(importlib.import_module(f"build_tools.{module}"), function, None)
    except ImportError:
        return None


def downloads(corpus: Corpus) -> dict[str, str]:
    """Whole-base files (evidence.bib, .ris, .csl.json, .json, studies.csv) by file name."""
    export = _optional("citations", "downloads")
    return dict(export(corpus)) if export else {}


def figures(corpus: Corpus, grades: Mapping[str, Any]) -> dict[str, str]:
    """Figures drawn from the records (SVG and their page), docs-relative path -> content."""
    draw = _optional("figures", "render_figures")
    return dict(draw(corpus, grades)) if draw else {}


def build_site(evidence_dir: Path = EVIDENCE_DIR, root: Path = ROOT, docs_dir: Path = DOCS_DIR,
               *, fmt: str = "text", out: TextIO = sys.stdout,
               err: TextIO = sys.stderr) -> tuple[int, WriteReport | None]:
    """Check, then grade, render and write; (1, None) with problems printed when check fails."""
    result = check(evidence_dir=evidence_dir, root=root)
    if not result.ok:
        errors = [p for p in result.problems if p.severity == "error"]
        err.write(FORMATTERS[fmt](errors, result.files_checked))
        err.write("evidence build: not building while the records have errors "
                  "(run `evidence check` for warnings too)\n")
        return 1, None
    corpus = build_corpus(result)
    grades = grade_all(corpus)
    pages = render_site(corpus, grades, summary_of_findings(corpus, grades),
                        last_updated=last_updated(root), downloads=downloads(corpus),
                        extra=figures(corpus, grades))
    report = write_tree(pages, docs_dir)
    return 0, report


def run(args: argparse.Namespace) -> int:
    """Build the generated pages; 0 written, 1 when the records have errors."""
    started = time.perf_counter()
    code, report = build_site(fmt=output_format(args.format))
    if report is not None and not args.quiet:
        sys.stdout.write(f"evidence build: {len(report.written)} written, "
                         f"{len(report.unchanged)} unchanged, {len(report.removed)} removed "
                         f"in {time.perf_counter() - started:.2f} s\n")
    return code
