"""Problems: the Problem value and its output formats (the codes: problem_codes.py)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from build_tools.problem_codes import CODES
from build_tools.text import printable, shorten

SEVERITY_ORDER = {"error": 0, "warning": 1}


@dataclass(frozen=True, order=True)
class Problem:
    """One positioned problem: where, how bad, which code, what, and how to fix it."""

    file: str
    line: int
    col: int
    severity: str
    code: str
    message: str
    hint: str = ""


MAX_MESSAGE, MAX_HINT = 300, 500  # a value quoted from a 1 MB record must not flood the output


def problem(file: str, line: int, col: int, code: str, message: str, **hint_args: object) -> Problem:
    """Build a Problem from the catalogue, filling the code's hint template."""
    entry = CODES[code]
    try:
        hint = entry.hint.format(**hint_args) if hint_args or "{" not in entry.hint else ""
    except (KeyError, IndexError):
        hint = ""
    return Problem(printable(file), max(line, 1), max(col, 1), entry.severity, code,
                   printable(shorten(message, MAX_MESSAGE)), printable(shorten(hint, MAX_HINT)))


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Order by file, position, then code, with exact duplicates removed."""
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.col, p.code, p.message))


def summary_line(problems: list[Problem], files_checked: int) -> str:
    """The closing line of a text report."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return f"no problems in {files_checked} files"
    files = len({p.file for p in problems})
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' * (errors != 1)}")
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return f"{' and '.join(parts)} in {files} file{'s' * (files != 1)} ({files_checked} checked)"


def format_text(problems: list[Problem], files_checked: int) -> str:
    """yamllint-style lines: path:line:col: severity CODE message, then an indented hint."""
    out = []
    for p in problems:
        out.append(f"{p.file}:{p.line}:{p.col}: {p.severity} {p.code} {p.message}")
        if p.hint:
            out.append(f"    hint: {p.hint}")
    out.append(summary_line(problems, files_checked))
    return "\n".join(out) + "\n"


def _gh_escape(text: str, *, prop: bool = False) -> str:
    """Escape a value for a GitHub Actions workflow command."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problems: list[Problem], files_checked: int) -> str:
    """GitHub Actions annotations (::error file=...,line=...,col=...::message), one per problem."""
    out = []
    for p in problems:
        level = "error" if p.severity == "error" else "warning"
        message = p.message + (f" (hint: {p.hint})" if p.hint else "")
        out.append(
            f"::{level} file={_gh_escape(p.file, prop=True)},line={p.line},col={p.col},"
            f"title={_gh_escape(p.code + ' ' + CODES[p.code].title, prop=True)}::"
            f"{_gh_escape(message)}"
        )
    out.append(summary_line(problems, files_checked))
    return "\n".join(out) + "\n"


def format_json(problems: list[Problem], files_checked: int) -> str:
    """A machine-readable report: every problem plus counts."""
    return json.dumps({
        "problems": [asdict(p) for p in problems],
        "errors": sum(p.severity == "error" for p in problems),
        "warnings": sum(p.severity == "warning" for p in problems),
        "files_checked": files_checked,
    }, indent=2, ensure_ascii=False) + "\n"


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}
