"""`evidence watch`: new PubMed and ClinicalTrials.gov records since the last search, written as
a draft search record for a person to screen. Uses the network, so it runs on a schedule."""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: the watch package is imported when the command runs
    from build_tools.watch.session import Options

EMAIL_VARIABLE = "EVIDENCE_WATCH_EMAIL"
KEY_VARIABLE = "NCBI_API_KEY"
TOOL = "ketamine-crps-evidence"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EXIT_CODES = """\
exit codes:
  0  every query answered: a draft was written, or nothing new was found (no file)
  1  a query got no usable answer (network, time-out, rate limit, malformed reply): nothing
     is written, and the next run asks for the same window again
  2  usage or input problem (options, queries file, a record that does not load, an
     output path that exists)
  3  the installation is broken (one of the tool's own modules does not import)
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the watch sub-command (its network modules are imported only when it runs)."""
    parser = subparsers.add_parser(
        "watch", help="look for new PubMed and ClinicalTrials.gov records (uses the network)",
        description="Run the protocol's query families (build_tools/watch/queries.yaml) on "
                    "PubMed (E-utilities) and ClinicalTrials.gov (API v2) for records newer "
                    "than the last search, leave out those already screened or in the base, "
                    "and write the rest as a draft search record (method: watch) for a person "
                    "to screen. Never overwrites a file.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help="where to write the draft (default: evidence/search/watch-DATE.yaml,"
                             " with -2, -3... if taken); must not exist")
    parser.add_argument("--since", metavar="YYYY-MM-DD",
                        help="start of the window (default: the date of the last watch record, "
                             "else of the last search record)")
    parser.add_argument("--today", metavar="YYYY-MM-DD",
                        help="end of the window and the record's date (default: today, UTC)")
    parser.add_argument("--email", default=os.environ.get(EMAIL_VARIABLE), metavar="ADDRESS",
                        help=f"contact address sent to NCBI with every request, as NCBI asks "
                             f"(default: ${EMAIL_VARIABLE}); ${KEY_VARIABLE}, if set, is sent "
                             "as the API key (10 requests/s instead of 3)")
    parser.add_argument("--queries", type=Path, metavar="FILE",
                        help="the query families (default: build_tools/watch/queries.yaml)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="S",
                        help="seconds to wait for each answer (default: 30)")
    parser.add_argument("--replay", type=Path, metavar="FILE",
                        help="answer from recorded replies (JSON) instead of the network")
    parser.add_argument("--record", type=Path, metavar="FILE",
                        help="write every reply seen to FILE, for a later --replay")
    parser.add_argument("--summary", type=Path, metavar="FILE",
                        help="also write a Markdown summary (the weekly pull request's body)")
    parser.add_argument("--dry-run", action="store_true",
                        help="report what is new, write no draft")


def _day(text: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option as a date; ValueError names the option."""
    if text is None:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"{option} must be a date as YYYY-MM-DD, not {text!r}")


def run(args: argparse.Namespace) -> int:
    """Run the watch; the exit codes are listed in EXIT_CODES."""
    # Imported here, not at the top: `evidence check` and `build` must never load network code.
    from build_tools.watch.model import InputError
    from build_tools.watch.session import watch

    try:
        options = _options(args)
        return watch(options, sys.stdout, sys.stderr)
    except (InputError, ValueError) as exc:
        sys.stderr.write(f"evidence watch: {exc}\n")
        return 2


def _options(args: argparse.Namespace) -> Options:
    """The command line checked and turned into the session's options."""
    from build_tools.watch.session import Options

    if args.timeout <= 0:
        raise ValueError("--timeout must be a positive number of seconds")
    email = (args.email or "").strip()
    if not args.replay and not EMAIL.match(email):
        raise ValueError(f"NCBI asks every E-utilities caller for a contact address: give "
                         f"--email or set ${EMAIL_VARIABLE}")
    today = _day(args.today, "--today") or datetime.now(UTC).date()
    return Options(since=_day(args.since, "--since"), today=today, email=email or
                   "replay@example.invalid", api_key=os.environ.get(KEY_VARIABLE) or None,
                   tool=TOOL, queries=args.queries, out=args.out, timeout=args.timeout,
                   replay=args.replay, record=args.record, summary=args.summary,
                   dry_run=args.dry_run)
