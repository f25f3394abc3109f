"""BibTeX import: a PubMed, Zotero or journal export becomes study stubs, never overwriting one."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

from build_tools.cite.bibentry import EntryIssue, entry_fields, norm_title, stub_text, study_id
from build_tools.paths import KINDS, first_symlink
from build_tools.problems import Problem, problem
from build_tools.records import files as corpus
from build_tools.text import line_col


@dataclass(frozen=True)
class Stub:
    """A study stub planned from one entry: its id, file, YAML text and where the entry was."""

    id: str
    path: Path
    text: str
    key: str
    line: int


@dataclass(frozen=True)
class Duplicate:
    """An entry skipped because the evidence base (or the file) already has it."""

    key: str
    line: int
    existing: str
    by: str


# Bounds on one import (E403), so it stays within seconds and a few hundred MB: files over
# MAX_BYTES are refused unread, files of more than MAX_ENTRIES entries before parsing (a stub
# takes about 3 ms and 16 KB; a search export is a few hundred references).
MAX_BYTES = 10_000_000
MAX_ENTRIES = 2_000
NO_ENTRIES = "no BibTeX entries found"


@dataclass
class ImportPlan:
    """What an import would do: stubs to write, duplicates skipped, problems found (an entry
    with a problem is left out; the others are still imported), entries read."""

    stubs: list[Stub] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0

def _field_pos(lines: list[str], entry: Entry, key: str | None) -> tuple[int, int]:
    """1-based line and column of a field's key in the entry (the entry's @ when key is None)."""
    found = [f for f in entry.fields if key and f.key.lower() == key]
    index = found[-1].start_line if found else (entry.start_line or 0)
    text = lines[index] if index < len(lines) else ""
    m = re.search(rf"(?i)\b{re.escape(key)}\s*=" if found else "@", text)
    return index + 1, (m.start() + 1) if m else 1


def _offset_pos(text: str, index: int | None) -> tuple[int, int]:
    """1-based line and column of a character offset (the end of the text when None)."""
    return line_col(text, len(text) if index is None else min(index, len(text)))


def _unclosed_field(lines: list[str], first: int, last: int) -> tuple[int, int, str] | None:
    """(line, col, key) of a field whose braces are still open when the next field starts."""
    depth, current = 0, None
    for index in range(first, min(last + 1, len(lines))):
        m = re.match(r"\s*([A-Za-z][\w:-]*)\s*=", lines[index])
        if m and depth > 1 and current:
            return current
        if m and depth == 1:
            current = (index + 1, m.start(1) + 1, m.group(1).lower())
        depth += len(re.findall(r"(?<!\\)\{", lines[index])) - len(re.findall(r"(?<!\\)\}", lines[index]))
    return None


def _failure(text: str, lines: list[str], block: ParsingFailedBlock, display: str) -> Problem:
    """A positioned E401 for a block the parser gave up on."""
    start = (block.start_line or 0) + 1
    if isinstance(block, DuplicateFieldKeyBlock):
        key = sorted(block.duplicate_keys)[0].lower()
        return problem(display, *_field_pos(lines, block.ignore_error_block, key), "E401",
                       f"field '{key}' is given twice in this entry", detail="keep one of them")
    if isinstance(block, DuplicateBlockKeyBlock):
        return problem(display, start, 1, "E401", f"entry key '{block.key}' is used twice",
                       detail="give each entry its own key")
    stop = _offset_pos(text, getattr(block.error, "end_index", None))
    # The parser stops at the next @entry; an unclosed brace earlier is the usual cause.
    unclosed = _unclosed_field(lines, start - 1, stop[0] - 1)
    if unclosed:
        return problem(display, unclosed[0], unclosed[1], "E401",
                       f"field '{unclosed[2]}' is not closed: a {{ has no matching }}",
                       detail="close the value with } before the next field")
    reason = getattr(block.error, "abort_reason", str(block.error)).strip()
    return problem(display, *stop, "E401", f"the entry starting at line {start} is malformed: "
                   f"{reason}", detail="check that every { has its }, every quote is closed and "
                                       "fields are separated by commas")


def parse(text: str, display: str) -> tuple[list[Entry], list[Problem]]:
    """The entries of a BibTeX text, and positioned problems for blocks that cannot be read."""
    quiet = logging.getLogger("bibtexparser")
    quiet.disabled = True  # its own log lines would repeat our positioned problems, untidily
    try:
        library = bibtexparser.parse_string(text)
    finally:
        quiet.disabled = False
    lines = text.splitlines()
    entries: list[Entry] = []
    problems: list[Problem] = []
    for block in library.blocks:
        if isinstance(block, Entry):
            # Field names are case-insensitive in BibTeX (Title and title are the same field).
            keys = [f.key.lower() for f in block.fields]
            repeated = next((k for i, k in enumerate(keys) if k in keys[:i]), None)
            if repeated is None:
                entries.append(block)
                continue
            block = DuplicateFieldKeyBlock({repeated}, block)
        if isinstance(block, ParsingFailedBlock):
            problems.append(_failure(text, lines, block, display))
    if not entries and not problems:
        problems.append(problem(display, 1, 1, "E401", NO_ENTRIES,
                                detail="export the references as BibTeX (@article{key, ...})"))
    return entries, problems


def _existing(evidence_dir: Path) -> dict[tuple[str, str], str]:
    """Known studies by ('doi', doi), ('pmid', pmid) and ('title', title+year) -> id."""
    files = [f for f in corpus.discover(evidence_dir) if f.kind == "study"]
    records, _ = corpus.load(files, evidence_dir.parent)  # a broken record must not block import
    index: dict[tuple[str, str], str] = {}
    for record in records:
        data = record.data if isinstance(record.data, dict) else {}
        _remember(index, data, record.file.stem)
    return index


def _remember(index: dict[tuple[str, str], str], data: dict, rid: str) -> None:
    """Add one study's identifiers and title to the duplicate index."""
    ids = data.get("ids") if isinstance(data.get("ids"), dict) else {}
    if isinstance(ids.get("doi"), str):
        index.setdefault(("DOI", ids["doi"].lower()), rid)
    if isinstance(ids.get("pmid"), str):
        index.setdefault(("PMID", ids["pmid"]), rid)
    if isinstance(data.get("title"), str):
        # Title with year: a Cochrane update keeps its title but is a new publication.
        index.setdefault(("title", f"{norm_title(data['title'])}:{data.get('year')}"), rid)


