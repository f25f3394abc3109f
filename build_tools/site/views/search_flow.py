"""View data for the PRISMA flow on the literature-search page: the steps in total, and one
column per search method. Every number comes from records/prisma.py, none is typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from build_tools.records.model import Corpus
from build_tools.records.prisma import UNCATEGORISED, Box, Flow, chased_without_entries, corpus_flow
from build_tools.site import words as labels
from build_tools.site.markup import Md, html_text, md, trusted
from build_tools.text import number

# Short column headings: the schema's titles are sentences in a table this wide.
METHOD_HEADINGS = {"database-search": "Database search", "registry": "Registries",
                   "backward-citation": "Backward chasing", "forward-citation": "Forward chasing",
                   "watch": "Watch"}


def reason_word(reason: str) -> str:
    """The display word of an exclusion category (its schema title)."""
    return "No category recorded" if reason == UNCATEGORISED else labels.word(reason)


def _steps(total: Box) -> list[tuple[str, str]]:
    """The flow in total, one (step, count) per PRISMA box."""
    missing = f"; hits not recorded for {total.hits_missing}" if total.hits_missing else ""
    repeats = (f", {number(total.repeat_inclusions)} of them a study already included by another "
               "search") if total.repeat_inclusions else ""
    return [
        ("Records identified",
         f"{number(total.identified)} from {number(total.searches)} searches (the searches "
         f"returned {number(total.hits)} results as recorded{missing})"),
        ("Duplicates set aside", number(total.duplicates)),
        ("Records screened", number(total.screened)),
        ("Excluded after screening", f"{number(total.excluded)} (by reason in the flow by method)"),
        ("Included", f"{number(total.included)} records{repeats}: "
                     f"{number(len(total.studies))} distinct study records"),
    ]


def _rows(flow: Flow) -> list[dict[str, Any]]:
    """The table by method: one row per box, one cell per method and the total."""
    boxes = (*flow.boxes, flow.total)

    def row(step: str, values: list[int], *, sub: bool = False) -> dict[str, Any]:
        shown = f"&nbsp;&nbsp;&nbsp;{md(step)}" if sub else f"**{md(step)}**"
        return {"step": trusted(shown), "cells": trusted(" | ".join(md(number(v)) for v in values))}

    rows = [row("Searches recorded", [b.searches for b in boxes]),
            row("Results returned (hits)", [b.hits for b in boxes], sub=True),
            row("Records identified", [b.identified for b in boxes]),
            row("Duplicates set aside", [b.duplicates for b in boxes]),
            row("Records screened", [b.screened for b in boxes]),
            row("Excluded", [b.excluded for b in boxes])]
    for i, (reason, _) in enumerate(flow.total.excluded_by_reason):
        rows.append(row(reason_word(reason), [b.excluded_by_reason[i][1] for b in boxes],
                        sub=True))
    rows += [row("Included", [b.included for b in boxes]),
             row("Distinct study records", [len(b.studies) for b in boxes], sub=True)]
    return rows


def flow_sentence(total: Box) -> str:
    """The whole flow in one sentence: the figure's text alternative."""
    return (f"Flow diagram of the literature search: {number(total.identified)} records "
            f"identified from {number(total.searches)} searches, {number(total.duplicates)} "
            f"duplicates set aside, {number(total.screened)} screened, {number(total.excluded)} "
            f"excluded, {number(total.included)} included, naming {number(len(total.studies))} "
            "distinct study records.")


def _count(n: int, one: str, many: str) -> str:
    """'1 study record appears' / '2 study records appear'."""
    return f"{number(n)} {one if n == 1 else many}"


def _studies_sentence(flow: Flow, study_list: Callable[[tuple[str, ...]], Md]) -> Md:
    """How the study records of the base relate to the searches, in one sentence."""
    parts = [f"The evidence base holds {_count(flow.studies_in_base, 'study record', 'study records')}"
             f": {number(len(flow.total.studies))} included through a search record"]
    if flow.only_as_duplicate:
        parts.append(f"{_count(len(flow.only_as_duplicate), 'appears', 'appear')} in the search "
                     f"records only as a duplicate of a record already in the base "
                     f"({study_list(flow.only_as_duplicate)})")
    if flow.not_in_searches:
        parts.append(f"{_count(len(flow.not_in_searches), 'came', 'came')} from elsewhere (the "
                     f"web texts the claims come from) and appear in no search record "
                     f"({study_list(flow.not_in_searches)})")
    return trusted(", ".join(parts) + ".")


def flow_view(corpus: Corpus, study_list: Callable[[tuple[str, ...]], Md]) -> dict[str, Any]:
    """Everything the page shows of the flow; study_list links study ids to their pages."""
    flow = corpus_flow(corpus)
    chased, unread = chased_without_entries(corpus)
    return {
        "flow": [{"step": html_text(s), "count": html_text(c)} for s, c in _steps(flow.total)],
        "flow_heads": trusted(" | ".join(
            [md(METHOD_HEADINGS.get(b.method, labels.word(b.method))) for b in flow.boxes]
            + [md("All")])),
        "flow_align": trusted("|".join("---:" for _ in range(len(flow.boxes) + 1))),
        "flow_rows": _rows(flow),
        "figure_alt": md(flow_sentence(flow.total)),
        "studies": _studies_sentence(flow, study_list),
        "n_backward": md(number(chased)), "n_backward_unread": md(number(unread)),
        "n_uncategorised": md(number(dict(flow.total.excluded_by_reason)[UNCATEGORISED])),
    }
