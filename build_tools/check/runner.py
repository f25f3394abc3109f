"""The check pipeline: load, validate against the schema, check across records."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.check import records as record_rules
from build_tools.check import schema_rules
from build_tools.check.index import Index
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


def _ids_on_disk(evidence_dir: Path) -> dict[str, set[str]]:
    """Record ids known from file names alone (cheap: no file is read)."""
    return {kind: {p.name[:-5] for p in (evidence_dir / folder).glob("*.yaml")}
            for kind, (folder, _) in KINDS.items()}


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
    else:
        files = corpus.discover(evidence_dir)
        problems += corpus.stray_files(evidence_dir)
    records, found = corpus.load(files, root, memo.parsed if memo else None)
    problems += found
    valid: dict[tuple[str, str], Record] = {}
    invalid: set[str] = set()
    for record in records:
        schema_problems = _schema_problems(record, memo)
        problems += schema_problems
        if schema_problems:
            invalid.add(record.file.display)
        else:
            valid[(record.file.kind, record.file.stem)] = record

    def load_one(kind: str, rid: str) -> Record | None:
        folder = KINDS[kind][0]
        path = evidence_dir / folder / f"{rid}.yaml"
        loaded, _ = corpus.load([RecordFile(kind, path, corpus.display_path(path))], root)
        return loaded[0] if loaded else None

    index = Index(ids=_ids_on_disk(evidence_dir), records=dict(valid),
                           load_one=load_one if paths else None)
    ids = hashlib.blake2b(repr(sorted((k, sorted(v)) for k, v in index.ids.items())).encode(),
                          digest_size=16).hexdigest()
    for record in records:
        problems += _cross_problems(record, index, record.file.display not in invalid,
                                    memo if not paths else None, ids)
    if not paths:
        problems += record_rules.check_corpus_wide([r for r in records
                                                if r.file.display not in invalid])
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
