"""`evidence build`: check, grade and render the evidence base into the site's generated pages."""

from __future__ import annotations

import argparse
import sys
import time

from build_tools.commands.check import output_format
from build_tools.problems import FORMATTERS


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the build sub-command."""
    parser = subparsers.add_parser(
        "build", help="check, grade and render the records into docs/ (then: mkdocs build)")
    parser.add_argument("--format", choices=sorted(FORMATTERS), default=None,
                        help="problem output format (default: github under GitHub Actions)")
    parser.add_argument("--quiet", action="store_true", help="print nothing unless it fails")


def run(args: argparse.Namespace) -> int:
    """Build the generated pages; 0 written, 1 when the records have errors."""
    from build_tools.pipeline import build  # here, not on top: every command would load matplotlib
    from build_tools.site.writer import UnsafePath

    started = time.perf_counter()
    try:
        built = build()
    except UnsafePath as exc:  # a planted symbolic link where the build writes
        sys.stderr.write(f"{exc}\nevidence build: stopped; nothing was written through it\n")
        return 1
    if built.report is None:
        errors = [p for p in built.check.problems if p.severity == "error"]
        sys.stderr.write(FORMATTERS[output_format(args.format)](errors, built.check.files_checked))
        sys.stderr.write("evidence build: not building while the records have errors "
                         "(run `evidence check` for warnings too)\n")
        return 1
    if not args.quiet:
        report = built.report
        sys.stdout.write(f"evidence build: {len(report.written)} written, "
                         f"{len(report.unchanged)} unchanged, {len(report.removed)} removed "
                         f"in {time.perf_counter() - started:.2f} s\n")
    return 0
