"""`evidence check [PATHS]`: validate records and print positioned problems."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from build_tools.check.runner import check
from build_tools.problems import FORMATTERS


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the check sub-command."""
    parser = subparsers.add_parser("check", help="validate records; print file:line:col problems")
    parser.add_argument("paths", nargs="*", type=Path,
                        help="record files or folders (default: the whole evidence base)")
    parser.add_argument("--format", choices=sorted(FORMATTERS), default=None,
                        help="output format (default: github under GitHub Actions, else text)")
    parser.add_argument("--strict", action="store_true", help="warnings also fail the check")


def output_format(requested: str | None) -> str:
    """The format asked for, or github when running under GitHub Actions."""
    if requested:
        return requested
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def run(args: argparse.Namespace) -> int:
    """Check and report; 0 clean, 1 problems."""
    result = check(args.paths or None)
    sys.stdout.write(FORMATTERS[output_format(args.format)](result.problems, result.files_checked))
    failing = [p for p in result.problems if p.severity == "error" or args.strict]
    return 1 if failing else 0
