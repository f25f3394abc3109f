"""The build pipeline: load -> check -> model -> grade -> cite -> draw -> render -> write.

`generate` is pure apart from reading the evidence tree and the reference-line cache; `build`
adds the two writes (the generated pages and the new cache lines), both through the one writer.
The commands call these; nothing here prints or sets an exit code.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from build_tools import figures
from build_tools.check.runner import CheckResult, check
from build_tools.cite import cache as refcache
from build_tools.cite.exports import render_downloads
from build_tools.cite.formats import citation_blocks
from build_tools.grade.claim_effects import claim_effects
from build_tools.grade.rules import ClaimGrade, grade_all
from build_tools.grade.sof import summary_of_findings
from build_tools.paths import DOCS_DIR, EVIDENCE_DIR, ROOT
from build_tools.records.model import Corpus, build_corpus
from build_tools.scan import lexicon as scan_lexicon
from build_tools.scan.export import INDEX_PAGE, index_json
from build_tools.scan.index import build_index
from build_tools.site.parts import study_label
from build_tools.site.render import SiteInputs, render_site
from build_tools.site.writer import WriteReport, write_cache_lines, write_tree

# The figures shown on the evidence-profile pages besides the Figures page itself.
PROFILE_FIGURES = ("risk-of-bias-rob2", "risk-of-bias-robins-i", "dosing-map")


@dataclass(frozen=True)
class Generated:
    """The site's generated pages and what they were made from."""

    corpus: Corpus
    grades: dict[str, ClaimGrade]
    pages: dict[str, str]
    new_cache_lines: dict[str, str]


@dataclass(frozen=True)
class Built:
    """A finished build: the check, and (when the records were clean) the pages written."""

    check: CheckResult
    generated: Generated | None
    report: WriteReport | None


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


def generate(corpus: Corpus, *, updated: str | None = None,
             lines: refcache.LineCache | None = None) -> Generated:
    """Grade, cite, draw and render a clean corpus into every generated page (no writes)."""
    lines = lines if lines is not None else refcache.LineCache()
    grades = grade_all(corpus)
    effects = {cid: claim_effects(claim, grades[cid], corpus.studies)
               for cid, claim in corpus.claims.items() if grades[cid].kind == "evidence"}
    drawn = figures.render_figures(corpus, grades)
    forest_files, forests = figures.forest_figures(corpus, effects)
    snippets = {name: figures.figure_snippet(name, corpus, grades, here="profile")
                for name in PROFILE_FIGURES}
    labels = {sid: study_label(study) for sid, study in corpus.studies.items()}
    inputs = SiteInputs(corpus=corpus, grades=grades,
                        sof=summary_of_findings(corpus, grades, effects, labels),
                        effects=effects, forests=forests,
                        citations=citation_blocks(corpus.studies.values(), lines),
                        downloads=_by_file_name(render_downloads(corpus, grades)),
                        figures=drawn | forest_files,
                        snippets=snippets, last_updated=updated)
    pages = render_site(inputs)
    # The "Check a text" page matches pasted text in the browser against this index.
    pages[INDEX_PAGE] = index_json(build_index(corpus, grades, scan_lexicon.load()))
    return Generated(corpus, grades, pages, dict(lines.new))


def _by_file_name(downloads: dict[str, str]) -> dict[str, str]:
    """Downloads keyed by file name (the renderer puts them in their folder)."""
    return {path.rpartition("/")[2]: text for path, text in downloads.items()}


def build(evidence_dir: Path = EVIDENCE_DIR, root: Path = ROOT, docs_dir: Path = DOCS_DIR
          ) -> Built:
    """Check the records; when they are clean, generate the pages and write them."""
    result = check(evidence_dir=evidence_dir, root=root)
    if not result.ok:
        return Built(result, None, None)
    cache_folder = refcache.folder()
    generated = generate(build_corpus(result.records), updated=last_updated(root),
                         lines=refcache.load(cache_folder))
    report = write_tree(generated.pages, docs_dir)
    write_cache_lines(generated.new_cache_lines, cache_folder)
    return Built(result, generated, report)
