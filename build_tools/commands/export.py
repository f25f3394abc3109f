"""`evidence export [--out DIR]`: write the whole-base downloads (BibTeX, RIS, CSL-JSON, JSON, CSV)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_tools.check.runner import check
from build_tools.cite.exports import render_downloads
from build_tools.grade.rules import grade_all
from build_tools.paths import EVIDENCE_DIR
from build_tools.problems import format_text
from build_tools.records.model import build_corpus
from build_tools.site.writer import UnsafePath, refuse_links


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the export sub-command."""
    parser = subparsers.add_parser("export", help="write evidence.bib, .ris, .csl.json, .json and "
                                                  "studies.csv to a folder")
    parser.add_argument("--out", type=Path, default=Path("downloads"),
                        help="folder to write into (default: ./downloads); other files are kept")
    parser.add_argument("--evidence-dir", type=Path, default=EVIDENCE_DIR,
                        help="the evidence folder to read (default: this repository's)")


def run(args: argparse.Namespace) -> int:
    """Check, then write the files; 1 when the records have errors or the folder is not writable."""
    result = check(evidence_dir=args.evidence_dir, root=args.evidence_dir.parent)
    if not result.ok:
        sys.stderr.write(format_text([p for p in result.problems if p.severity == "error"],
                                     result.files_checked))
        sys.stderr.write("evidence export: not exporting while the records have errors\n")
        return 1
    corpus = build_corpus(result.records)
    files = render_downloads(corpus, grade_all(corpus))
    targets = [args.out / Path(name).name for name in files]
    try:
        refuse_links([args.out, *targets])  # a planted link would send the files elsewhere
        args.out.mkdir(parents=True, exist_ok=True)
        for target, text in zip(targets, files.values(), strict=True):
            target.write_text(text, encoding="utf-8")
    except UnsafePath as exc:
        sys.stderr.write(f"{exc}\nevidence export: nothing written\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"evidence export: cannot write to {args.out}: {exc.strerror}\n")
        return 1
    sys.stdout.write(f"wrote {len(files)} files to {args.out}: "
                     f"{', '.join(Path(n).name for n in files)}\n")
    return 0
