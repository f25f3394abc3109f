"""`evidence new study|claim|source|search ID`: write an annotated template."""

from __future__ import annotations

import argparse
import re
import sys

from build_tools.paths import EVIDENCE_DIR, KINDS
from build_tools.records.templates import template
from build_tools.site.writer import UnsafePath, refuse_links

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the new sub-command."""
    parser = subparsers.add_parser("new", help="write an annotated template for a new record")
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("id", help="kebab-case id, e.g. sigtermans-2009")
    parser.add_argument("--stdout", action="store_true", help="print instead of writing")


def run(args: argparse.Namespace) -> int:
    """Write the template; refuse bad ids and existing files."""
    if not ID_PATTERN.match(args.id) or len(args.id) > 80:
        sys.stderr.write(f"evidence new: '{args.id}' is not a valid id "
                         "(lower-case letters, digits and single hyphens, e.g. sigtermans-2009)\n")
        return 2
    text = template(args.kind, args.id)
    if args.stdout:
        sys.stdout.write(text)
        return 0
    path = EVIDENCE_DIR / KINDS[args.kind][0] / f"{args.id}.yaml"
    try:
        refuse_links([path])  # a dangling link at the new record would create a file elsewhere
        with path.open("x", encoding="utf-8") as handle:  # never over an existing record
            handle.write(text)
    except UnsafePath as exc:
        sys.stderr.write(f"{exc}\nevidence new: nothing written\n")
        return 1
    except FileExistsError:
        sys.stderr.write(f"evidence new: {path} already exists; it was not changed\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"evidence new: cannot write {path}: {exc.strerror}\n")
        return 1
    sys.stdout.write(f"wrote {path}\nfill in every TODO, then run: evidence check {path}\n")
    return 0
