"""What the watch tells people: the terminal report, and a Markdown summary for the pull request
or issue the weekly workflow opens (titles from PubMed escaped, so they cannot format or ping)."""

from __future__ import annotations

import re

from build_tools.watch.model import WatchResult

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|@~])")


def escape(text: str) -> str:
    """Text shown literally in GitHub Markdown: no links, no formatting, no @mentions."""
    return _MARKDOWN.sub(r"\\\1", text)


def report(result: WatchResult, families: int, requests: int) -> str:
    """The terminal report: the window, each query's count, what is new."""
    lines = [f"evidence watch: PubMed and ClinicalTrials.gov, {result.since} to {result.until} "
             f"({families} query families, {requests} requests)"]
    for o in result.outcomes:
        service = "PubMed" if o.source == "pubmed" else "ClinicalTrials.gov"
        lines.append(f"  {o.family} ({service}): {o.count} matched")
        lines += [f"    warning: {w}" for w in o.warnings]
    lines.append(f"{result.returned} distinct records returned: {len(result.dropped)} already "
                 f"screened or in the base, {len(result.new)} new")
    lines += [f"  new: {f.label} <{f.url}>" for f in result.new]
    return "\n".join(lines) + "\n"


def markdown(result: WatchResult, draft: str | None) -> str:
    """The pull-request (or issue) body: what to do, then every candidate with its link."""
    lines = [f"`evidence watch` looked for records added to PubMed or updated on "
             f"ClinicalTrials.gov from {result.since} to {result.until}.", ""]
    if draft:
        lines += [f"**{len(result.new)} new candidates** are in `{draft}`, waiting for a person "
                  "to screen them: give each a `decision` (and `study`, or `exclusion` and "
                  "`reason`) as the protocol on the methods page says. `evidence check` fails "
                  "until every candidate has a decision.", ""]
    else:
        lines += ["No new candidates.", ""]
    lines += [f"- [{escape(f.label)}]({f.url})" for f in result.new]
    if result.dropped:
        lines += ["", f"{len(result.dropped)} records returned were already screened or in the "
                  "base and were left out (listed in the draft's notes)."]
    return "\n".join(lines).rstrip() + "\n"
