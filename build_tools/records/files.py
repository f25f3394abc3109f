"""Finding and loading record files: the evidence tree in, loaded records and problems out."""

from __future__ import annotations

import hashlib
import os
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

from build_tools.paths import EVIDENCE_DIR, FOLDER_KIND, KINDS, ROOT
from build_tools.problems import Problem, problem
from build_tools.records.yamlio import Loaded, YamlError, check_size, load_text

SUFFIX = ".yaml"


@dataclass(frozen=True)
class RecordFile:
    """One record file on disk: its kind, its path and how it is shown in messages."""

    kind: str
    path: Path
    display: str

    @property
    def stem(self) -> str:
        """The file name without .yaml: the record's id."""
        return self.path.name[: -len(SUFFIX)]


@dataclass
class Record:
    """A record file that loaded as YAML (not necessarily schema-valid)."""

    file: RecordFile
    loaded: Loaded
    first_line: str
    digest: str = ""  # of the file's bytes: what incremental builds compare, never timestamps

    @property
    def data(self) -> dict:
        """The record's fields."""
        return self.loaded.data  # type: ignore[return-value]


def display_path(path: Path) -> str:
    """Repository-relative POSIX path when inside the repository, else the path as given."""
    try:
        return path.absolute().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def _inside(path: Path, root: Path) -> bool:
    """True when path resolves to a place under root."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def discover(evidence_dir: Path = EVIDENCE_DIR) -> list[RecordFile]:
    """Every record file of every kind under evidence/, sorted."""
    files = []
    for kind, (folder, _) in KINDS.items():
        for path in sorted((evidence_dir / folder).glob("*" + SUFFIX)):
            files.append(RecordFile(kind, path, display_path(path)))
    return files


def stray_files(evidence_dir: Path = EVIDENCE_DIR) -> list[Problem]:
    """YAML files under evidence/ that are not in a record folder (and so would be ignored)."""
    folders = {evidence_dir / folder for folder, _ in KINDS.values()}
    # Names, not Path objects, are walked and sorted: this runs on every preview rebuild.
    found: dict[str, list[Path]] = {SUFFIX: [], ".yml": []}
    for folder, subfolders, names in os.walk(evidence_dir):
        subfolders.sort()
        here = Path(folder)
        for name in sorted(names):
            suffix = name[-5:] if name.endswith(SUFFIX) else name[-4:]
            if suffix in found and (suffix == ".yml" or here not in folders):
                found[suffix].append(here / name)
    return [problem(display_path(p), 1, 1, "E307", f"not a record location: {display_path(p)}")
            for p in sorted(found[SUFFIX]) + sorted(found[".yml"])]


def classify(paths: list[Path]) -> tuple[list[RecordFile], list[Problem]]:
    """Record files for paths given on the command line (files or folders)."""
    files: list[RecordFile] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            for sub in sorted(path.rglob("*" + SUFFIX)):
                found, probs = classify([sub])
                files += found
                problems += probs
            continue
        kind = FOLDER_KIND.get(path.parent.name)
        if kind is None or path.suffix != SUFFIX:
            problems.append(problem(display_path(path), 1, 1, "E307",
                                    f"not a record location: {display_path(path)}"))
            continue
        files.append(RecordFile(kind, path, display_path(path)))
    return files, problems


def digest(raw: bytes) -> str:
    """The content digest of a record file (BLAKE2b, 128 bits)."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


# Parsed files by content digest: a file whose bytes were parsed before is not parsed again.
ParseMemo = MutableMapping[str, tuple[Loaded, str]]


def load(files: list[RecordFile], root: Path = ROOT, memo: ParseMemo | None = None
         ) -> tuple[list[Record], list[Problem]]:
    """Load each file strictly; a file that fails to load yields exactly one problem.

    memo: parsed files by content digest, read and extended (a failed parse is never kept).
    """
    records: list[Record] = []
    problems: list[Problem] = []
    for rf in files:
        if rf.path.is_symlink() and not _inside(rf.path, root):
            problems.append(problem(rf.display, 1, 1, "E311",
                                    "symlink points outside the repository"))
            continue
        try:
            if not rf.path.is_file():
                raise YamlError("E100", 1, 1, "not a regular file", detail="check the path")
            check_size(rf.path.stat().st_size)
            raw = rf.path.read_bytes()
            key = digest(raw)
            known = memo.get(key) if memo is not None else None
            loaded, first = known if known else (load_text(raw), _first_line(raw))
        except YamlError as exc:
            problems.append(problem(rf.display, exc.line, exc.col, exc.code, exc.message,
                                    **exc.hint_args))
            continue
        except OSError as exc:
            problems.append(problem(rf.display, 1, 1, "E100", f"cannot read file: {exc}",
                                    detail="check the path and permissions"))
            continue
        if memo is not None:
            memo[key] = (loaded, first)
        records.append(Record(rf, loaded, first, key))
    return records, problems


def _first_line(raw: bytes) -> str:
    """The file's first line as text (the schema modeline, when the record has one)."""
    return raw.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")
