"""The one writer: generated pages onto disk, only inside the generated folders under docs/,
never through a symbolic link (and the guard the commands' own writes share: refuse_links)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from build_tools.paths import GENERATED_DIRS, ROOT, first_symlink
from build_tools.problems import Problem, problem
from build_tools.records.files import display_path


class UnsafePath(ValueError):
    """A path a writer refuses: outside the generated folders, or through a symbolic link."""

    def __init__(self, message: str, found: Problem | None = None) -> None:
        super().__init__(message)
        self.problem = found


def refuse_links(targets: Iterable[Path], root: Path = ROOT) -> None:
    """Raise UnsafePath (E316, positioned at the link) when a symbolic link lies on the way to
    any target: a planted link (git add -f delivers one) must never be written through.

    The way starts below root, or, for targets outside it, below the first target's parent
    (list the folder the targets are in first).
    """
    targets = [Path(os.path.normpath(t.absolute())) for t in targets]
    if targets and root.absolute() not in targets[0].parents:
        root = targets[0].parent
    clean: set[str] = set()
    for target in targets:
        link = first_symlink(target, root, clean)
        if link is not None:
            found = problem(display_path(link), 1, 1, "E316", "symbolic link on the way to "
                            f"{display_path(target)}: refusing to write through it")
            raise UnsafePath(f"{found.file}:{found.line}:{found.col}: {found.severity} "
                             f"{found.code} {found.message}\n    hint: {found.hint}", found)


def _temporary(target: Path, tag: str = "") -> Path:
    """The name a file is written under before it is moved into place."""
    return target.with_name(f".{target.name}{tag}.tmp")


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet (O_EXCL: never through a link made meanwhile)."""
    if path.exists() or path.is_symlink():
        _remove(path)  # a temporary file left by a killed build (links were refused before)
    with path.open("xb") as handle:
        handle.write(data)


@dataclass
class WriteReport:
    """What a write did: files written, left alone because unchanged, and removed as stale."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when anything on disk changed."""
        return bool(self.written or self.removed)


def check_path(rel: str) -> PurePosixPath:
    """The page path as a relative POSIX path, refusing anything outside GENERATED_DIRS."""
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or "\\" in rel or len(path.parts) < 2 \
            or path.parts[0] not in GENERATED_DIRS:
        raise UnsafePath(f"refusing to write {rel!r}: pages go in one of {GENERATED_DIRS}")
    return path


def _encode(content: str | bytes) -> bytes:
    """Text as UTF-8 with LF line endings; bytes as given."""
    return content if isinstance(content, bytes) else content.encode("utf-8")


def write_tree(pages: Mapping[str, str | bytes], docs_dir: Path) -> WriteReport:
    """Write changed pages, leave identical ones untouched, and prune stale generated files."""
    return write_pages(pages, set(pages), docs_dir)


def write_pages(made: Mapping[str, str | bytes], keep: Set[str], docs_dir: Path, *,
                prune: bool = True) -> WriteReport:
    """Write the pages just made (each only if its content changed) and prune every generated
    file not in keep; pages in keep that were not made are left as they are (unchanged).
    prune=False skips the walk (the caller knows the set of pages has not changed)."""
    report = WriteReport()
    wanted = {check_path(rel): _encode(content) for rel, content in made.items()}
    # The pages kept only matter to the pruning walk; without it (a preview's edit) they are
    # reported as they are, not each turned into a checked path (1,280 of them at 1,000).
    kept = {check_path(rel) for rel in keep} | set(wanted) if prune else set()
    targets = [docs_dir.joinpath(*path.parts) for path in sorted(wanted)]
    refuse_links([docs_dir, *(docs_dir / folder for folder in GENERATED_DIRS), *targets,
                  *map(_temporary, targets)], docs_dir.parent)
    for path in sorted(wanted):
        target = docs_dir.joinpath(*path.parts)
        data = wanted[path]
        # Unchanged files keep their mtime, so a watching server rebuilds only real changes.
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            report.unchanged.append(str(path))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            _remove(target)
        tmp = _temporary(target)
        _write_new(tmp, data)
        tmp.replace(target)  # atomic: a watching server never reads a half-written page
        report.written.append(str(path))
    report.unchanged += sorted(str(p) for p in kept - set(wanted)) if prune else sorted(
        set(keep) - {str(p) for p in wanted})
    report.unchanged.sort()
    for folder in GENERATED_DIRS if prune else ():
        root = docs_dir / folder
        if not root.is_dir():
            continue
        for found in sorted(root.rglob("*"), reverse=True):
            rel = PurePosixPath(found.relative_to(docs_dir).as_posix())
            if found.is_dir() and not found.is_symlink():
                if not any(found.iterdir()):
                    found.rmdir()
            elif rel not in kept:
                found.unlink()
                report.removed.append(str(rel))
    report.removed.sort()
    return report


def _remove(target: Path) -> None:
    """Remove a symlink or a directory standing where a page must go."""
    if target.is_symlink() or target.is_file():
        target.unlink()
    else:
        for sub in sorted(target.rglob("*"), reverse=True):
            sub.rmdir() if sub.is_dir() and not sub.is_symlink() else sub.unlink()
        target.rmdir()


def write_cache_lines(lines: Mapping[str, str], folder: Path | None) -> int:
    """Keep newly rendered reference lines under the cache folder; how many were written."""
    if folder is None or not lines:
        return 0
    return _write_atomically(
        {folder / key[:2] / f"{key}.txt": text.encode("utf-8") for key, text in lines.items()},
        lambda path: path.with_suffix(f".{os.getpid()}.tmp"), folder)


def write_state(files: Mapping[str, bytes], folder: Path | None) -> int:
    """Keep an incremental build's state files (paths relative to folder); how many written."""
    if folder is None:
        return 0
    return _write_atomically({folder / rel: data for rel, data in files.items()},
                             lambda path: path.with_name(f".{path.name}.{os.getpid()}.tmp"),
                             folder)


def _write_atomically(files: Mapping[Path, bytes], temporary: Callable[[Path], Path],
                      folder: Path) -> int:
    """Write each file through its temporary twin, renamed into place (a concurrent build reads
    the old file or the new, never half of one), refusing links first; how many were written.
    A read-only checkout stops quietly: it still builds, only without what it would keep."""
    paths = sorted(files)
    refuse_links([folder, *paths, *map(temporary, paths)])
    written = 0
    for path in paths:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = temporary(path)
            _write_new(tmp, files[path])
            tmp.replace(path)
            written += 1
        except OSError:
            return written
    return written
