"""The `evidence` command: a thin dispatcher over the modules in build_tools.commands."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from build_tools.paths import SCHEMA_DIR

# Sub-commands in help order; each lives in build_tools/commands/<name>.py.
COMMANDS = ("check", "new", "build", "serve", "cite", "import_bib", "export", "diff", "links",
            "watch", "scan")


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line message (never a traceback)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"evidence: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, object]]:
    """The argument parser with every available sub-command registered."""
    parser = _Parser(prog="evidence", description="Check, grade, render and cite the ketamine-"
                     "for-CRPS evidence base.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    modules = {}
    for name in COMMANDS:
        module = importlib.import_module(f"build_tools.commands.{name}")
        module.register(subparsers)
        modules[name.replace("_", "-")] = module
    return parser, modules


# Exit code for a broken installation: one of our own modules does not import.
BROKEN = 3


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 problems, 2 usage, 3 broken)."""
    if not SCHEMA_DIR.is_dir():  # an installed copy run outside any checkout of the base
        sys.stderr.write(f"evidence: no evidence/schema at or above {Path.cwd()}; run the command "
                         "inside a checkout of the evidence base\n")
        return 2
    try:
        parser, modules = build_parser()
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help(sys.stderr)
            return 2
        return int(modules[args.command].run(args) or 0)
    except ImportError as exc:  # our own code is broken: say which module, never a traceback
        where = getattr(exc, "name", None) or str(exc)
        sys.stderr.write(f"evidence: internal error: cannot import {where} ({exc}); "
                         "the installation is broken, nothing was built\n")
        return BROKEN
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
