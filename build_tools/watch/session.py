"""The watch as the command runs it: read the queries and the base, ask the services, write the
draft (never over a file) and the summary, say what happened. Returns the exit code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from build_tools.records.files import display_path
from build_tools.watch import draft, summary
from build_tools.watch.dedupe import load_screened
from build_tools.watch.http import Transport, urllib_transport
from build_tools.watch.model import InputError
from build_tools.watch.pubmed import Identity
from build_tools.watch.queries import QUERIES_FILE, load_queries
from build_tools.watch.replay import Recorder, ReplayTransport, load_replies
from build_tools.watch.run import make_client, run_watch


@dataclass(frozen=True)
class Options:
    """The command line, checked."""

    since: date | None
    today: date
    email: str
    api_key: str | None
    tool: str
    queries: Path | None = None
    out: Path | None = None
    timeout: float = 30.0
    replay: Path | None = None
    record: Path | None = None
    summary: Path | None = None
    dry_run: bool = False


def _since(options: Options, last: str | None) -> date:
    """The window's start: the option, else the last search's date."""
    if options.since:
        since = options.since
    elif last:
        since = date.fromisoformat(last)
    else:
        raise InputError("no search record gives a date to start from; give --since")
    if since > options.today:
        raise InputError(f"the window starts ({since}) after it ends ({options.today})")
    return since


def _transport(options: Options) -> Transport:
    """Recorded replies, or the network."""
    return ReplayTransport(load_replies(options.replay)) if options.replay else urllib_transport


def watch(options: Options, out: TextIO, err: TextIO) -> int:
    """One run of the watch, start to end."""
    queries = load_queries(options.queries or QUERIES_FILE)
    seen = load_screened()
    since = _since(options, seen.last_search)
    path = None if options.dry_run else (
        options.out if options.out else draft.default_path(options.today.isoformat()))
    record_id = draft.check_path(path) if path else ""  # refuse a taken path before asking
    transport = _transport(options)
    recorder = Recorder(transport) if options.record else None
    who = Identity(options.tool, options.email, options.api_key)
    client = make_client(recorder or transport, who, options.timeout)
    result = run_watch(queries, seen, client, who, since, options.today)
    if recorder and options.record:
        recorder.write(options.record)
    out.write(summary.report(result, len(queries.families), client.requests))
    if result.failures:
        err.writelines(f"evidence watch: {f}\n" for f in result.failures)
        err.write("evidence watch: nothing written; the next run asks for the same window "
                  "again\n")
        return 1
    written = None
    if path and result.new:
        draft.write_new(path, draft.render(record_id, queries, result))
        written = display_path(path)
        out.write(f"Draft written: {written} ({len(result.new)} candidates to screen)\n")
    elif not result.new:
        out.write("Nothing new since the last search: no draft written.\n")
    if options.summary:
        try:
            options.summary.write_text(summary.markdown(result, written), encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{options.summary}: cannot write: {exc.strerror or exc}") from None
    return 0
