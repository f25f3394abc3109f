"""`evidence cite ID [--style ...]`: print one study's citation (AMA, Vancouver, BibTeX, RIS, CSL)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_tools.check.runner import check
from build_tools.cite.formats import FORMATS, format_citation
from build_tools.commands.new import ID_PATTERN
from build_tools.paths import EVIDENCE_DIR, KINDS
from build_tools.problems import format_text
from build_tools.records.model import build_corpus
from build_tools.text import did_you_mean


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the cite sub-command."""
    parser = subparsers.add_parser("cite", help="print a study's citation (AMA, Vancouver, BibTeX, "
                                                "RIS or CSL-JSON)")
    parser.add_argument("id", help="study id, e.g. sigtermans-2009")
    parser.add_argument("--style", choices=FORMATS, default="ama", help="output style (default: ama)")
    parser.add_argument("--evidence-dir", type=Path, default=EVIDENCE_DIR,
                        help="the evidence folder to read (default: this repository's)")


def suggestion(wanted: str, known: list[str]) -> str:
    """'; did you mean a, b?' for close ids, or '' when none is close."""
    close = did_you_mean(wanted, known, n=3)
    return f"; did you mean {', '.join(close)}?" if close else ""


def run(args: argparse.Namespace) -> int:
    """Print the citation; 1 for an unknown id or a record with errors."""
    folder = args.evidence_dir / KINDS["study"][0]
    path = folder / f"{args.id}.yaml"
    # The id must look like one, so "../claims/x" cannot reach a file of another kind.
    if not ID_PATTERN.match(args.id) or not path.is_file():
        known = sorted(p.name[:-5] for p in folder.glob("*.yaml"))
        sys.stderr.write(f"evidence cite: no study '{args.id}'"
                         f"{suggestion(args.id.lower(), known)}\n")
        return 1
    result = check([path])
    errors = [p for p in result.problems if p.severity == "error"]
    if errors:
        sys.stderr.write(format_text(errors, result.files_checked))
        sys.stderr.write(f"evidence cite: '{args.id}' has errors; fix them first\n")
        return 1
    study = build_corpus(result.records).studies[args.id]
    sys.stdout.write(format_citation(study, args.style))
    return 0
