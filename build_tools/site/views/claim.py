"""View data for claim pages and the claims index: statement, evidence table and GRADE trail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from build_tools.grade.dosing import format_number
from build_tools.grade.vocabulary import DOMAIN_LABELS
from build_tools.records.model import Claim, Corpus
from build_tools.site import words as labels
from build_tools.site.fields import rows
from build_tools.site.markup import Md, internal_link, md, trusted
from build_tools.site.parts import (
    certainty_cell,
    filter_controls,
    folder_note,
    front_matter,
    generated_comment,
    href,
    record_note,
    risk_cell,
    statistics,
    study_label,
    verdict_cell,
)

HERE = "claims"



def levels(n: int | None) -> str:
    """'no change', 'down 1', 'up 2' for a level change; '—' when there is none."""
    if n is None:
        return "—"
    if n == 0:
        return "no change"
    return f"{'down' if n < 0 else 'up'} {abs(n)}"


def _asserter(item: Mapping, corpus: Corpus) -> Md:
    """A link to the source or study that asserts a claim."""
    if item.get("source"):
        source = corpus.sources.get(item["source"])
        return internal_link(source.title if source else item["source"],
                             href("source", item["source"], here=HERE))
    study = corpus.studies.get(item.get("study", ""))
    return internal_link(study_label(study) if study else item.get("study", ""),
                         href("study", item.get("study", ""), here=HERE))


def _evidence_row(lk: Mapping, corpus: Corpus, grade: Any = None) -> dict[str, Md]:
    """One linked study: who, design, N, the outcome it reports, stance, directness, graded."""
    study = corpus.studies[lk["study"]]
    outcome = study.outcome(lk["outcome"]) if lk.get("outcome") else None
    result = ""
    if outcome:
        stats = statistics(outcome)
        result = f"{outcome['timepoint']}: {outcome['result']}" + (f" ({stats})" if stats else "")
    return {"study": internal_link(study_label(study), href("study", study.id, here=HERE)),
            "design": md(labels.word(study.design)), "n": md(format_number(study.n)),
            "result": md(result or "whole study"), "stance": md(labels.word(lk["stance"])),
            "directness": md(labels.word(lk["directness"])),
            "rob": risk_cell((study.risk_of_bias or {}).get("overall")),
            "note": md(lk.get("note", "")),
            # The grade rests on the highest design tier that takes a side (methods page).
            "graded": md(_graded_word(lk["study"], grade))}


def _graded_word(study_id: str, grade: Any) -> str:
    """Whether the study enters the claim's certainty and verdict, in words."""
    if grade is None or grade.kind != "evidence":
        return "not graded (checked against the record)"
    if study_id in grade.graded:
        return "yes"
    if study_id in grade.set_aside:
        return "no: a higher design tier decides"
    return "no: context, does not test the claim's question"


def _critique_link(ref: str) -> Md:
    """'sigtermans-2009#small-sample' as a link to the study page, showing the critique id."""
    sid, _, cid = ref.partition("#")
    return internal_link(f"{sid}: {cid}", href("study", sid, here=HERE) + "#critiques")


def _domains(grade: Any) -> list[dict[str, Md]]:
    """GRADE domains that were rated or carry critiques, in grading's order."""
    out = []
    for d in grade.domains:
        if not (d.computed or d.curated is not None or d.critiques or d.applied):
            continue
        reason = str(d.reason)
        if d.curated_reason:
            reason += f" Reviewers: {d.curated_reason}"
        out.append({"domain": md(DOMAIN_LABELS.get(d.domain, labels.word(d.domain))),
                    "computed": md(levels(d.computed)), "curated": md(levels(d.curated)),
                    "applied": md(levels(d.applied)), "reason": md(reason),
                    "critiques": trusted(", ".join(_critique_link(r) for r in d.critiques))})
    return out


def claim_page(claim: Claim, corpus: Corpus, grades: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the claim template prints, escaped."""
    grade = grades[claim.id]
    attribution = claim.attribution or {}
    target = corpus.studies.get(attribution.get("study", ""))
    facts = {"type": claim.type, "domain": claim.domain, "timeframe": claim.timeframe}
    return {
        "front": front_matter(claim.statement,
                              [f"Outcome: {labels.word(claim.domain)}"] if claim.domain else [],
                              wide=True),  # the evidence table needs the room
        "comment": generated_comment(claim.path),
        "title": md(claim.statement),
        "verdict": verdict_cell(grade.verdict), "certainty": certainty_cell(grade.certainty),
        "plain": md(grade.plain), "kind": grade.kind,
        "counts": md(f"{grade.n_studies} linked {'study' if grade.n_studies == 1 else 'studies'}"
                     f", {grade.n_participants} participants"),
        "facts": rows("claim", (), {k: v for k, v in facts.items() if v}),
        "key": bool(claim.key),
        "pico": rows("claim", ("pico",), claim.pico),
        "asserted": [{"who": _asserter(a, corpus), "how": md(a["paraphrase"])}
                     for a in claim.asserted_by],
        "evidence": [_evidence_row(lk, corpus, grade) for lk in claim.evidence
                     if lk.get("study") in corpus.studies],
        "attribution_study": (internal_link(study_label(target), href("study", target.id,
                                                                      here=HERE))
                              if target else Md("")),
        "checks": [{"aspect": md(c["aspect"]), "asserted": md(c["asserted"]),
                    "record": md(c["record_says"]), "matches": md(labels.word(c["matches"]))}
                   for c in attribution.get("checks") or ()],
        "start": md(labels.word(grade.start)), "start_reason": md(grade.start_reason),
        "domains": _domains(grade),
        "trail": [md(step) for step in grade.trail],
        "differences": [md(d) for d in grade.differences],
        "notes": md(claim.notes or ""),
        "record": record_note(claim.path, claim.reviewed),
    }


def claims_index(corpus: Corpus, grades: Mapping[str, Any]) -> dict[str, Any]:
    """The claims table: statement, type, domain, verdict, certainty and number of studies."""
    table = []
    for cid, claim in corpus.claims.items():
        grade = grades[cid]
        table.append({"claim": internal_link(claim.statement, f"{cid}.md"),
                      "type": md(labels.word(claim.type)),
                      "domain": md(labels.word(claim.domain) if claim.domain else ""),
                      "verdict": verdict_cell(grade.verdict),
                      "certainty": certainty_cell(grade.certainty),
                      "studies": md(grade.n_studies)})
    return {"front": front_matter("Claims", hide_toc=True, wide=True),
            "controls": filter_controls(("Type", "Verdict", "Certainty"), "Filter claims"),
            "rows": table, "count": md(len(table)),
            "note": folder_note("evidence/claims", "claim")}
