"""What changed in the evidence between two git revisions: records, fields and claim grades."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_tools.check.runner import CheckResult, check
from build_tools.grade.rules import grade_all
from build_tools.paths import KINDS
from build_tools.records.model import build_corpus
from build_tools.revision_grades import published_grades

# How a committed revision's claims are graded: with today's rules (no code of the revision runs)
# or with the revision's own code, which shows the verdicts its site published.
RULES = ("current", "own")


class Missing:
    """The value of a field that does not exist on one side of a change."""

    def __repr__(self) -> str:
        return "MISSING"

    def __deepcopy__(self, memo: dict) -> Missing:
        return self  # one sentinel, so `is MISSING` holds after dataclasses.asdict copies it


MISSING: Any = Missing()
# Keys that identify an item of a list of mappings, so an insertion does not renumber the rest.
IDENTITY_KEYS = (("id",), ("key",), ("study", "outcome"), ("source",), ("study",),
                 ("family", "given"), ("name",), ("domain",), ("label",), ("topic",))


class GitError(Exception):
    """A git command failed (unknown revision, not a repository)."""


@dataclass(frozen=True)
class FieldChange:
    """One leaf field: its dotted path and the value before and after (MISSING if absent)."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RecordChange:
    """One record that was added, removed or changed."""

    kind: str
    id: str
    status: str  # added, removed or changed
    label: str  # the title, statement or query, for a reader
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class GradeChange:
    """A claim whose verdict or certainty differs (None on the side where it does not exist)."""

    claim: str
    old_verdict: str | None
    new_verdict: str | None
    old_certainty: str | None
    new_certainty: str | None


@dataclass(frozen=True)
class Snapshot:
    """The evidence at one revision: raw records by (kind, id) and claim grades when computable."""

    label: str
    records: dict[tuple[str, str], dict]
    grades: dict[str, Any] | None
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Changes:
    """Everything `evidence diff` reports."""

    old: str
    new: str
    records: tuple[RecordChange, ...]
    grades: tuple[GradeChange, ...] | None  # None when grading is not available
    notes: tuple[str, ...]


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run a read-only git command in repo and return its output."""
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True,
                              check=False, timeout=120)
    except FileNotFoundError as exc:
        raise GitError("git is not installed") from exc
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(lines[-1] if lines else f"git {args[0]} failed")
    return done.stdout


def repo_root(start: Path) -> Path:
    """The top folder of the git work tree containing start."""
    return Path(git(start, "rev-parse", "--show-toplevel").decode().strip())


def resolve(repo: Path, rev: str) -> str:
    """The full commit id a revision names; GitError when it names none."""
    if rev.startswith("-"):  # never let a revision be read as a git option
        raise GitError(f"not a revision: {rev}")
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"unknown revision: {rev}") from None


def export_evidence(repo: Path, rev: str, dest: Path) -> Path:
    """Write the evidence/ tree of a revision under dest (read with ls-tree and cat-file)."""
    listing = git(repo, "ls-tree", "-r", "-z", rev, "--", "evidence/")
    blobs = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):  # symlinks are never followed
            blobs.append((path.decode("utf-8"), sha.decode()))
    out = git(repo, "cat-file", "--batch", stdin="".join(f"{sha}\n" for _, sha in blobs).encode())
    offset = 0
    for path, _sha in blobs:
        header_end = out.index(b"\n", offset)
        size = int(out[offset:header_end].split()[2])
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(out[header_end + 1:header_end + 1 + size])
        offset = header_end + 1 + size + 1  # cat-file ends each object with a newline
    (dest / "evidence").mkdir(exist_ok=True)
    return dest / "evidence"


def _grade(result: CheckResult) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    """Claim grades from the schema-valid records, or None when the records cannot be graded."""
    broken = {p.file for p in result.problems if p.severity == "error"}
    valid = [r for r in result.records if r.file.display not in broken]
    notes = (f"{len(broken)} file(s) with errors left out of grading",) if broken else ()
    try:
        grades = grade_all(build_corpus(valid))
    except (TypeError, ValueError, KeyError) as exc:  # a model that lags the schema
        return None, (f"claims could not be graded ({type(exc).__name__}: {exc})",)
    return dict(grades), notes


def snapshot(evidence_dir: Path, root: Path, label: str) -> Snapshot:
    """Load and grade the evidence tree at evidence_dir with the normal checker and model."""
    result = check(evidence_dir=evidence_dir, root=root)
    records = {(r.file.kind, r.file.stem): r.data for r in result.records
               if isinstance(r.data, dict)}
    grades, notes = _grade(result)
    return Snapshot(label, records, grades, notes)


def load_revision(repo: Path, rev: str | None, rules: str = "current") -> Snapshot:
    """The evidence at a revision (None: the working tree), graded by the rules asked for."""
    if rev is None:
        return snapshot(repo / "evidence", repo, "working tree")
    commit = resolve(repo, rev)
    label = git(repo, "rev-parse", "--short", commit).decode().strip()
    with tempfile.TemporaryDirectory(prefix="evidence-diff-") as tmp:
        evidence_dir = export_evidence(repo, commit, Path(tmp))
        snap = snapshot(evidence_dir, Path(tmp), label)
    if rules == "own":
        return _with_own_grades(repo, commit, snap)
    if _code_differs(repo, commit):
        note = ("graded with today's rules, not its own (its build_tools differ from HEAD's); "
                "--rules own shows the verdicts its site published")
        return Snapshot(snap.label, snap.records, snap.grades, (*snap.notes, note))
    return snap


def _with_own_grades(repo: Path, commit: str, snap: Snapshot) -> Snapshot:
    """The snapshot with the grades the revision's own code exports, or today's with a note."""
    own = published_grades(repo, commit)
    if own is None:
        note = "its own code could not export grades, so it is graded with today's rules"
        return Snapshot(snap.label, snap.records, snap.grades, (*snap.notes, note))
    # Today's checker's notes on grading (files left out) do not apply to the revision's own grades.
    return Snapshot(snap.label, snap.records, dict(own),
                    ("graded with its own rules (its own evidence export)",))


def _code_differs(repo: Path, commit: str) -> bool:
    """Whether the revision's build_tools tree differs from HEAD's (or either has none)."""
    try:
        trees = [git(repo, "rev-parse", "--verify", "--quiet", f"{rev}:build_tools").strip()
                 for rev in (commit, "HEAD")]
    except GitError:
        return False  # no build_tools in the repository: nothing to compare
    return trees[0] != trees[1]


def _item_key(item: dict, keys: tuple[str, ...]) -> str | None:
    """A list item's identity from the first identity keys it has, e.g. 'pain-week-1'."""
    parts = [str(item[k]) for k in keys if isinstance(item.get(k), str | int)]
    return "/".join(parts) if parts and keys[0] in item else None


