"""`evidence links [PATHS]`: the network checks (DOI, PMID, NCT, URLs) for a scheduled job."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from build_tools.check import network as linkcheck
from build_tools.check.runner import check
from build_tools.commands.check import output_format


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the links sub-command."""
    parser = subparsers.add_parser(
        "links", help="check that DOIs, PMIDs, NCT ids and source URLs answer (uses the network)",
        description="Ask doi.org, PubMed, ClinicalTrials.gov and every verified_from/source "
                    "address whether they answer. Needs the network, so it runs on a schedule, "
                    "never as a pull-request gate. Exit 1 when something is definitely not "
                    "found (L101-L104); L105/L106 are warnings.")
    parser.add_argument("paths", nargs="*", type=Path,
                        help="record files or folders (default: the whole evidence base)")
    parser.add_argument("--timeout", type=float, default=20.0, metavar="S",
                        help="seconds to wait for each answer (default: 20)")
    parser.add_argument("--replay", type=Path, metavar="FILE",
                        help="answer from recorded responses (JSON: address -> status) instead "
                             "of the network")
    parser.add_argument("--record", type=Path, metavar="FILE",
                        help="write the responses seen to FILE, for a later --replay")
    parser.add_argument("--format", choices=("text", "github", "json"), default=None,
                        help="output format (default: github under GitHub Actions, else text)")
    parser.add_argument("--strict", action="store_true", help="warnings also fail the check")


def run(args: argparse.Namespace) -> int:
    """Check every address; 0 when nothing is definitely broken, 1 otherwise, 2 on bad input."""
    if args.timeout <= 0:
        sys.stderr.write("evidence links: --timeout must be a positive number of seconds\n")
        return 2
    if args.replay:
        try:
            fetch = linkcheck.replay_fetcher(linkcheck.load_responses(args.replay))
        except (OSError, ValueError) as exc:
            sys.stderr.write(f"evidence links: cannot read replay file {args.replay}: {exc}\n")
            return 2
    else:
        fetch = linkcheck.live_fetcher(timeout=args.timeout)
    # Records that fail to load are `evidence check`'s business; here they are simply skipped.
    found = linkcheck.targets(check(args.paths or None).records)
    problems, answers = linkcheck.run_checks(found, fetch)
    if args.record:
        recorded = {url: answers[url].to_json() for url in sorted(answers)
                    if answers[url].error != "not-recorded"}
        args.record.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(linkcheck.format_report(problems, len(answers), output_format(args.format)))
    return 1 if any(p.severity == "error" or args.strict for p in problems) else 0
