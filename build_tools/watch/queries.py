"""The watch's query families (build_tools/watch/queries.yaml): loaded, checked, blocks expanded."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from build_tools.paths import PACKAGE_DIR
from build_tools.records.files import display_path
from build_tools.records.yamlio import Loaded, YamlError, load_text
from build_tools.watch.model import InputError

QUERIES_FILE = PACKAGE_DIR / "watch" / "queries.yaml"
FAMILY_ID = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
BLOCK_USE = re.compile(r"\{([a-z][a-z0-9-]*)\}")
MAX_QUERY = 4000  # E-utilities accept long GET queries, but a query this long is a mistake


@dataclass(frozen=True)
class CtgovQuery:
    """A ClinicalTrials.gov query: condition and intervention terms (either may be empty)."""

    cond: str
    intr: str


@dataclass(frozen=True)
class Family:
    """One protocol query family as the watch runs it."""

    id: str
    pubmed: str | None
    ctgov: CtgovQuery | None


@dataclass(frozen=True)
class QuerySet:
    """The families of one queries file, and the file's name and SHA-256 (cited in the record)."""

    families: tuple[Family, ...]
    display: str
    sha256: str


def _fail(path: Path, loaded: Loaded | None, where: tuple, message: str) -> InputError:
    """A positioned error for the queries file."""
    line, col = loaded.position(where) if loaded else (1, 1)
    return InputError(f"{display_path(path)}:{line}:{col}: {message}")


def _text(path: Path, loaded: Loaded, where: tuple, value: object) -> str:
    """A non-empty one-line string, or an error at its position."""
    if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
        raise _fail(path, loaded, where, "expected a non-empty one-line text")
    return value.strip()


def _expand(path: Path, loaded: Loaded, where: tuple, query: str, blocks: dict[str, str]) -> str:
    """A PubMed query with its {block} names replaced by the blocks' terms."""
    unknown = sorted(set(BLOCK_USE.findall(query)) - set(blocks))
    if unknown:
        raise _fail(path, loaded, where, f"unknown block {{{unknown[0]}}}; blocks are: "
                    + ", ".join(sorted(blocks)))
    expanded = BLOCK_USE.sub(lambda m: blocks[m.group(1)], query)
    if len(expanded) > MAX_QUERY or expanded.count("(") != expanded.count(")"):
        raise _fail(path, loaded, where, "query is over 4000 characters or its brackets do not pair")
    return expanded


def _family(path: Path, loaded: Loaded, i: int, entry: object, blocks: dict[str, str]) -> Family:
    """One family entry, checked."""
    where = ("families", i)
    if not isinstance(entry, dict) or set(entry) - {"id", "pubmed", "ctgov"}:
        raise _fail(path, loaded, where, "a family has id, pubmed and/or ctgov, nothing else")
    fid = entry.get("id")
    if not isinstance(fid, str) or not FAMILY_ID.match(fid):
        raise _fail(path, loaded, (*where, "id"), "family id must be a short lower-case slug")
    pubmed = None
    if "pubmed" in entry:
        raw = _text(path, loaded, (*where, "pubmed"), entry["pubmed"])
        pubmed = _expand(path, loaded, (*where, "pubmed"), raw, blocks)
    ctgov = None
    if "ctgov" in entry:
        spec = entry["ctgov"]
        if not isinstance(spec, dict) or not spec or set(spec) - {"cond", "intr"}:
            raise _fail(path, loaded, (*where, "ctgov"), "ctgov has cond and/or intr")
        ctgov = CtgovQuery(*(_text(path, loaded, (*where, "ctgov", k), spec[k]) if k in spec
                             else "" for k in ("cond", "intr")))
    if pubmed is None and ctgov is None:
        raise _fail(path, loaded, where, f"family {fid} has neither pubmed nor ctgov")
    return Family(fid, pubmed, ctgov)


def load_queries(path: Path = QUERIES_FILE) -> QuerySet:
    """The query families of a queries file; InputError with file:line:col when it is wrong."""
    try:
        raw = path.read_bytes()
        loaded = load_text(raw)
    except OSError as exc:
        raise InputError(f"{display_path(path)}: cannot read the queries file: "
                         f"{exc.strerror or exc}") from None
    except YamlError as exc:
        raise InputError(f"{display_path(path)}:{exc.line}:{exc.col}: {exc.message}") from None
    data = loaded.data
    assert isinstance(data, dict)  # load_text refuses any other top level
    blocks = data.get("blocks", {})
    if not isinstance(blocks, dict) or set(data) - {"blocks", "families"}:
        raise _fail(path, loaded, (), "the file has `blocks` (a mapping) and `families` only")
    for name, terms in blocks.items():
        _text(path, loaded, ("blocks", name), terms)
    entries = data.get("families")
    if not isinstance(entries, list) or not entries:
        raise _fail(path, loaded, ("families",), "`families` must be a non-empty list")
    families = tuple(_family(path, loaded, i, e, blocks) for i, e in enumerate(entries))
    seen: set[str] = set()
    for i, family in enumerate(families):
        if family.id in seen:
            raise _fail(path, loaded, ("families", i, "id"), f"family {family.id} appears twice")
        seen.add(family.id)
    return QuerySet(families, display_path(path), hashlib.sha256(raw).hexdigest())
