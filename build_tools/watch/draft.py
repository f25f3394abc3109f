"""The draft search record the watch writes: YAML in the search schema's shape, each candidate
without a decision (a person screens it), written to a new file and never over an old one."""

from __future__ import annotations

from pathlib import Path

import yaml

from build_tools.paths import EVIDENCE_DIR, modeline
from build_tools.records.files import display_path
from build_tools.records.schema import pattern
from build_tools.watch.model import InputError, WatchResult
from build_tools.watch.queries import QuerySet

NOTES_MAX = 4000  # the schema's limit for notes
HEADER = """\
# DRAFT written by `evidence watch`: the candidates below are NOT screened yet.
# Screen each one and add its decision: `decision: included` or `duplicate` with `study: ID`,
# or `decision: excluded` with `exclusion:` (a category of the protocol) and `reason:`.
# `evidence check` refuses this file until every candidate has a decision.
"""
DATABASE = ("PubMed (NCBI E-utilities esearch and esummary, by Entrez date) and ClinicalTrials.gov "
            "(API v2, by last update posted), queried live by `evidence watch`")


def query_text(queries: QuerySet, result: WatchResult) -> str:
    """The record's query: which families, from which file version, over which window."""
    names = ", ".join(f.id for f in queries.families)
    names = f": {names}" if len(names) < 600 else ""  # the schema allows 1000 characters
    return (f"The {len(queries.families)} query families of {queries.display} (SHA-256 "
            f"{queries.sha256[:16]}){names}; PubMed records added and ClinicalTrials.gov "
            f"records updated from {result.since} to {result.until}")


def notes_text(result: WatchResult) -> str:
    """Counts per family, the records left out and why, and any warning; within the limit."""
    per_family = "; ".join(f"{o.family} ({'PubMed' if o.source == 'pubmed' else 'CT.gov'}) "
                           f"{o.count}" for o in result.outcomes)
    parts = [f"Matches per family: {per_family}." if per_family else "",
             f"{result.returned} distinct records returned; {len(result.dropped)} already "
             f"screened or in the base were left out, {len(result.new)} are new candidates."]
    parts += [f"Warning: {w}." for o in result.outcomes for w in o.warnings]
    text = " ".join(p for p in parts if p)
    listed: list[str] = []
    budget = NOTES_MAX - len(text) - 60  # room kept for " Left out: ...; and N more."
    for d in result.dropped:
        name = "PMID" if d.found.source == "pubmed" else "registry record"
        entry = f"{name} {d.found.key} ({d.why})"
        if sum(len(e) + 2 for e in listed) + len(entry) > budget:
            break
        listed.append(entry)
    if result.dropped:
        more = len(result.dropped) - len(listed)
        text += " Left out: " + "; ".join(listed) + (f"; and {more} more." if more else ".")
    return text[:NOTES_MAX]


def render(record_id: str, queries: QuerySet, result: WatchResult) -> str:
    """The draft record's text."""
    body = {"id": record_id, "database": DATABASE, "method": "watch",
            "query": query_text(queries, result), "date": result.until, "hits": result.returned,
            "notes": notes_text(result),
            "candidates": [{"label": f.label, "url": f.url} for f in result.new]}
    dumped = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)
    return modeline("search") + "\n" + HEADER + dumped


def default_path(until: str, folder: Path = EVIDENCE_DIR / "search") -> Path:
    """evidence/search/watch-<date>.yaml, or -2, -3... when that name is taken."""
    path, n = folder / f"watch-{until}.yaml", 1
    while path.exists():
        n += 1
        path = folder / f"watch-{until}-{n}.yaml"
    return path


def check_path(path: Path) -> str:
    """The record id a path gives; InputError when the path cannot take a new record."""
    shown = display_path(path)
    if path.suffix != ".yaml" or not pattern("id").match(path.stem) or len(path.stem) > 80:
        raise InputError(f"{shown}: a search record's file name is its id: lower-case letters, "
                         "digits and single hyphens, ending in .yaml")
    if path.exists() or path.is_symlink():
        raise InputError(f"{shown}: the file exists; the watch never overwrites a record")
    if not path.parent.is_dir():
        raise InputError(f"{shown}: folder {display_path(path.parent)} does not exist")
    return path.stem


def write_new(path: Path, text: str) -> None:
    """Create the file; refuse (InputError) if it appeared meanwhile: never overwrite."""
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise InputError(f"{display_path(path)}: the file exists; the watch never overwrites "
                         "a record") from None
    except OSError as exc:
        raise InputError(f"{display_path(path)}: cannot write: {exc.strerror or exc}") from None
