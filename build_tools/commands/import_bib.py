"""`evidence import-bib FILE.bib [--dry-run]`: turn a BibTeX export into study stubs with TODOs
(entries with problems are reported and left out; the others are imported)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_tools.cite.bibimport import plan_import, write_stubs
from build_tools.commands.check import output_format
from build_tools.paths import EVIDENCE_DIR
from build_tools.problems import FORMATTERS
from build_tools.records.files import display_path
from build_tools.text import printable


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the import-bib sub-command."""
    parser = subparsers.add_parser("import-bib", help="create study stubs from a BibTeX file "
                                                      "(never overwrites a record)")
    parser.add_argument("file", type=Path, help="a .bib export from PubMed, Zotero or a journal")
    parser.add_argument("--dry-run", action="store_true", help="report what would be written")
    parser.add_argument("--evidence-dir", type=Path, default=EVIDENCE_DIR,
                        help="the evidence folder to add to (default: this repository's)")
    parser.add_argument("--format", choices=sorted(FORMATTERS), default=None,
                        help="problem output format (default: github under GitHub Actions)")


def run(args: argparse.Namespace) -> int:
    """Plan, report duplicates and problems, then write the stubs of the entries that can be
    imported (all of them or none); 1 when an entry or the file had a problem."""
    plan = plan_import(args.file, args.evidence_dir)
    source = display_path(args.file)
    for dup in plan.duplicates:
        sys.stdout.write(f"{source}:{dup.line}:1: skipped '{printable(dup.key)}': already in the "
                         f"evidence base as {dup.existing} (same {dup.by})\n")
    if plan.problems:
        sys.stderr.write(FORMATTERS[output_format(args.format)](plan.problems, 1))
    if args.dry_run:
        for stub in plan.stubs:
            sys.stdout.write(f"would write {display_path(stub.path)} (entry '{printable(stub.key)}', "
                             f"line {stub.line})\n")
        return 1 if plan.problems else 0
    try:
        written = write_stubs(plan)
    except FileExistsError as exc:
        sys.stderr.write(f"evidence import-bib: {exc.filename} appeared meanwhile; it was not "
                         "changed, and nothing was written\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"evidence import-bib: cannot write {exc.filename}: {exc.strerror}; "
                         "nothing written\n")
        return 1
    for path in written:
        sys.stdout.write(f"wrote {display_path(path)}\n")
    if plan.problems:
        sys.stderr.write(f"evidence import-bib: wrote {len(written)} of {plan.entries} entries "
                         f"({len(plan.duplicates)} already there); fix the problems above and run "
                         "it again: entries imported now are then skipped as duplicates\n")
        return 1
    if written:
        sys.stdout.write("fill in every TODO, then run: evidence check "
                         + " ".join(display_path(p) for p in written) + "\n")
    else:
        sys.stdout.write("no new studies to add\n")
    return 0
