"""The check pipeline: load, validate against the schema, check across records."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from build_tools.check import records as record_rules
from build_tools.check import schema_rules
from build_tools.check.index import Index
from build_tools.check.tree import related_files, site_symlinks
from build_tools.paths import EVIDENCE_DIR, KINDS, ROOT
from build_tools.problems import Problem, sort_problems
from build_tools.records import files as corpus
from build_tools.records.files import ParseMemo, Record, RecordFile


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


@dataclass
class CheckMemo:
    """What earlier checks learned, by content digest: parsed files, and the (kind, digest)
    pairs the schema accepted. Cross-record rules always run on every record."""

    parsed: ParseMemo = field(default_factory=dict)
    valid: set[tuple[str, str]] = field(default_factory=set)
    # display path -> ((digest, schema-valid, ids on disk), records looked at, problems found)
    cross: dict[str, tuple[tuple, tuple, list[Problem]]] = field(default_factory=dict)


def _ids_on_disk(folders: dict[str, Path]) -> dict[str, set[str]]:
    """Record ids known from file names alone (cheap: no file is read)."""
    return {kind: {p.name[:-5] for p in folders[kind].glob("*.yaml")} if kind in folders
            else set() for kind in KINDS}


def _validate(records: list[Record], memo: CheckMemo | None = None
              ) -> tuple[list[Problem], set[str]]:
    """Schema problems of each record, and the display paths of the invalid ones."""
    problems: list[Problem] = []
    invalid: set[str] = set()
    for record in records:
        found = _schema_problems(record, memo)
        problems += found
        if found:
            invalid.add(record.file.display)
    return problems, invalid


def check(paths: list[Path] | None = None, evidence_dir: Path = EVIDENCE_DIR,
          root: Path = ROOT, memo: CheckMemo | None = None) -> CheckResult:
    """Check the whole evidence base, or only the given files against it (memo: reuse what
    an earlier check parsed and validated, for files whose content has not changed)."""
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
    records, found = corpus.load(files, root, memo.parsed if memo else None)
    problems += found
    schema_problems, invalid = _validate(records, memo)
    problems += schema_problems
    valid = {(r.file.kind, r.file.stem): r for r in records if r.file.display not in invalid}

    def load_one(kind: str, rid: str) -> Record | None:
        path = folders[kind] / f"{rid}.yaml"
        loaded, _ = corpus.load([RecordFile(kind, path, corpus.display_path(path))], root)
        return loaded[0] if loaded else None

    # A whole-base check has just listed every record file; a check of a few lists the folders.
    on_disk = _ids_on_disk(folders) if paths else {
        kind: {f.stem for f in files if f.kind == kind} for kind in KINDS}
    index = Index(ids=on_disk, records=dict(valid), load_one=load_one if paths else None)
    ids = corpus.digest(repr(sorted((k, sorted(v)) for k, v in on_disk.items())).encode())
    for record in records:
        problems += _cross_problems(record, index, record.file.display not in invalid,
                                    memo if not paths else None, ids)
    checked = [r for r in records if r.file.display not in invalid]
    if paths:
        problems += _against_the_tree(checked, folders, root)
    else:
        problems += record_rules.check_corpus_wide(checked)
    return CheckResult(sort_problems(problems), len(files), records)


class _Watched:
    """An index that notes the records a rule looked at, with their digests."""

    def __init__(self, index: Index):
        self.index, self.ids, self.seen = index, index.ids, {}

    def has(self, kind: str, rid: str) -> bool:
        """As Index.has."""
        return self.index.has(kind, rid)

    def get(self, kind: str, rid: str) -> Record | None:
        """As Index.get, noted."""
        found = self.index.get(kind, rid)
        self.seen[(kind, rid)] = found.digest if found else None
        return found


def _cross_problems(record: Record, index: Index, schema_valid: bool, memo: CheckMemo | None,
                    ids: str) -> list[Problem]:
    """The record's cross-record problems, remembered while the record, the ids on disk and
    every record its rules looked at stay the same (only a whole-base check remembers)."""
    if memo is None:
        return record_rules.check_record(record, index, schema_valid=schema_valid)
    key = (record.digest, schema_valid, ids)
    known = memo.cross.get(record.file.display)
    if known and known[0] == key and all(
            getattr(index.records.get(ref), "digest", None) == digest for ref, digest in known[1]):
        return known[2]
    watched = _Watched(index)
    found = record_rules.check_record(record, watched, schema_valid=schema_valid)  # type: ignore
    memo.cross[record.file.display] = (key, tuple(watched.seen.items()), found)
    return found


def _schema_problems(record: Record, memo: CheckMemo | None) -> list:
    """The record's schema problems; none without validating when the memo knows it valid."""
    key = (record.file.kind, record.digest)
    if memo is not None and key in memo.valid:
        return []
    found = schema_rules.validate(record.file.kind, record.loaded, record.file.display)
    if memo is not None and not found:
        memo.valid.add(key)
    return found


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
