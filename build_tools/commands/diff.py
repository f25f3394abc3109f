"""`evidence diff [REV1 [REV2]]`: what changed in the evidence, ready for a pull-request comment."""

from __future__ import annotations

import argparse
import html
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from build_tools.diff import MISSING, RULES, Changes, GitError, compare

KIND_TITLES = {"study": "Studies", "claim": "Claims", "source": "Sources", "search": "Searches"}
WIDTH = 100  # longest value shown in a table cell; long texts are cut with an ellipsis


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the diff sub-command."""
    parser = subparsers.add_parser(
        "diff", help="what changed in the evidence between two git revisions",
        description="Compare the evidence at REV1 (default: the last commit, HEAD) with REV2 "
                    "(default: the working tree): records added, removed or changed field by "
                    "field, and claims whose verdict or certainty changed.")
    parser.add_argument("rev1", metavar="REV1", nargs="?", default="HEAD",
                        help="the earlier revision, e.g. origin/main (default: HEAD)")
    parser.add_argument("rev2", metavar="REV2", nargs="?", default=None,
                        help="the later revision (default: the working tree)")
    parser.add_argument("--format", choices=("markdown", "text", "json"), default="markdown",
                        help="output format (default: markdown, for a pull-request comment)")
    parser.add_argument("--repo", type=Path, default=Path("."),
                        help="a folder inside the git repository (default: the current one)")
    parser.add_argument("--rules", choices=RULES, default="current",
                        help="grade committed revisions with today's rules (default) or with "
                             "each revision's own code, as its site showed them; 'own' runs "
                             "that revision's build_tools, so use it only on revisions you trust")


def _value(value: Any) -> str:
    """A field value on one line, cut to WIDTH characters."""
    if value is MISSING:
        return "(absent)"
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        text = ", ".join(str(v) for v in value) or "(empty list)"
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = "true" if value is True else "false" if value is False else str(value)
    text = " ".join(text.split())
    return text if len(text) <= WIDTH else text[:WIDTH - 1] + "…"


def _cell(value: Any) -> str:
    """A value made safe for a Markdown table cell (no pipes, tags or code spans break out)."""
    text = _value(value)
    for char, escaped in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;"),
                          ("`", "'"), ("*", "\\*"), ("_", "\\_"), ("[", "\\[")):
        text = text.replace(char, escaped)
    return text


def _code(text: str, *, in_table: bool = False) -> str:
    """Text as a Markdown code span (a backtick or, in a table, a pipe cannot break it)."""
    text = "`" + text.replace("`", "'") + "`"
    return text.replace("|", "\\|") if in_table else text


def _grade_word(value: str | None) -> str:
    """A verdict or certainty in words; a dash where the claim does not exist or is ungraded."""
    return value.replace("-", " ") if value else "—"


def _arrow(old: str | None, new: str | None) -> str:
    """'old → new', or just the value when it did not change."""
    return _grade_word(new) if old == new else f"{_grade_word(old)} → **{_grade_word(new)}**"


def format_markdown(changes: Changes) -> str:
    """A Markdown report for a pull-request comment or a job summary."""
    out = [f"### Evidence changes: {_title_rev(changes.old)} → {_title_rev(changes.new)}", ""]
    if not changes.records:
        out += ["No record in `evidence/` changed.", ""]
    if changes.grades:
        out += ["#### Claim verdicts", "", "| Claim | Verdict | Certainty |", "|---|---|---|"]
        out += [f"| {_code(g.claim, in_table=True)} | {_arrow(g.old_verdict, g.new_verdict)} | "
                f"{_arrow(g.old_certainty, g.new_certainty)} |" for g in changes.grades]
        out.append("")
    elif changes.grades is not None and changes.records:
        out += ["No claim changed verdict or certainty.", ""]
    for kind, title in KIND_TITLES.items():
        records = [r for r in changes.records if r.kind == kind]
        if not records:
            continue
        out += [f"#### {title}", ""]
        for r in records:
            label = f": {_cell(r.label)}" if r.label else ""
            out.append(f"- **{r.status}** {_code(r.id)}{label}")
        for r in (r for r in records if r.fields):
            out += ["", f"<details><summary><code>{html.escape(r.id)}</code>: {len(r.fields)} "
                    "field(s) changed</summary>", "", "| Field | Before | After |", "|---|---|---|"]
            out += [f"| {_code(f.path, in_table=True)} | {_cell(f.old)} | {_cell(f.new)} |"
                    for f in r.fields]
            out += ["", "</details>"]
        out.append("")
    for note in changes.notes:
        out += [f"> **Note:** {_cell(note)}", ""]
    return "\n".join(out).rstrip() + "\n"


def _title_rev(label: str) -> str:
    """A revision label for a heading: commit ids in code, 'working tree' as words."""
    return label if label == "working tree" else _code(label)


def format_text(changes: Changes) -> str:
    """A plain report: one line per record and per changed field."""
    out = [f"evidence changes: {changes.old} -> {changes.new}"]
    for g in changes.grades or ():
        moved = [f"{name} {_grade_word(old)} -> {_grade_word(new)}" for name, old, new in
                 (("verdict", g.old_verdict, g.new_verdict),
                  ("certainty", g.old_certainty, g.new_certainty)) if old != new]
        out.append(f"claim {g.claim}: {'; '.join(moved)}")
    for r in changes.records:
        out.append(f"{r.kind} {r.id}: {r.status}")
        out += [f"    {f.path}: {_value(f.old)} -> {_value(f.new)}" for f in r.fields]
    if not changes.records:
        out.append("no record changed")
    out += [f"note: {note}" for note in changes.notes]
    return "\n".join(out) + "\n"


def format_json(changes: Changes) -> str:
    """The whole comparison as JSON (absent values are null, with 'added'/'removed' status)."""
    def clean(value: Any) -> Any:
        if value is MISSING:
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    data = asdict(changes)
    for record in data["records"]:
        for change in record["fields"]:
            change["status"] = ("added" if change["old"] is MISSING else
                                "removed" if change["new"] is MISSING else "changed")
    return json.dumps(clean(data), indent=2, ensure_ascii=False, default=str) + "\n"


FORMATS = {"markdown": format_markdown, "text": format_text, "json": format_json}


def run(args: argparse.Namespace) -> int:
    """Compare and print; 0 on success, 2 when a revision or the repository cannot be read."""
    try:
        changes = compare(args.repo, args.rev1, args.rev2, rules=args.rules)
    except GitError as exc:
        sys.stderr.write(f"evidence diff: {exc}\n")
        return 2
    sys.stdout.write(FORMATS[args.format](changes))
    return 0
