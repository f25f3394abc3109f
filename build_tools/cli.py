"""The `evidence` command: a thin dispatcher over the modules in build_tools.commands."""

from __future__ import annotations

import argparse
import importlib
import sys

# Sub-commands in help order; each lives in build_tools/commands/<name>.py.
COMMANDS = ("check", "new", "build", "serve", "cite", "import_bib", "export", "diff", "links")


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
        try:
            module = importlib.import_module(f"build_tools.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"build_tools.commands.{name}":
                raise
            continue
        module.register(subparsers)
        modules[name.replace("_", "-")] = module
    return parser, modules


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 problems, 2 usage)."""
    parser, modules = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(modules[args.command].run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