def _duplicate_of(index: dict[tuple[str, str], str], fields: dict) -> tuple[str, str] | None:
    """(existing id, what matched) when the entry is already known."""
    ids = fields.get("ids") or {}
    for key in (("DOI", (ids.get("doi") or "").lower()), ("PMID", ids.get("pmid") or ""),
                ("title", f"{norm_title(fields['title'])}:{fields['year']}")):
        if key[1] and key in index:
            return index[key], key[0]
    return None


def _read(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The text of a .bib file within the limits, or the one problem that stops the import."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, [problem(display, 1, 1, "E403", f"file is {path.stat().st_size} bytes, "
                                  f"over the {MAX_BYTES}-byte limit", limit=f"{MAX_BYTES} bytes")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [problem(display, 1, 1, "E100", f"cannot read file: {exc.strerror}",
                              detail="check the path and permissions")]
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [problem(display, line, col, "E102", "the file is not UTF-8 text")]
    found = len(re.findall(r"^[ \t]*@(?!(?i:comment|string|preamble)\b)", text, re.MULTILINE))
    if found > MAX_ENTRIES:
        return None, [problem(display, 1, 1, "E403", f"file has {found} entries, over the "
                              f"{MAX_ENTRIES}-entry limit", limit=f"{MAX_ENTRIES} entries")]
    return text, []


def plan_import(path: Path, evidence_dir: Path) -> ImportPlan:
    """Read a .bib file and plan its stubs against the studies already in evidence_dir."""
    plan = ImportPlan()
    display = corpus.display_path(path)
    link = first_symlink(evidence_dir / KINDS["study"][0], evidence_dir.parent)
    if link is not None:  # the stubs would be written wherever it points
        plan.problems.append(problem(corpus.display_path(link), 1, 1, "E316", "symbolic link on "
                                     "the way to the studies folder: refusing to write there"))
        return plan
    text, plan.problems = _read(path, display)
    if text is None:
        return plan
    entries, plan.problems = parse(text, display)
    plan.entries = len(entries) + sum(p.message != NO_ENTRIES for p in plan.problems)
    lines = text.splitlines()
    index = _existing(evidence_dir)
    taken = {f.stem for f in corpus.discover(evidence_dir) if f.kind == "study"}
    for entry in entries:
        line = (entry.start_line or 0) + 1
        try:
            fields = entry_fields(entry)
            found = _duplicate_of(index, fields)
            if found:
                plan.duplicates.append(Duplicate(entry.key, line, *found))
                continue
            rid = study_id(fields, taken)
        except EntryIssue as issue:
            plan.problems.append(problem(display, *_field_pos(lines, entry, issue.field_key),
                                         "E402", issue.message, hint=issue.hint))
            continue
        except (RecursionError, ValueError) as exc:  # a value no decoder is ready for
            plan.problems.append(problem(display, line, 1, "E402", f"entry '{entry.key}' cannot "
                                         f"be read ({type(exc).__name__})",
                                         hint="simplify the entry, or write the record by hand"))
            continue
        taken.add(rid)
        _remember(index, fields, rid)  # a later entry for the same paper is a duplicate of this
        plan.stubs.append(Stub(rid, evidence_dir / KINDS["study"][0] / f"{rid}.yaml",
                               stub_text(rid, fields, f"{path.name} (entry {entry.key})"),
                               entry.key, line))
    plan.problems.sort(key=lambda p: (p.line, p.col, p.code))
    return plan


def write_stubs(plan: ImportPlan) -> list[Path]:
    """Write the planned stubs, all or none: never replaces a file (FileExistsError if one
    appeared meanwhile, OSError if one cannot be written), and then takes back those written."""
    written: list[Path] = []
    try:
        for stub in plan.stubs:
            stub.path.parent.mkdir(parents=True, exist_ok=True)
            with stub.path.open("x", encoding="utf-8") as handle:  # O_EXCL: not through a link
                written.append(stub.path)
                handle.write(stub.text)
    except OSError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written
