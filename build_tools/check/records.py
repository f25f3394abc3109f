"""Checks across records: every record's identity, its kind's rules, and the whole-base rules."""

from __future__ import annotations

from build_tools.check.claim_rules import check_claim
from build_tools.check.index import Index
from build_tools.check.search_rules import check_search
from build_tools.check.study_rules import check_study
from build_tools.paths import modeline
from build_tools.problems import Problem, problem
from build_tools.records.files import Record
from build_tools.records.textguard import invisible
from build_tools.text import json_path

RULES = {"study": check_study, "claim": check_claim, "search": check_search}


def check_record(record: Record, index: Index, *, schema_valid: bool = True) -> list[Problem]:
    """All cross-record problems of one record (its schema problems are checked elsewhere).

    Link checks assume the shapes the schema guarantees, so they run only on schema-valid
    records; the schema errors of an invalid record are reported first, links after a fix.
    """
    file, data, loaded = record.file.display, record.data, record.loaded
    out: list[Problem] = []

    def add(path: tuple, code: str, message: str, *, key: bool = False, **hint: object) -> None:
        line, col = loaded.position(path, key=key)
        out.append(problem(file, line, col, code, message, **hint))

    expected = modeline(record.file.kind)
    if record.first_line.strip() != expected:
        out.append(problem(file, 1, 1, "E304", "first line is not the schema modeline",
                           modeline=expected))
    rid = data.get("id")
    if isinstance(rid, str) and rid != record.file.stem:
        add(("id",), "E303", f"id '{rid}' differs from the file name '{record.file.stem}'",
            expected=rid, stem=record.file.stem)
    if loaded.crlf:
        out.append(problem(file, 1, 1, "W502", "CRLF line endings"))
    for path, described in _invisible_in_names(data):
        add(path, "W505", f"{json_path(path)}: invisible character {described}")
    rules = RULES.get(record.file.kind)
    if rules and schema_valid:
        for found in rules(data, index):
            add(found.path, found.code, found.message, key=found.key, **found.hint)
    return out


def _invisible_in_names(data: dict) -> list[tuple[tuple, str]]:
    """(path, character) for a title or an author's name holding an invisible character."""
    names = [(("title",), data.get("title"))]
    authors = data.get("authors") if isinstance(data.get("authors"), list) else []
    names += [(("authors", i, part), author.get(part)) for i, author in enumerate(authors)
              if isinstance(author, dict) for part in ("family", "given", "literal")]
    return [(path, found) for path, text in names
            if isinstance(text, str) and (found := invisible(text))]


def _same_publication(records: list[Record]) -> list[Problem]:
    """E314 on every study after the first that gives an already-seen DOI or PMID."""
    out: list[Problem] = []
    seen: dict[tuple[str, str], Record] = {}
    for record in (r for r in records if r.file.kind == "study"):
        ids = record.data.get("ids")
        for name in ("doi", "pmid") if isinstance(ids, dict) else ():
            value = ids.get(name)
            if not isinstance(value, str):
                continue
            first = seen.setdefault((name, value.lower()), record)
            if first is not record:
                line, col = record.loaded.position(("ids", name))
                out.append(problem(record.file.display, line, col, "E314",
                                   f"ids.{name} {value} is also the {name.upper()} of "
                                   f"{first.file.stem}", other=first.file.display))
    return out


def check_corpus_wide(records: list[Record], *, has_claims: bool | None = None
                      ) -> list[Problem]:
    """Problems that need every record: duplicate ids and identifiers, studies no claim uses.

    Given a subset, has_claims says whether the whole tree has any claim (W501 needs one).
    """
    out: list[Problem] = _same_publication(records)
    seen: dict[tuple[str, str], Record] = {}
    used: set[str] = set()
    for record in records:
        rid = record.data.get("id")
        if not isinstance(rid, str):
            continue
        if isinstance(rid, str):
            key = (record.file.kind, rid)
            if key in seen:
                line, col = record.loaded.position(("id",))
                out.append(problem(record.file.display, line, col, "E302",
                                   f"id '{rid}' is already used", other=seen[key].file.display))
            seen.setdefault(key, record)
        if record.file.kind == "claim" and isinstance(record.data.get("evidence"), list):
            for link in record.data["evidence"]:
                if isinstance(link, dict) and isinstance(link.get("study"), str):
                    used.add(link["study"])
            block = record.data.get("attribution")
            if isinstance(block, dict) and isinstance(block.get("study"), str):
                used.add(block["study"])
    if has_claims is None:
        has_claims = any(r.file.kind == "claim" for r in records)
    for record in records:
        if (has_claims and record.file.kind == "study" and record.file.stem not in used
                and not record.data.get("unlinked_reason")):
            line, col = record.loaded.position(("id",))
            out.append(problem(record.file.display, line, col, "W501",
                               f"study '{record.file.stem}' is not evidence for any claim"))
    return out
