"""The check pipeline: load, validate against the schema, check across records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from build_tools.check import records as record_rules
from build_tools.check import schema_rules
from build_tools.check.index import Index
from build_tools.check.tree import related_files, site_symlinks
from build_tools.paths import EVIDENCE_DIR, KINDS, ROOT
from build_tools.problems import Problem, sort_problems
from build_tools.records import files as corpus
from build_tools.records.files import Record, RecordFile


@dataclass
class CheckResult:
    """What a check found: problems (sorted), how many files were read, the loaded records."""

    problems: list[Problem]
    files_checked: int
    records: list[Record]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)


def _ids_on_disk(folders: dict[str, Path]) -> dict[str, set[str]]:
    """Record ids known from file names alone (cheap: no file is read)."""
    return {kind: {p.name[:-5] for p in folders[kind].glob("*.yaml")} if kind in folders
            else set() for kind in KINDS}


def _validate(records: list[Record]) -> tuple[list[Problem], set[str]]:
    """Schema problems of each record, and the display paths of the invalid ones."""
    problems: list[Problem] = []
    invalid: set[str] = set()
    for record in records:
        found = schema_rules.validate(record.file.kind, record.loaded, record.file.display)
        problems += found
        if found:
            invalid.add(record.file.display)
    return problems, invalid


def check(paths: list[Path] | None = None, evidence_dir: Path = EVIDENCE_DIR,
          root: Path = ROOT) -> CheckResult:
    """Check the whole evidence base, or only the given files against it."""
    problems: list[Problem] = []
    if paths:
        files, found = corpus.classify(paths)
        problems += found
        if files and evidence_dir == EVIDENCE_DIR:
            # Links resolve against the evidence tree the files belong to (a fork, a test tree).
            evidence_dir = files[0].path.absolute().parent.parent
    folders, found = corpus.record_folders(evidence_dir, root)
    if not paths:
        files = corpus.discover(evidence_dir, root)
        problems += found + corpus.stray_files(evidence_dir) + site_symlinks(root)
    records, found = corpus.load(files, root)
    problems += found
    schema_problems, invalid = _validate(records)
    problems += schema_problems
    valid = {(r.file.kind, r.file.stem): r for r in records if r.file.display not in invalid}

    def load_one(kind: str, rid: str) -> Record | None:
        path = folders[kind] / f"{rid}.yaml"
        loaded, _ = corpus.load([RecordFile(kind, path, corpus.display_path(path))], root)
        return loaded[0] if loaded else None

    index = Index(ids=_ids_on_disk(folders), records=dict(valid),
                  load_one=load_one if paths else None)
    for record in records:
        problems += record_rules.check_record(record, index,
                                              schema_valid=record.file.display not in invalid)
    checked = [r for r in records if r.file.display not in invalid]
    if paths:
        problems += _against_the_tree(checked, folders, root)
    else:
        problems += record_rules.check_corpus_wide(checked)
    return CheckResult(sort_problems(problems), len(files), records)


def _against_the_tree(records: list[Record], folders: dict[str, Path], root: Path
                      ) -> list[Problem]:
    """The whole-base rules for the given records only, run with just the records of the tree
    that can bear on them (found by a text search, then loaded and validated like any other)."""
    given = {r.file.display for r in records}
    related, _ = corpus.load([f for f in related_files(records, folders)
                              if f.display not in given], root)
    _, invalid = _validate(related)
    order = {kind: i for i, kind in enumerate(KINDS)}
    pool = sorted(records + [r for r in related if r.file.display not in invalid],
                  key=lambda r: (order[r.file.kind], r.file.display))
    has_claims = "claim" in folders and any(folders["claim"].glob("*.yaml"))
    return [p for p in record_rules.check_corpus_wide(pool, has_claims=has_claims)
            if p.file in given]
