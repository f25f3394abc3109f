"""The build pipeline: load -> check -> model -> grade -> cite -> draw -> render -> write.

`plan` lists every generated file as a job (path, what it is made from, how to make it);
`generate` makes every job of a clean corpus (pure); `build` checks and makes only the jobs
whose inputs changed since the last build (incremental.py; state in .cache/build/), then
writes them and the new reference lines through the one writer. `session` is the same build
kept in memory, for `evidence serve`. The commands call these; nothing here prints or sets
an exit code.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from build_tools import figures
from build_tools.check.runner import CheckResult
from build_tools.cite import cache as refcache
from build_tools.cite.exports import DOWNLOADS
from build_tools.cite.exports import FOLDER as DOWNLOADS_FOLDER
from build_tools.cite.formats import citation_block
from build_tools.cite.pieces import Pieces
from build_tools.grade.claim_effects import ClaimEffects, claim_effects
from build_tools.grade.rules import ClaimGrade, grade_all
from build_tools.grade.sof import summary_of_findings
from build_tools.incremental import Planner, Refresh, Session
from build_tools.paths import DOCS_DIR, EVIDENCE_DIR, ROOT
from build_tools.records.model import Corpus, corpus_of
from build_tools.scan import lexicon as scan_lexicon
from build_tools.scan.export import INDEX_PAGE, index_json
from build_tools.scan.index import build_index
from build_tools.site.parts import study_label
from build_tools.site.plan import page_jobs, record_jobs
from build_tools.site.render import PageJob, SiteInputs, Snippet
from build_tools.site.writer import WriteReport, write_cache_lines

# The figures shown on the evidence-profile pages besides the Figures page itself.
PROFILE_FIGURES = ("risk-of-bias-rob2", "risk-of-bias-robins-i", "dosing-map")
# What each kind of download is made from (cite/exports.py DOWNLOADS), as page-job needs.
DOWNLOAD_NEEDS = {"studies": (("all", "study"),),
                  "everything": (("all", "study"), ("all", "claim"), ("all", "source"),
                                 ("all", "search"), ("all", "grade"))}


@dataclass(frozen=True)
class Generated:
    """The site's generated pages and what they were made from."""

    corpus: Corpus
    grades: dict[str, ClaimGrade]
    pages: dict[str, str]
    new_cache_lines: dict[str, str]


@dataclass(frozen=True)
class Built:
    """A finished build: the check, and (when the records were clean) what was written."""

    check: CheckResult
    report: WriteReport | None
    refresh: Refresh


class Lazy(Mapping):
    """Values by key, each computed on first use (only the pages being made ask)."""

    def __init__(self, keys: Iterable[str], make: Callable[[str], Any]):
        self.keys_, self.make, self.made = tuple(keys), make, {}
        self.known = set(self.keys_)

    def __getitem__(self, key: str) -> Any:
        if key not in self.made:
            if key not in self.known:
                raise KeyError(key)
            self.made[key] = self.make(key)
        return self.made[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_)

    def __len__(self) -> int:
        return len(self.keys_)


def citations(corpus: Corpus, lines: refcache.LineCache) -> Lazy:
    """Citation blocks by study id, each rendered on first use."""
    return Lazy(corpus.studies, lambda sid: citation_block(corpus.studies[sid], lines))


def effects_of(corpus: Corpus, grades: Mapping[str, ClaimGrade]) -> Lazy:
    """Each evidence claim's numbers (claim_effects), computed on first use."""
    return Lazy((cid for cid in corpus.claims if grades[cid].kind == "evidence"),
                lambda cid: claim_effects(corpus.claims[cid], grades[cid], corpus.studies))


def forests_of(corpus: Corpus, effects: Mapping[str, ClaimEffects]) -> Lazy:
    """Each evidence claim's forest plot data (None without one), computed on first use."""
    return Lazy(effects, lambda cid: figures.forest_data(corpus.claims[cid], effects[cid],
                                                         corpus.studies))


def last_updated(root: Path = ROOT) -> str | None:
    """Date (YYYY-MM-DD) of the last commit touching evidence/, or None outside git."""
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%cs", "--",
                               "evidence"], capture_output=True, text=True, timeout=10,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    date = done.stdout.strip()
    return date if done.returncode == 0 and len(date) == 10 else None


def _profile_snippet(data: figures.FigureData) -> str:
    """A figure's block for a page under profile/."""
    return str(figures.snippet(data, "profile"))


def download_jobs(corpus: Corpus, grades: Mapping[str, ClaimGrade],
                  pieces: Pieces | None = None) -> list[PageJob]:
    """Every whole-base download as a job (pieces: per-record pieces kept by a session)."""
    return [PageJob(f"{DOWNLOADS_FOLDER}/{name}", DOWNLOAD_NEEDS[needs],
                    partial(make, corpus, grades, pieces))
            for name, (needs, make) in DOWNLOADS.items()]


