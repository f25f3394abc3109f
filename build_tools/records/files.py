"""Finding and loading record files: the evidence tree in, loaded records and problems out."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

from build_tools.paths import EVIDENCE_DIR, FOLDER_KIND, KINDS, ROOT, first_symlink
from build_tools.problems import Problem, problem
from build_tools.records.yamlio import Loaded, YamlError, check_size, load_text
from build_tools.text import printable

SUFFIX = ".yaml"


@dataclass(frozen=True)
class RecordFile:
    """One record file on disk: its kind, its path and how it is shown in messages."""

    kind: str
    path: Path
    display: str

    @property
    def project(self) -> Path:
        """The folder the record's evidence/ tree is in (evidence/<kind folder>/<id>.yaml)."""
        parents = self.path.absolute().parents
        return parents[min(2, len(parents) - 1)]

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
    """Repository-relative POSIX path when inside the repository, else the path as given;
    printable (a file name can hold any byte but / and NUL)."""
    try:
        return printable(path.absolute().relative_to(ROOT).as_posix())
    except ValueError:
        return printable(path.as_posix())


def escapes(path: Path, project: Path, root: Path = ROOT, clean: set[str] | None = None
            ) -> bool:
    """True when path really lies outside both the repository and the project it is written in
    (a symbolic link on the way leads out): nothing there may be read. clean: folders already
    found free of links (shared by the files of one load)."""
    inside = os.path.abspath(path).startswith(os.path.join(os.path.abspath(project), ""))
    if inside and first_symlink(path, project, clean) is None:
        return False  # no link on the way down from the project: nothing to resolve
    real = Path(os.path.realpath(path))  # never raises, not even on a link loop (E100 later)
    return not any(real == base or base in real.parents for base in map(_real, (root, project)))


@functools.cache
def _real(folder: Path) -> Path:
    """A folder with every link resolved (the repository and project roots, once each)."""
    return Path(os.path.realpath(folder))


def record_folders(evidence_dir: Path = EVIDENCE_DIR, root: Path = ROOT
                   ) -> tuple[dict[str, Path], list[Problem]]:
    """The record folder of each kind, and E311 for a folder that links out of the repository
    (left out: not one of its file names or values is read)."""
    folders, problems = {}, []
    if evidence_dir.exists() and escapes(evidence_dir, evidence_dir.parent, root):
        return {}, [problem(display_path(evidence_dir), 1, 1, "E311",
                            "evidence/ links to a folder outside the repository")]
    for kind, (folder, _) in KINDS.items():
        path = evidence_dir / folder
        if path.exists() and escapes(path, evidence_dir.parent, root):
            problems.append(problem(display_path(path), 1, 1, "E311",
                                    f"{folder}/ links to a folder outside the repository"))
        else:
            folders[kind] = path
    return folders, problems


def discover(evidence_dir: Path = EVIDENCE_DIR, root: Path = ROOT) -> list[RecordFile]:
    """Every record file of every kind under evidence/, sorted (folders linking out skipped)."""
    out = []
    for kind, folder in record_folders(evidence_dir, root)[0].items():
        # Names, not globbed Path objects, and one display prefix per folder: this runs on
        # every preview rebuild (6,000 files at 5,000 studies).
        try:
            names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(SUFFIX))
        except OSError:  # no such folder (yet): no records of this kind
            continue
        shown = display_path(folder)
        out += [RecordFile(kind, folder / name, f"{shown}/{printable(name)}") for name in names]
    return out


def stray_files(evidence_dir: Path = EVIDENCE_DIR) -> list[Problem]:
    """YAML files under evidence/ that are not in a record folder (and so would be ignored),
    with any spelling of the suffix (.yml, .YAML)."""
    folders = {evidence_dir / folder for folder, _ in KINDS.values()}
    # Names, not Path objects, are walked: this runs on every preview rebuild. Like rglob,
    # os.walk does not follow a folder's symbolic link.
    out = []
    for folder, _subfolders, names in os.walk(evidence_dir):
        here = Path(folder)
        for name in names:
            suffix = name[name.rfind("."):] if "." in name else ""
            if suffix.lower() not in (SUFFIX, ".yml"):
                continue
            path = here / name
            if suffix != SUFFIX:
                out.append((path, f"not a record file: {display_path(path)} "
                                  "(record files end in lower-case .yaml)"))
            elif here not in folders:
                out.append((path, f"not a record location: {display_path(path)}"))
    return [problem(display_path(path), 1, 1, "E307", message) for path, message in sorted(out)]


def classify(paths: list[Path]) -> tuple[list[RecordFile], list[Problem]]:
    """Record files for paths given on the command line (files or folders)."""
    files: list[RecordFile] = []
    problems: list[Problem] = []
    for path in paths:
        path = Path(os.path.normpath(path.absolute()))  # "x.yaml" typed inside its folder
        if path.is_dir():
            for sub in sorted(p for p in path.rglob("*") if p.suffix.lower() in (SUFFIX, ".yml")
                              and not p.is_dir()):
                found, probs = classify([sub])
                files += found
                problems += probs
            continue
        kind = FOLDER_KIND.get(path.parent.name)
        if kind is None or path.suffix != SUFFIX:
            why = " (record files end in lower-case .yaml)" if path.suffix.lower() in (
                SUFFIX, ".yml") and kind else ""
            problems.append(problem(display_path(path), 1, 1, "E307",
                                    f"not a record location: {display_path(path)}{why}"))
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
    clean: set[str] = set()  # the record folders are tested for links once, not per file
    for rf in files:
        if escapes(rf.path, rf.project, root, clean):
            problems.append(problem(rf.display, 1, 1, "E311",
                                    "the file, or a folder on its way, links outside the "
                                    "repository"))
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
