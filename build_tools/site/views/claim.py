"""View data for claim pages, in layers (MAGICapp's pattern): the bottom line first (verdict,
certainty, the effect in numbers, its time frame, one plain sentence), then the key evidence,
then the GRADE trail and the full tables; and the claims index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from build_tools.grade.dosing import format_number
from build_tools.records.model import Claim, Corpus
from build_tools.site import words as labels
from build_tools.site.fields import rows
from build_tools.site.markup import Md, internal_link, md, trusted
from build_tools.grade.vocabulary import DOMAIN_LABELS
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

if TYPE_CHECKING:  # types only: the page is handed the numbers, it computes none of them
    from build_tools.grade.claim_effects import ClaimEffects, EffectLine

HERE = "claims"
HEADLINE_LINES = 3  # outcomes shown in the first screen; the key evidence lists them all
TIMEFRAME_WORDS = {"during-infusion": "during or at the end of the infusion",
                   "short-term": "up to 3 months after treatment",
                   "beyond-3-months": "more than 3 months after treatment",
                   "any": "not tied to a time frame"}


def levels(n: int | None) -> str:
    """'no change', 'down 1', 'up 2' for a level change; '—' when there is none."""
    if n is None:
        return "—"
    if n == 0:
        return "no change"
    return f"{'down' if n < 0 else 'up'} {abs(n)}"


def asserter(item: Mapping, corpus: Corpus) -> Md:
    """A link to the source or study that asserts a claim."""
    if item.get("source"):
        source = corpus.sources.get(item["source"])
        return internal_link(source.title if source else item["source"],
                             href("source", item["source"], here=HERE))
    study = corpus.studies.get(item.get("study", ""))
    return internal_link(study_label(study) if study else item.get("study", ""),
                         href("study", item.get("study", ""), here=HERE))


def evidence_row(lk: Mapping, corpus: Corpus, grade: Any = None) -> dict[str, Md]:
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


def domain_rows(grade: Any) -> list[dict[str, Md]]:
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


@dataclass(frozen=True)
class KeyStudy:
    """One graded study in the key-evidence layer: who, what design and size, its numbers."""

    study: Md
    facts: Md
    lines: tuple[Md, ...]


@dataclass(frozen=True)
class ClaimPage:
    """Everything the claim template prints, escaped, layer by layer."""

    front: Md
    comment: Md
    title: Md
    kind: str
    verdict: Md
    certainty: Md
    counts: Md
    headline: tuple[Md, ...]
    timeframe: Md
    plain: Md
    key: tuple[KeyStudy, ...]
    set_aside: Md
    context: Md
    pooled: Md
    forest: Md
    checks: tuple[dict[str, Md], ...]
    attribution_study: Md
    differences: tuple[Md, ...]
    start: Md
    start_reason: Md
    domains: tuple[dict[str, Md], ...]
    trail: tuple[Md, ...]
    facts: list
    pico: list
    asserted: tuple[dict[str, Md], ...]
    evidence: tuple[dict[str, Md], ...]
    notes: Md
    record: Md
    key_claim: bool


def _line(line: EffectLine, corpus: Corpus, *, with_study: bool) -> Md:
    """One outcome's numbers in words, with what a pain difference means."""
    who = f"{study_label(corpus.studies[line.study])}, " if with_study else ""
    text = f"{who}{line.timepoint}: {line.text}"
    if line.importance:
        text += f"; {line.importance.words}"
    return md(text)


def _headline(grade: Any, effects: ClaimEffects | None, corpus: Corpus) -> tuple[Md, ...]:
    """The effect in plain numbers for the first screen: numeric outcomes first."""
    if grade.kind != "evidence":
        return ()
    graded = effects.graded if effects else ()
    if not graded:
        why = ("No linked study tests this claim's question." if not grade.graded else
               "No graded study reports numbers for this claim's outcome.")
        return (md(why),)
    ranked = sorted(graded, key=lambda line: (line.effect is None or line.effect.value is None,
                                              line.weeks if line.weeks is not None else 999))
    shown = [_line(line, corpus, with_study=True) for line in ranked[:HEADLINE_LINES]]
    if len(ranked) > HEADLINE_LINES:
        shown.append(md(f"and {len(ranked) - HEADLINE_LINES} more under Key evidence"))
    return tuple(shown)


