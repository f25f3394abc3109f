"""Every generated page as a job: its path, what it is made from, and how to make it.

A job's `needs` names its inputs, so an incremental build can tell (by content digests) which
pages an edit reaches without rendering any page. A reference is ("study" | "claim" | "source" |
"search" | "grade", id) for one record or one claim's grade, ("all", kind) for every record of a
kind (or every grade), or ("value", x) for a value computed here (its repr is digested). Code,
templates and the schema are in every key. tests/test_incremental.py holds the declarations to
the pages: after any edit, the pages re-made from changed needs equal a full render.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from build_tools.site import words as labels
from build_tools.site.markup import Md, trusted
from build_tools.site.parts import search_facets, study_label
from build_tools.site.render import PageJob, render
from build_tools.site.views import claim as claim_view
from build_tools.site.views import overview as site_view
from build_tools.site.views import reference as reference_view
from build_tools.site.views import study as study_view

if TYPE_CHECKING:  # types only
    from build_tools.grade.rules import ClaimGrade
    from build_tools.records.model import Claim, Corpus, Source, Study
    from build_tools.site.render import SiteInputs


def _study_needs(study: Study, linked: list) -> tuple:
    """A study page: the study, the claims that link it and their grades, who critiques it."""
    needs: list[tuple] = [("study", study.id)]
    for cid, _claim, _link in linked:
        needs += [("claim", cid), ("grade", cid)]
    for critique in study.critiques:
        if critique.get("by_source"):
            needs.append(("source", critique["by_source"]))
        if critique.get("by_study"):
            needs.append(("study", critique["by_study"]))
    return tuple(needs)


def _claim_needs(claim: Claim) -> tuple:
    """A claim page: the claim, its grade, who asserts it and every study it names."""
    needs: list[tuple] = [("claim", claim.id), ("grade", claim.id)]
    for item in claim.asserted_by:
        needs.append(("source", item["source"]) if item.get("source")
                     else ("study", item.get("study", "")))
    needs += [("study", lk.get("study")) for lk in claim.evidence]
    if (claim.attribution or {}).get("study"):
        needs.append(("study", claim.attribution["study"]))
    return tuple(needs)


def _source_needs(source: Source, asserts: Mapping[str, list[str]],
                  critics: Mapping[str, list[str]]) -> tuple:
    """A source page: the source, the claims it makes with their grades, the studies it
    critiques."""
    needs: list[tuple] = [("source", source.id)]
    for cid in asserts.get(source.id, ()):
        needs += [("claim", cid), ("grade", cid)]
    needs += [("study", sid) for sid in critics.get(source.id, ())]
    return tuple(needs)


def _claims_by_source(corpus: Corpus) -> dict[str, list[str]]:
    """source id -> ids of the claims it asserts, in claim order."""
    out: dict[str, list[str]] = {}
    for cid, claim in corpus.claims.items():
        for rid in dict.fromkeys(a.get("source") for a in claim.asserted_by if a.get("source")):
            out.setdefault(rid, []).append(cid)
    return out


def _critiques_by_source(corpus: Corpus) -> dict[str, list[str]]:
    """source id -> ids of the studies carrying a critique made by that source."""
    out: dict[str, list[str]] = {}
    for sid, study in corpus.studies.items():
        for critique in study.critiques:
            if critique.get("by_source"):
                out.setdefault(critique["by_source"], []).append(sid)
    return out


def _page(path: str, needs: tuple, template: str, view: Callable[..., dict], *args: Any
          ) -> PageJob:
    """A job that renders one template with the view computed from args when made."""
    return PageJob(path, needs, partial(_render_view, template, view, args))


def _render_view(template: str, view: Callable[..., dict], args: tuple) -> str:
    """Compute the view data and render the template (called only when the page is made)."""
    return render(template, page=view(*args))


def record_jobs(inputs: SiteInputs) -> list[PageJob]:
    """One page per study, claim and source."""
    corpus = inputs.corpus
    by_study = study_view.claims_by_study(corpus)
    jobs = [PageJob(f"studies/{sid}.md", _study_needs(study, by_study.get(sid, [])),
                    partial(_study_page, study, inputs, by_study))
            for sid, study in corpus.studies.items()]
    jobs += [PageJob(f"claims/{cid}.md", _claim_needs(claim), partial(_claim_page, claim, inputs))
             for cid, claim in corpus.claims.items()]
    critics, asserts = _critiques_by_source(corpus), _claims_by_source(corpus)
    jobs += [PageJob(f"sources/{rid}.md", _source_needs(source, asserts, critics),
                     partial(_source_page, source, inputs))
             for rid, source in corpus.sources.items()]
    return jobs


def _claim_page(claim: Claim, inputs: SiteInputs) -> str:
    """One claim page (its numbers and forest plot are looked up only now: they may be
    computed lazily; both follow from the claim, its grade and the studies it names)."""
    return render("claim.md.j2", page=claim_view.claim_page(
        claim, inputs.corpus, inputs.grades, inputs.effects.get(claim.id),
        inputs.forests.get(claim.id, ""))) + _claim_facets(inputs.grades[claim.id])


def _claim_facets(grade: ClaimGrade) -> Md:
    """A claim page's search filters: its verdict and certainty in words (the page's own)."""
    certainty = labels.word(grade.certainty) if grade.certainty else None
    verdict = labels.VERDICT_WORDS.get(grade.verdict, labels.word(grade.verdict))
    return search_facets("Claim", verdict=verdict, certainty=certainty)


def _source_page(source: Source, inputs: SiteInputs) -> str:
    """One source page, with its search filter (the kind of source)."""
    return render("source.md.j2", page=site_view.source_page(
        source, inputs.corpus, inputs.grades)) + search_facets("Source", type=labels.word(source.kind))


def _study_page(study: Study, inputs: SiteInputs, by_study: Mapping[str, list]) -> str:
    """One study page (its citation block is looked up only now: it may be rendered lazily)."""
    return render("study.md.j2", page=study_view.study_page(
        study, inputs.corpus, inputs.grades, inputs.citations[study.id], by_study)) + search_facets(
        "Study", design=labels.word(study.design))


def index_jobs(inputs: SiteInputs) -> list[PageJob]:
    """The tables of studies, claims and sources, and the studies table's data file."""
    corpus, grades = inputs.corpus, inputs.grades
    studies = list(corpus.studies.values())
    lazy = len(studies) > site_view.INLINE_ROWS
    shown = studies[:site_view.FIRST_ROWS] if lazy else studies
    jobs = [_page("studies/index.md", (*(("study", s.id) for s in shown),
                                       ("value", (len(studies), lazy))),
                  "studies.md.j2", site_view.studies_index, corpus)]
    if lazy:
        jobs.append(PageJob("studies/table.json", (("all", "study"),),
                            partial(site_view.studies_table_data, corpus)))
    jobs.append(_page("claims/index.md", (("all", "claim"), ("all", "grade")), "claims.md.j2",
                      claim_view.claims_index, corpus, grades))
    asserts = _claims_by_source(corpus)
    counts = tuple((rid, len(asserts.get(rid, ()))) for rid in corpus.sources)
    jobs.append(_page("sources/index.md", (("all", "source"), ("value", counts)),
                      "sources.md.j2", site_view.sources_index, corpus))
    return jobs


