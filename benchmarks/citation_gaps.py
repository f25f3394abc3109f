"""Citation gaps: per journal-article study, which bibliographic fields a reference line lacks.

    python benchmarks/citation_gaps.py [--evidence-dir evidence]

Prints a Markdown table of every journal article missing any of volume, issue, pages, DOI, PMID
or month, then the totals. "-" marks a missing field, "nr" one the record lists in not_reported
(the sources read did not give it), "" one that is there. An article online ahead of print
(online_ahead_of_print: true) has no volume, issue or pages to find, and its month is the online
date's: those are not gaps. Reads the records only; nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from build_tools.cite.csl import date_parts  # noqa: E402
from build_tools.records import files  # noqa: E402
from build_tools.records.model import Study, build_corpus  # noqa: E402

FIELDS = ("volume", "issue", "pages", "doi", "pmid", "month")
NOT_REPORTED_NAMES = {"doi": "ids.doi", "pmid": "ids.pmid"}


@dataclass(frozen=True)
class Gaps:
    """One article's missing fields: field -> 'missing' or 'not_reported'."""

    study: str
    missing: dict[str, str]


def _present(study: Study, field: str) -> bool:
    """Whether the record gives the field (or, for an online-ahead-of-print article, needs none)."""
    online = date_parts(study.online_date)
    if study.online_ahead_of_print and online:
        if field in ("volume", "issue", "pages"):
            return True
        if field == "month":
            return len(online) >= 2 or bool(study.month)
    if field in ("doi", "pmid"):
        return bool((study.ids or {}).get(field))
    return bool(getattr(study, field))


def gaps(studies: list[Study]) -> list[Gaps]:
    """The gaps of every journal article, in id order."""
    out = []
    for study in sorted(studies, key=lambda s: s.id):
        if study.publication_type != "journal-article":
            continue
        missing = {f: ("not_reported" if NOT_REPORTED_NAMES.get(f, f) in study.not_reported
                       else "missing") for f in FIELDS if not _present(study, f)}
        out.append(Gaps(study.id, missing))
    return out


def table(rows: list[Gaps]) -> str:
    """The Markdown table of articles with a gap, and a totals line per field."""
    mark = {"missing": "-", "not_reported": "nr"}
    lines = ["| study | " + " | ".join(FIELDS) + " |", "|---" * (len(FIELDS) + 1) + "|"]
    for row in rows:
        if row.missing:
            cells = [mark.get(row.missing.get(f, ""), "") for f in FIELDS]
            lines.append(f"| {row.study} | " + " | ".join(cells) + " |")
    totals = [sum(f in r.missing for r in rows) for f in FIELDS]
    listed = [sum(r.missing.get(f) == "not_reported" for r in rows) for f in FIELDS]
    lines.append("| **missing (of which nr)** | "
                 + " | ".join(f"{t} ({n})" for t, n in zip(totals, listed, strict=True)) + " |")
    complete = sum(not r.missing for r in rows)
    lines.append("")
    lines.append(f"journal articles: {len(rows)}; complete: {complete}; with a gap: {len(rows) - complete}; "
                 f"gaps: {sum(totals)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the gap table of the evidence base."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evidence-dir", type=Path, default=REPO / "evidence")
    args = parser.parse_args(argv)
    study_files = [f for f in files.discover(args.evidence_dir) if f.kind == "study"]
    records, problems = files.load(study_files, args.evidence_dir.parent)
    for problem in problems:
        print(f"skipped: {problem.file}:{problem.line}: {problem.message}", file=sys.stderr)
    print(table(gaps(list(build_corpus(records).studies.values()))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