def _list_keys(items: list) -> list[str] | None:
    """Identity labels for a list of mappings, when one identity key set makes them unique."""
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for keys in IDENTITY_KEYS:
        labels = [_item_key(i, keys) for i in items]
        if None not in labels and len(set(labels)) == len(labels):
            return labels  # type: ignore[return-value]
    return [str(i) for i in range(len(items))]


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf values by dotted path; list items of mappings keyed by identity; scalar lists kept."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, sub in value.items():
            out.update(flatten(sub, f"{prefix}.{key}" if prefix else str(key)))
        return out
    labels = _list_keys(value) if isinstance(value, list) else None
    if labels is not None:
        out = {}
        for label, item in zip(labels, value, strict=True):
            out.update(flatten(item, f"{prefix}[{label}]"))
        return out
    return {prefix: value}


def diff_fields(old: dict, new: dict) -> tuple[FieldChange, ...]:
    """Every leaf that differs between two versions of a record, in path order."""
    a, b = flatten(old), flatten(new)
    return tuple(FieldChange(path, a.get(path, MISSING), b.get(path, MISSING))
                 for path in sorted(a.keys() | b.keys()) if a.get(path, MISSING) != b.get(path, MISSING))


def _label(data: dict) -> str:
    """What a reader recognises a record by."""
    for name in ("title", "statement", "query"):
        if isinstance(data.get(name), str):
            return " ".join(data[name].split())
    return ""


def diff_records(old: Snapshot, new: Snapshot) -> tuple[RecordChange, ...]:
    """Records added, removed or changed, by kind (studies first) then id."""
    order = {kind: i for i, kind in enumerate(KINDS)}
    out = []
    for key in sorted(old.records.keys() | new.records.keys(), key=lambda k: (order[k[0]], k[1])):
        before, after = old.records.get(key), new.records.get(key)
        if before is None:
            out.append(RecordChange(*key, "added", _label(after)))
        elif after is None:
            out.append(RecordChange(*key, "removed", _label(before)))
        elif before != after:
            out.append(RecordChange(*key, "changed", _label(after), diff_fields(before, after)))
    return tuple(out)


def diff_grades(old: Snapshot, new: Snapshot) -> tuple[GradeChange, ...] | None:
    """Claims whose verdict or certainty changed, or that appeared or went away."""
    if old.grades is None or new.grades is None:
        return None
    out = []
    for cid in sorted(old.grades.keys() | new.grades.keys()):
        a, b = old.grades.get(cid), new.grades.get(cid)
        pair = (getattr(a, "verdict", None), getattr(b, "verdict", None),
                getattr(a, "certainty", None), getattr(b, "certainty", None))
        if pair[0] != pair[1] or pair[2] != pair[3]:
            out.append(GradeChange(cid, *pair))
    return tuple(out)


def compare(repo: Path, old_rev: str, new_rev: str | None = None, *,
            rules: str = "current") -> Changes:
    """The changes in evidence/ from old_rev to new_rev (None: the working tree)."""
    root = repo_root(repo)
    old, new = load_revision(root, old_rev, rules), load_revision(root, new_rev, rules)
    notes = tuple(f"{snap.label}: {note}" for snap in (old, new) for note in snap.notes)
    return Changes(old.label, new.label, diff_records(old, new), diff_grades(old, new), notes)