def overview_jobs(inputs: SiteInputs) -> list[PageJob]:
    """Evidence profile, dosing, the home page's bottom line, references and downloads list."""
    corpus, grades, snippets = inputs.corpus, inputs.grades, inputs.snippets
    key = [cid for cid, claim in corpus.claims.items() if claim.key]
    reviewed = max((r.reviewed for kind in (corpus.studies, corpus.claims, corpus.sources)
                    for r in kind.values()), default=None)
    # The home page shows each key claim's first number: it follows from the studies it names.
    home_needs = (*(ref for cid in key for ref in _claim_needs(corpus.claims[cid])),
                  ("value", (len(corpus.studies), len(corpus.claims), len(corpus.sources),
                             reviewed, inputs.last_updated)))
    doses = tuple((s.id, study_label(s), s.intervention) for s in corpus.studies.values())
    names = sorted(inputs.download_names)
    ids = tuple(corpus.studies)
    return [
        PageJob("profile/index.md", (("value", inputs.sof), *(
            ("value", snippets[n].data) for n in PROFILE_SNIPPETS if n in snippets)),
                partial(_profile_page, inputs)),
        PageJob("profile/dosing.md", (("value", doses), *(
            ("value", snippets[n].data) for n in ("dosing-map",) if n in snippets)),
                partial(_dosing_page, inputs)),
        _page("generated/home.md", home_needs, "home.md.j2", site_view.home_snippet, corpus,
              grades, inputs.last_updated, inputs.effects),
        _page("reference/fields.md", (), "fields.md.j2", reference_view.fields_page),
        _page("reference/errors.md", (), "errors.md.j2", reference_view.errors_page),
        # The PRISMA flow counts and links the base's studies by id.
        _page("reference/search.md", (("all", "search"), ("value", ids)),
              "search.md.j2", reference_view.search_page, corpus),
        _page("reference/search-log.md", (("all", "search"), ("value", ids)),
              "search-log.md.j2", reference_view.search_page, corpus),
        _page("downloads/index.md", (("value", tuple(names)),), "downloads.md.j2",
              site_view.downloads_page, names),
    ]


# The figures shown on the evidence profile page, in order.
PROFILE_SNIPPETS = ("risk-of-bias-rob2", "risk-of-bias-robins-i")


def _profile_page(inputs: SiteInputs) -> str:
    """The evidence profile with the risk-of-bias figures that illustrate it."""
    profile = site_view.profile_page(inputs.sof)
    profile["figures"] = trusted("\n\n".join(
        inputs.snippets[name].write() for name in PROFILE_SNIPPETS if name in inputs.snippets))
    return render("profile.md.j2", page=profile)


def _dosing_page(inputs: SiteInputs) -> str:
    """The dosing page with the dosing map."""
    dosing = site_view.dosing_page(inputs.corpus)
    found = inputs.snippets.get("dosing-map")
    dosing["figure"] = trusted(found.write() if found else "")
    return render("dosing.md.j2", page=dosing)


def page_jobs(inputs: SiteInputs) -> list[PageJob]:
    """Every page the site module makes (figures and downloads are made by their own)."""
    return record_jobs(inputs) + index_jobs(inputs) + overview_jobs(inputs)


def render_site(inputs: SiteInputs) -> dict[str, str]:
    """Every page the site module makes, docs-relative path -> content (same input, same output)."""
    return {job.path: job.make() for job in sorted(page_jobs(inputs), key=lambda j: j.path)}