def plan(corpus: Corpus, grades: Mapping[str, ClaimGrade], *, updated: str | None = None,
         lines: refcache.LineCache | None = None, pieces: Pieces | None = None
         ) -> list[PageJob]:
    """Every generated file as a job; figures' data, each claim's numbers and the SoF tables
    are computed here (cheap), drawing, citing and rendering only when a job is made."""
    built = figures.build_figures(corpus, grades)
    snippets = {name: Snippet(built[name], partial(_profile_snippet, built[name]))
                for name in PROFILE_FIGURES}
    downloads = download_jobs(corpus, grades, pieces)
    effects = effects_of(corpus, grades)
    forests = forests_of(corpus, effects)
    labels = {sid: study_label(study) for sid, study in corpus.studies.items()}
    inputs = SiteInputs(corpus=corpus, grades=grades,
                        sof=summary_of_findings(corpus, grades, effects, labels),
                        citations=citations(corpus, lines if lines is not None
                                            else refcache.LineCache()),
                        download_names=tuple(j.path.rpartition("/")[2] for j in downloads),
                        snippets=snippets, effects=effects, forests=_blocks(forests),
                        last_updated=updated)
    return (page_jobs(inputs) + figures.figure_jobs(built) + figures.forest_jobs(forests)
            + downloads + [scan_index_job(corpus, grades)])


def _blocks(forests: Mapping[str, Any]) -> Lazy:
    """Each claim's forest plot block for its page."""
    return Lazy(forests, lambda cid: figures.forest_block(forests[cid]))


def scan_index_job(corpus: Corpus, grades: Mapping[str, ClaimGrade]) -> PageJob:
    """The index the "Check a text" page matches pasted text against, in the browser."""
    return PageJob(INDEX_PAGE, (("all", "claim"), ("all", "grade")),
                   lambda: index_json(build_index(corpus, grades, scan_lexicon.load())))


def generate(corpus: Corpus, *, updated: str | None = None,
             lines: refcache.LineCache | None = None) -> Generated:
    """Grade, cite, draw and render a clean corpus into every generated page (no writes)."""
    lines = lines if lines is not None else refcache.LineCache()
    grades = grade_all(corpus)
    jobs = sorted(plan(corpus, grades, updated=updated, lines=lines), key=lambda j: j.path)
    return Generated(corpus, grades, {job.path: job.make() for job in jobs}, dict(lines.new))


class BuildSession(Session):
    """An incremental build that also keeps the reference lines it rendered (.cache/citations)."""

    def __init__(self, evidence_dir: Path, root: Path, docs_dir: Path, *, persist: bool = True,
                 autosave: bool = True):
        self.lines = refcache.load(refcache.folder())
        self.pieces = Pieces()
        super().__init__(evidence_dir, root, docs_dir, self._plan, persist=persist,
                         autosave=autosave)

    def _plan(self, corpus: Corpus, grades: Mapping[str, ClaimGrade]) -> list[PageJob]:
        """Every job, dated by the last commit to the evidence."""
        return plan(corpus, grades, updated=last_updated(self.root), lines=self.lines,
                    pieces=self.pieces)

    def prime(self) -> None:
        """Render the downloads' per-record pieces (after a refresh), so the first edit of a
        preview makes its downloads as fast as the next ones."""
        corpus = corpus_of({key: model for key, (_d, model) in self.memory.models.items()})
        grades = {cid: grade for cid, (_k, grade, _d) in self.memory.grades.items()}
        for job in download_jobs(corpus, grades, self.pieces):
            job.make()

    def _plan_records(self, corpus: Corpus, grades: Mapping[str, ClaimGrade]) -> list[PageJob]:
        """The study, claim and source pages only: nothing whole-base is computed."""
        effects = effects_of(corpus, grades)
        inputs = SiteInputs(corpus=corpus, grades=grades, sof=(),
                            citations=citations(corpus, self.lines), effects=effects,
                            forests=_blocks(forests_of(corpus, effects)))
        return record_jobs(inputs)

    def refresh_records(self) -> Refresh:
        """A refresh of the record pages alone (a preview shows them before the rest)."""
        return self.refresh(self._plan_records)

    def refresh(self, planner: Planner | None = None) -> Refresh:
        """A refresh (incremental.Session.refresh), then the new reference lines written."""
        done = super().refresh(planner)
        write_cache_lines(self.lines.new, refcache.folder())
        self.lines.new.clear()
        return done


def session(evidence_dir: Path = EVIDENCE_DIR, root: Path = ROOT, docs_dir: Path = DOCS_DIR,
            *, persist: bool = True, autosave: bool = True) -> BuildSession:
    """A build kept between refreshes: each refresh makes only what the edits reach."""
    return BuildSession(evidence_dir, root, docs_dir, persist=persist, autosave=autosave)


def build(evidence_dir: Path = EVIDENCE_DIR, root: Path = ROOT, docs_dir: Path = DOCS_DIR
          ) -> Built:
    """Check the records; when they are clean, make and write the pages whose inputs changed
    since the last build (every page the first time, or with EVIDENCE_CACHE=off)."""
    done = session(evidence_dir, root, docs_dir).refresh()
    return Built(done.check, done.report, done)
