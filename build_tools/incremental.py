"""Incremental builds: an edit re-parses only changed files, re-grades only the claims it touches
and re-makes only the pages whose inputs changed; every decision is by content digest.

A record's digest is its file's bytes; a grade's, the grade itself; a page's key digests the
code (buildstate.code_digest) and what the page needs (site/plan.py). A Session remembers what
its last refresh learned: `evidence serve` keeps one in memory across edits, `evidence build`
loads it from .cache/build/ and saves it back. Cross-record checks still run on every record,
so a refresh reports exactly the problems a full check would; while there are errors nothing
is written and the last good pages stay.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from build_tools import buildstate
from build_tools.canonical import Spelled, canonical, digest
from build_tools.check.runner import CheckMemo, CheckResult, check
from build_tools.grade.rules import ClaimGrade, grade_claim
from build_tools.records.model import Claim, Corpus, build_record, corpus_of
from build_tools.site.writer import WriteReport, write_pages, write_state

if TYPE_CHECKING:  # a type only: jobs are handed in by the planner
    from build_tools.site.render import PageJob

# Given the corpus and its grades, every generated file as a job (pipeline.plan).
Planner = Callable[[Corpus, Mapping[str, ClaimGrade]], "list[PageJob]"]
KINDS_OF_NEEDS = ("study", "claim", "source", "search")


@dataclass
class Refresh:
    """What one refresh did: the check, the write (None while there are errors), the record
    files whose content changed, the claims re-graded and the pages re-made."""

    check: CheckResult
    report: WriteReport | None
    changed: tuple[str, ...] = ()
    regraded: tuple[str, ...] = ()
    made: tuple[str, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)  # per step, in order


class Laps:
    """Seconds spent per step of a refresh."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, step: str) -> None:
        """Close the step that just ended."""
        now = time.perf_counter()
        self.laps[step] = now - self.last
        self.last = now


@dataclass
class Memory:
    """What a session knows from its last refresh (the models and grades only in memory)."""

    stored: buildstate.Stored
    check: CheckMemo
    models: dict[tuple[str, str], tuple[str, Any]] = field(default_factory=dict)
    grades: dict[str, tuple[str, ClaimGrade, str]] = field(default_factory=dict)
    spelled: Spelled = field(default_factory=Spelled)


def grade_key(claim: Claim, digests: Mapping[tuple[str, str], str]) -> str:
    """What a claim's grade is made from: the claim and every study it names."""
    named = {lk.get("study") for lk in claim.evidence} | {(claim.attribution or {}).get("study")}
    for judgement in (claim.judgements or {}).values():
        named |= {str(ref).partition("#")[0] for ref in (judgement or {}).get("critiques") or ()}
    return digest(digests[("claim", claim.id)],
                  *(f"{sid}={digests.get(('study', sid), '-')}" for sid in sorted(
                      s for s in named if isinstance(s, str))))


class Needs:
    """Digests of what pages need, each computed once per refresh."""

    def __init__(self, digests: Mapping[tuple[str, str], str], grades: Mapping[str, str],
                 known: Spelled | None = None):
        self.digests, self.grades = digests, grades
        self.memo: dict[Any, str] = {}
        self.known = known if known is not None else Spelled()

    def of(self, ref: tuple) -> str:
        """The digest of one reference (see site/plan.py for the vocabulary)."""
        kind, what = ref
        if kind in KINDS_OF_NEEDS:
            return self.digests.get((kind, what), "absent")
        if kind == "grade":
            return self.grades.get(what, "absent")
        key = (kind, what) if kind == "all" else (kind, id(what))
        if key not in self.memo:
            self.memo[key] = (self._all(what) if kind == "all"
                              else digest(canonical(what, self.known)))
        return self.memo[key]

    def _all(self, kind: str) -> str:
        """Every record of a kind (or every grade) at once."""
        pairs = (sorted(self.grades.items()) if kind == "grade" else
                 sorted((rid, d) for (k, rid), d in self.digests.items() if k == kind))
        return digest(*(f"{rid}={d}" for rid, d in pairs))

    def key(self, job: PageJob) -> str:
        """The page's key: code, path and the digest of each need."""
        return digest(buildstate.code_digest(), job.path, *(self.of(n) for n in job.needs))


