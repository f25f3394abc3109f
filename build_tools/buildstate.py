"""What an incremental build remembers between runs, as JSON under .cache/build/ (gitignored).

Everything is keyed by content, never by time: a parsed record by its file's digest, a page by
the digest of its inputs. Each entry also carries the digest of the code, templates, CSL styles,
schema and library versions that made it, so a change to any of them discards it. JSON, not
pickle: a cache restored from elsewhere (a CI cache) must never be able to run code.
EVIDENCE_CACHE=off disables it, like the reference-line cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from build_tools.paths import PACKAGE_DIR, SCHEMA_DIR
from build_tools.records.yamlio import Loaded

STATE_VERSION = "1"
# Libraries whose output ends up in generated files.
LIBRARIES = ("jinja2", "markupsafe", "citeproc-py", "bibtexparser", "rispy", "matplotlib",
             "pyyaml", "lxml")


def folder(docs_dir: Path) -> Path | None:
    """Where the state of the build writing into docs_dir lives, or None when caching is off."""
    if os.environ.get("EVIDENCE_CACHE", "").lower() in ("off", "0", "no"):
        return None
    return docs_dir.parent / ".cache" / "build"


@cache
def code_digest() -> str:
    """Digest of everything besides the records that shapes the output."""
    digest = hashlib.blake2b(f"{STATE_VERSION} {platform.python_version()}".encode(),
                             digest_size=16)
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none;".encode())
    files = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted(files) + sorted(SCHEMA_DIR.glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def encode_loaded(loaded: Loaded, first_line: str) -> bytes:
    """A parsed record as JSON (positions as [path..., line, col] lists)."""
    return json.dumps({
        "code": code_digest(), "data": loaded.data, "crlf": loaded.crlf, "first": first_line,
        "positions": [[*path, *at] for path, at in loaded.positions.items()],
        "keys": [[*path, *at] for path, at in loaded.key_positions.items()],
    }, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_loaded(raw: bytes) -> tuple[Loaded, str]:
    """The parsed record back; ValueError (or KeyError, TypeError) when it is not one of ours."""
    found = json.loads(raw)
    if found["code"] != code_digest() or not isinstance(found["data"], dict):
        raise ValueError("made by other code")
    loaded = Loaded(found["data"],
                    {tuple(e[:-2]): (int(e[-2]), int(e[-1])) for e in found["positions"]},
                    {tuple(e[:-2]): (int(e[-2]), int(e[-1])) for e in found["keys"]},
                    bool(found["crlf"]))
    return loaded, str(found["first"])


class ParsedOnDisk(MutableMapping):
    """Parsed records by file digest, read from .cache/build/parsed/ only when asked for;
    entries added since loading are in `new`, for the writer."""

    def __init__(self, where: Path | None):
        self.where = where
        self.known: dict[str, tuple[Loaded, str]] = {}
        self.new: dict[str, tuple[Loaded, str]] = {}

    def path(self, digest: str) -> str:
        """The entry's file, relative to the state folder."""
        return f"parsed/{digest[:2]}/{digest}.json"

    def __getitem__(self, digest: str) -> tuple[Loaded, str]:
        if digest in self.known:
            return self.known[digest]
        if self.where is None or not digest.isalnum():
            raise KeyError(digest)
        try:
            found = decode_loaded((self.where / self.path(digest)).read_bytes())
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise KeyError(digest) from exc  # missing or damaged: parsed again
        self.known[digest] = found
        return found

    def __setitem__(self, digest: str, value: tuple[Loaded, str]) -> None:
        if digest not in self.known:
            self.new[digest] = value
        self.known[digest] = value

    def __delitem__(self, digest: str) -> None:
        self.known.pop(digest)
        self.new.pop(digest, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


@dataclass
class Stored:
    """The remembered state: parsed files, schema-valid (kind, digest) pairs, each record file's
    digest, each claim's grade key and grade digest, and per page the key of the inputs it was
    made from with the size and mtime the file had once written (to notice a generated file
    deleted or edited by hand: outputs only, never inputs)."""

    parsed: ParsedOnDisk
    valid: set[tuple[str, str]] = field(default_factory=set)
    files: dict[str, str] = field(default_factory=dict)
    grades: dict[str, tuple[str, str]] = field(default_factory=dict)
    pages: dict[str, tuple[str, int, int]] = field(default_factory=dict)


def load(where: Path | None) -> Stored:
    """The state kept in where (empty when missing, damaged, or made by other code)."""
    stored = Stored(ParsedOnDisk(where))
    if where is None:
        return stored
    try:
        found = json.loads((where / "state.json").read_bytes())
        if found["code"] != code_digest():
            return stored
        stored.valid = {(str(k), str(d)) for k, d in found["valid"]}
        stored.files = {str(p): str(d) for p, d in found["files"].items()}
        stored.grades = {str(c): (str(k), str(d)) for c, (k, d) in found["grades"].items()}
        stored.pages = {str(p): (str(k), int(s), int(m)) for p, (k, s, m) in found["pages"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Stored(ParsedOnDisk(where))
    return stored


def dump(stored: Stored) -> dict[str, bytes]:
    """The files to (re)write, relative to the state folder: new parsed records and the state."""
    files = {stored.parsed.path(d): encode_loaded(*v) for d, v in stored.parsed.new.items()}
    files["state.json"] = json.dumps(
        {"code": code_digest(), "valid": sorted(stored.valid), "files": stored.files,
         "grades": {c: list(v) for c, v in sorted(stored.grades.items())},
         "pages": {p: list(v) for p, v in sorted(stored.pages.items())}},
        separators=(",", ":")).encode("utf-8")
    return files