def _key_studies(grade: Any, effects: ClaimEffects | None, corpus: Corpus
                 ) -> tuple[KeyStudy, ...]:
    """Each graded study with its design, size, risk of bias and every number it reports."""
    out = []
    for sid in grade.graded:
        study = corpus.studies[sid]
        size = (f"{format_number(study.n)} participants" if study.n is not None
                else "size not reported")
        rob = (study.risk_of_bias or {}).get("overall")
        facts = f"{labels.word(study.design)}, {size}"
        facts += f", risk of bias {labels.risk(rob).lower() if rob else 'not assessed'}"
        lines = tuple(_line(line, corpus, with_study=False)
                      for line in (effects.graded if effects else ()) if line.study == sid)
        out.append(KeyStudy(internal_link(study_label(study), href("study", sid, here=HERE)),
                            md(facts), lines or (md("no outcome with numbers linked"),)))
    return tuple(out)


def _study_list(ids: tuple[str, ...], corpus: Corpus) -> Md:
    """Linked study labels, comma-separated."""
    return trusted(", ".join(internal_link(study_label(corpus.studies[s]),
                                           href("study", s, here=HERE)) for s in ids))


def _pooled(effects: ClaimEffects | None) -> Md:
    """The pooled estimate in words, or why there is none."""
    if effects is None or not effects.graded:
        return Md("")
    pooled = effects.pooled
    if hasattr(pooled, "reason"):
        return md(f"Not pooled: {pooled.reason}.")
    return md(f"Pooled (random effects, {len(pooled.studies)} studies): "
              f"{format_number(pooled.value)} (95% CI {format_number(pooled.interval.low)} to "
              f"{format_number(pooled.interval.high)}), I² {round(100 * pooled.i2)}%.")


def claim_page(claim: Claim, corpus: Corpus, grades: Mapping[str, Any],
               effects: ClaimEffects | None = None, forest: str = "") -> ClaimPage:
    """Everything the claim template prints, escaped."""
    grade = grades[claim.id]
    attribution = claim.attribution or {}
    target = corpus.studies.get(attribution.get("study", ""))
    known = f"{grade.n_participants} participants" + (
        " of known number" if grade.unknown_size else "")
    facts = {"type": claim.type, "question": claim.question, "domain": claim.domain,
             "timeframe": claim.timeframe}
    return ClaimPage(
        front=front_matter(claim.statement,
                           [f"Outcome: {labels.word(claim.domain)}"] if claim.domain else []),
        comment=generated_comment(claim.path), title=md(claim.statement), kind=grade.kind,
        verdict=verdict_cell(grade.verdict), certainty=certainty_cell(grade.certainty),
        counts=md(f"{grade.n_studies} graded {'study' if grade.n_studies == 1 else 'studies'}, "
                  f"{known}"),
        headline=_headline(grade, effects, corpus),
        timeframe=md(TIMEFRAME_WORDS.get(claim.timeframe or "", "not stated")),
        plain=md(grade.plain), key=_key_studies(grade, effects, corpus),
        set_aside=_study_list(grade.set_aside, corpus),
        context=_study_list(grade.context, corpus), pooled=_pooled(effects),
        forest=trusted(forest),
        checks=tuple({"aspect": md(c["aspect"]), "asserted": md(c["asserted"]),
                      "record": md(c["record_says"]), "matches": md(labels.word(c["matches"]))}
                     for c in attribution.get("checks") or ()),
        attribution_study=(internal_link(study_label(target), href("study", target.id, here=HERE))
                           if target else Md("")),
        differences=tuple(md(d) for d in grade.differences),
        start=md(labels.word(grade.start)), start_reason=md(grade.start_reason),
        domains=tuple(domain_rows(grade)), trail=tuple(md(step) for step in grade.trail),
        facts=rows("claim", (), {k: v for k, v in facts.items() if v}),
        pico=rows("claim", ("pico",), claim.pico),
        asserted=tuple({"who": asserter(a, corpus), "how": md(a["paraphrase"])}
                       for a in claim.asserted_by),
        evidence=tuple(evidence_row(lk, corpus, grade) for lk in claim.evidence
                       if lk.get("study") in corpus.studies),
        notes=md(claim.notes or ""), record=record_note(claim.path, claim.reviewed),
        key_claim=bool(claim.key))


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