class Session:
    """An evidence tree built into docs_dir, refreshed as often as its records change."""

    def __init__(self, evidence_dir: Path, root: Path, docs_dir: Path, planner: Planner,
                 *, persist: bool = True, autosave: bool = True):
        self.evidence_dir, self.root, self.docs_dir = evidence_dir, root, docs_dir
        self.planner = planner
        self.paths: set[str] = set()  # the pages of the last refresh (none yet: prune once)
        self.state_dir = buildstate.folder(docs_dir) if persist else None
        # A preview saves when it stops, not on every edit.
        self.autosave, self.unsaved = autosave, False
        stored = buildstate.load(self.state_dir)
        self.memory = Memory(stored, CheckMemo(parsed=stored.parsed, valid=stored.valid))

    def refresh(self, planner: Planner | None = None) -> Refresh:
        """Check every record (re-parsing only changed files); when clean, re-make and write
        only the pages whose inputs changed. With errors nothing is written.

        planner: some of the pages only (a preview's record pages first); the others are left
        as they are, neither made nor pruned, for the next full refresh.
        """
        memory, laps = self.memory, Laps()
        result = check(evidence_dir=self.evidence_dir, root=self.root, memo=memory.check)
        laps.lap("check")
        files = {r.file.display: r.digest for r in result.records}
        known = memory.stored.files
        changed = tuple(sorted(p for p, d in files.items() if known.get(p) != d)
                        + sorted(set(known) - set(files)))
        if not result.ok:
            return Refresh(result, None, changed, seconds=laps.laps)
        corpus, digests = self._models(result)
        regraded = self._grade(corpus, digests)
        grades = {cid: grade for cid, (_key, grade, _d) in memory.grades.items()}
        laps.lap("model+grade")
        jobs = (planner or self.planner)(corpus, grades)
        needs = Needs(digests, {cid: d for cid, (_k, _g, d) in memory.grades.items()},
                      memory.spelled)
        keys = {job.path: needs.key(job) for job in jobs}
        due = [job for job in jobs if not self._current(job.path, keys[job.path])]
        memory.spelled.rotate()
        laps.lap("plan")
        made = {job.path: job.make() for job in due}  # everything made before anything written
        laps.lap("make")
        # The folders are walked for stale files only when the set of pages changed (and once).
        every = planner is None
        report = write_pages(made, set(keys) if every else set(memory.stored.pages) | set(keys),
                             self.docs_dir, prune=every and set(keys) != self.paths)
        self.paths = set(keys) if every else self.paths
        memory.stored.files = files
        self._remember(keys, made, every)
        laps.lap("write")
        return Refresh(result, report, changed, regraded, tuple(sorted(made)), laps.laps)

    def _models(self, result: CheckResult) -> tuple[Corpus, dict[tuple[str, str], str]]:
        """Typed records, rebuilt only for files whose content changed; digests by (kind, id)."""
        old, new = self.memory.models, {}
        for record in result.records:
            key = (record.file.kind, record.file.stem)
            known = old.get(key)
            new[key] = known if known and known[0] == record.digest else (
                record.digest, build_record(record))
        self.memory.models = new
        return corpus_of({k: model for k, (_d, model) in new.items()}), {
            k: d for k, (d, _m) in new.items()}

    def _grade(self, corpus: Corpus, digests: Mapping[tuple[str, str], str]) -> tuple[str, ...]:
        """Re-grade the claims whose claim or named studies changed; the ids re-graded."""
        old, stored, new, regraded = self.memory.grades, self.memory.stored.grades, {}, []
        for cid, claim in corpus.claims.items():
            key = grade_key(claim, digests)
            if cid in old and old[cid][0] == key:
                new[cid] = old[cid]
                continue
            grade = grade_claim(claim, corpus.studies)  # a new process grades every claim once
            if stored.get(cid, ("",))[0] == key:
                new[cid] = (key, grade, stored[cid][1])
                continue
            new[cid] = (key, grade, digest(canonical(grade)))
            regraded.append(cid)
        self.memory.grades = new
        self.memory.stored.grades = {cid: (k, d) for cid, (k, _g, d) in new.items()}
        return tuple(regraded)

    def _current(self, path: str, key: str) -> bool:
        """True when the file on disk was made from inputs with this key and is as written."""
        known = self.memory.stored.pages.get(path)
        if known is None or known[0] != key:
            return False
        try:
            stat = (self.docs_dir / path).stat()
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == known[1:]

    def _remember(self, keys: Mapping[str, str], made: Iterable[str], every: bool = True
                  ) -> None:
        """Record what is on disk now (saved after each refresh unless autosave is off)."""
        pages = self.memory.stored.pages
        for path in set(pages) - set(keys) if every else ():
            del pages[path]
        for path in made:
            stat = (self.docs_dir / path).stat()
            pages[path] = (keys[path], stat.st_size, stat.st_mtime_ns)
        self.unsaved = True
        if self.autosave:
            self.save()

    def save(self) -> None:
        """Keep the state for the next session (when it persists and has changed)."""
        if self.state_dir is not None and self.unsaved:
            write_state(buildstate.dump(self.memory.stored), self.state_dir)
            self.memory.stored.parsed.new.clear()
        self.unsaved = False
