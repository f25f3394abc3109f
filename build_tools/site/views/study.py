"""View data for study pages and the studies table: every field, escaped and in display order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from build_tools.grade.dosing import format_number, format_range, normalise
from build_tools.records.model import Corpus, Study
from build_tools.site import words as labels
from build_tools.site.fields import rows, title
from build_tools.site.markup import Md, code_block, internal_link, link, md, trusted
from build_tools.site.parts import (
    authors_line,
    certainty_cell,
    front_matter,
    generated_comment,
    href,
    record_note,
    risk_cell,
    statistics,
    study_label,
    verdict_cell,
)

if TYPE_CHECKING:  # types only: the view is handed its citations, never computes them
    from build_tools.cite.csl import Links
    from build_tools.cite.formats import CitationBlock

HERE = "studies"
# Top-level fields with a section of their own; every other field goes in "At a glance".
SECTIONED = ("id", "title", "authors", "journal", "journal_abbrev", "year", "month", "volume",
             "issue", "pages", "ids", "summary", "participants", "intervention", "follow_up",
             "outcomes", "risk_of_bias", "critiques", "review", "notes", "verified_from",
             "not_reported", "reviewed")
CITATION_LABELS = {"ama": "AMA", "vancouver": "Vancouver", "bibtex": "BibTeX", "ris": "RIS",
                   "reference": "Reference"}
CITATION_LANGS = {"bibtex": "bibtex"}


def tags(study: Study) -> list[str]:
    """Material tags: design, agent, route and each outcome domain."""
    out = [f"Design: {labels.word(study.design)}"]
    iv = study.intervention or {}
    if iv.get("agent"):
        out.append(f"Agent: {labels.word(iv['agent'])}")
    if iv.get("route"):
        out.append(f"Route: {labels.word(iv['route'])}")
    out += [f"Outcome: {labels.word(o['domain'])}" for o in study.outcomes]
    return out


def reference_line(study: Study) -> str:
    """'Authors. Title. Journal. Year;Vol(Issue):Pages.': the built-in fallback citation."""
    where = f"{study.year}"
    if study.volume:
        where += f";{study.volume}" + (f"({study.issue})" if study.issue else "")
    if study.pages:
        where += f":{study.pages}"
    parts = [authors_line(study.authors), str(study.title), study.journal_abbrev or study.journal,
             where]
    return ". ".join(str(p).rstrip(".") for p in parts if p) + "."


def citation_block(block: CitationBlock) -> dict[str, str]:
    """AMA, Vancouver, BibTeX and RIS lines by key, in display order."""
    return {key: getattr(block, key) for key in CITATION_LABELS if getattr(block, key, None)}


def id_links(study: Study, urls: Links) -> list[Md]:
    """DOI, PubMed, PubMed Central and registry links."""
    ids = study.ids or {}
    out = []
    for key, label, value in (("doi", "DOI", ids.get("doi")), ("pubmed", "PubMed", ids.get("pmid")),
                              ("pmc", "PubMed Central", ids.get("pmcid"))):
        if getattr(urls, key):
            out.append(link(f"{label} {value}", getattr(urls, key)))
    for reg in ids.get("registry") or ():
        url = next((u for u in urls.registry if u.endswith(str(reg))), None)
        out.append(link(f"Registry {reg}", url) if url else md(f"Registry {reg}"))
    return out


def _locator(study: Study, cite: Mapping | None) -> Md:
    """'abstract, Results' linked to the verified_from URL it was read from."""
    if not cite:
        return Md("")
    source = next((v for v in study.verified_from if v.get("key") == cite.get("from")), None)
    text = f"{cite.get('locator', '')} ({cite.get('from', '')})"
    return link(text, source.get("url")) if source else md(text)


def _by(critique: Mapping, corpus: Corpus) -> Md:
    """Who made a critique: a linked source or study, a web page, or the curators."""
    made = []
    if critique.get("by_source"):
        source = corpus.sources.get(critique["by_source"])
        made.append(internal_link(source.title if source else critique["by_source"],
                                  href("source", critique["by_source"], here=HERE)))
    if critique.get("by_study"):
        other = corpus.studies.get(critique["by_study"])
        made.append(internal_link(study_label(other) if other else critique["by_study"],
                                  href("study", critique["by_study"], here=HERE)))
    if critique.get("by_url"):
        made.append(link("a web page", critique["by_url"]))
    if critique.get("by_curators"):
        made.append(trusted("the curators of this evidence base"))
    return trusted(", ".join(made) or "not stated")


def _outcome(study: Study, o: Mapping) -> dict[str, Md]:
    """One outcome row: what, when, against what, the result with p/CI, direction and locator."""
    result = str(o["result"])
    stats = statistics(o)
    when = str(o["timepoint"]) + (f" (week {format_number(o['weeks'])})"
                                  if o.get("weeks") is not None else "")
    what = labels.word(o["domain"]) + (f": {o['instrument']}" if o.get("instrument") else "")
    return {"id": md(o["id"]), "what": md(what), "when": md(when),
            "comparison": md(labels.word(o.get("comparison"))),
            "result": md(result + (f" ({stats})" if stats else "")),
            "direction": md(labels.word(o["direction"])),
            "n": md(format_number(o.get("n"))), "locator": _locator(study, o.get("cite"))}


def claims_by_study(corpus: Corpus) -> dict[str, list[tuple[str, Any, dict]]]:
    """study id -> (claim id, claim, link) for every link, in claim order: built once per site,
    so each study page looks its claims up instead of scanning every claim (quadratic)."""
    index: dict[str, list[tuple[str, Any, dict]]] = {}
    for cid, claim in corpus.claims.items():
        linked = set()
        for lk in claim.evidence:
            index.setdefault(lk.get("study"), []).append((cid, claim, lk))
            linked.add(lk.get("study"))
        target = (claim.attribution or {}).get("study")
        if target and target not in linked:
            index.setdefault(target, []).append(
                (cid, claim, {"stance": "attribution check", "directness": "", "outcome": None}))
    return index


def _claims(study: Study, corpus: Corpus, grades: Mapping[str, Any],
            index: Mapping[str, list] | None = None) -> list[dict[str, Md]]:
    """Claims that link this study, with the link's stance and the claim's verdict."""
    out = []
    for cid, claim, lk in (index if index is not None else claims_by_study(corpus)).get(
            study.id, ()):
        grade = grades.get(cid)
        out.append({"claim": internal_link(claim.statement, href("claim", cid, here=HERE)),
                    "outcome": md(lk.get("outcome") or ""),
                    "stance": md(labels.word(lk.get("stance"))),
                    "directness": md(labels.word(lk.get("directness"))),
                    "verdict": verdict_cell(grade.verdict) if grade else md("not graded"),
                    "certainty": certainty_cell(grade.certainty if grade else None)})
    return out


def dose_rows(study: Study) -> tuple[list[tuple[Md, Md]], list[Md]]:
    """The normalised dose as (label, value) rows, and the assumptions it rests on."""
    norm = normalise(study.intervention)
    found = [("Rate (mg/kg/h)", format_range(norm.mg_per_kg_h_min, norm.mg_per_kg_h_max)),
             ("Total infusion hours", format_number(norm.total_hours)),
             ("Days", format_number(norm.days)),
             ("Cumulative dose (mg/kg, upper bound)", format_number(norm.cumulative_mg_per_kg_max))]
    shown = [(md(k), md(v)) for k, v in found if v]
    return shown, [md(a) for a in norm.assumptions]


def study_page(study: Study, corpus: Corpus, grades: Mapping[str, Any], block: CitationBlock,
               claims_index: Mapping[str, list] | None = None) -> dict[str, Any]:
    """Everything the study template prints, escaped (claims_index: from claims_by_study)."""
    rob = study.risk_of_bias or {}
    dose, assumptions = dose_rows(study)
    links = trusted(" · ".join(id_links(study, block.links)))
    cites = citation_block(block)
    page_title = f"{study_label(study)}: {study.title}"
    return {
        "front": front_matter(page_title, tags(study), block.meta),
        "comment": generated_comment(study.path),
        "title": md(page_title),
        "reference": md(reference_line(study)),
        "summary": md(study.summary),
        "glance": rows("study", (), {k: getattr(study, k) for k in (
            "publication_type", "design", "status", "stopped_early_reason", "blinding",
            "comparator", "setting", "country", "funding") if getattr(study, k) not in (None, ())})
        + ([(md("Identifiers"), links)] if links else []),
        "participants": rows("study", ("participants",), study.participants, skip=("cite",)),
        "participants_cite": _locator(study, (study.participants or {}).get("cite")),
        "intervention": rows("study", ("intervention",), study.intervention, skip=("cite",)),
        "intervention_cite": _locator(study, (study.intervention or {}).get("cite")),
        "dose": dose, "assumptions": assumptions,
        "follow_up": rows("study", ("follow_up",), study.follow_up, skip=("cite",)),
        "follow_up_cite": _locator(study, (study.follow_up or {}).get("cite")),
        "outcomes": [_outcome(study, o) for o in study.outcomes],
        "rob": rows("study", ("risk_of_bias",), rob, skip=("domains", "overall")),
        "rob_overall": risk_cell(rob.get("overall")) if rob else Md(""),
        "rob_domains": [{"domain": md(d["domain"]), "judgement": risk_cell(d["judgement"]),
                         "reason": md(d["reason"])} for d in rob.get("domains") or ()],
        "critiques": [{"id": md(c["id"]), "text": md(c["text"]), "by": _by(c, corpus),
                       "domain": md(labels.GRADE_DOMAIN_WORDS.get(
                           c["grade_domain"], labels.word(c["grade_domain"])))}
                      for c in study.critiques],
        "review": rows("study", ("review",), study.review, skip=("cite",)),
        "review_cite": _locator(study, (study.review or {}).get("cite")),
        "claims": _claims(study, corpus, grades, claims_index),
        "notes": [{"topic": md(n["topic"]), "text": md(n["text"])} for n in study.notes],
        "provenance": [{"key": md(v["key"]), "basis": md(labels.word(v["basis"])),
                        "accessed": md(v.get("accessed", "")), "url": link(v["url"], v["url"])}
                       for v in study.verified_from],
        "not_reported": [md(f"{_dotted_title(p)} ({p})") for p in study.not_reported],
        "citations": [{"label": md(CITATION_LABELS[k]),
                       "block": code_block(v, CITATION_LANGS.get(k, "text"))}
                      for k, v in cites.items()],
        "links": links,
        "record": record_note(study.path, study.reviewed),
    }


def _dotted_title(dotted: str) -> str:
    """The schema title of a dotted field path, e.g. participants.analysed -> Analysed."""
    return title("study", tuple(dotted.split(".")))
