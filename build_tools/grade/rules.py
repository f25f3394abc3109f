"""GRADE for claims, version 2 (DESIGN section 4): pure, deterministic, order-independent rules."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from build_tools.grade.body import (
    Linked,
    Share,
    best_tier,
    ids_of,
    linked_studies,
    share,
    size_text,
    start_level,
)
from build_tools.grade.vocabulary import (
    CERTAINTY_ORDER,
    CERTAINTY_WORDS,
    CURATED_ONLY,
    DOMAIN_LABELS,
    DOMAINS,
    RATING_LEVELS,
    RECORD_CHECK_TYPES,
)
from build_tools.grade.wording import plain_sentence, record_check
from build_tools.records.model import Claim, Corpus, Study

IMPRECISION_VERY_SERIOUS_BELOW = 100  # fewer participants than this: down two levels
IMPRECISION_SERIOUS_BELOW = 400  # fewer than this: down one level (GRADE's OIS rule of thumb)


@dataclass(frozen=True)
class DomainRating:
    """One GRADE domain for one claim: the computed and the curated rating, both kept."""

    domain: str
    computed: int
    curated: int | None
    applied: int
    reason: str
    curated_reason: str | None
    critiques: tuple[str, ...]
    studies: tuple[str, ...]


@dataclass(frozen=True)
class ClaimGrade:
    """Everything the site shows about a claim's grade, with its why-trail."""

    claim_id: str
    kind: str
    start: str
    start_reason: str
    domains: tuple[DomainRating, ...]
    certainty: str | None
    verdict: str
    plain: str
    n_studies: int
    n_participants: int
    differences: tuple[str, ...]
    trail: tuple[str, ...]
    graded: tuple[str, ...] = ()  # ids of the studies whose links test the claim, best tier
    set_aside: tuple[str, ...] = ()  # testing studies of a lower design tier (listed, not graded)
    context: tuple[str, ...] = ()  # studies linked only as context (they do not test the question)
    unknown_size: tuple[str, ...] = ()  # graded studies that report no participant count
    question: str | None = None


def _computed(domain: str, body: tuple[Linked, ...]) -> tuple[int, str, tuple[Linked, ...]]:
    """(rating, reason with numbers, studies causing a downgrade) for one computed domain."""
    if domain in CURATED_ONLY:
        return 0, "Not computed: only a reviewer's judgement with a reason rates this domain", ()
    if not body:
        return 0, "No linked study tests the claim", ()
    if domain == "risk-of-bias":
        high = tuple(s for s in body if s.high_risk)
        found = share(body, high)
        why = "; ".join(f"{s.id} {s.rob_reason}" for s in high)
        text = found.sentence("come from studies at high risk of bias") + (
            f" ({why})" if why else "")
        return (-1, text, high) if high and found.at_least_half() else (0, text, ())
    if domain == "inconsistency":
        direct = tuple(s for s in body if s.direct and s.stance != "inconclusive")
        pro = tuple(s for s in direct if s.stance == "supports")
        con = tuple(s for s in direct if s.stance == "refutes")
        if pro and con:
            return -1, (f"Direct studies point in opposite directions: {ids_of(pro)} support the "
                        f"claim, {ids_of(con)} refute it"), direct
        return 0, "No two direct studies point in opposite directions", ()
    if domain == "indirectness":
        indirect = tuple(s for s in body if not s.direct)
        found = share(body, indirect)
        text = found.sentence("come from indirect links")
        if len(indirect) == len(body):
            text += "; a body of only indirect links is at best very low"
        # "More than half": exactly half indirect is not enough, unlike risk of bias.
        return (-1, text, indirect) if found.at_least_half(strictly=True) else (0, text, ())
    known = sum(s.n or 0 for s in body)
    text = size_text(body)
    if known < IMPRECISION_VERY_SERIOUS_BELOW:
        return -2, f"{text}, fewer than {IMPRECISION_VERY_SERIOUS_BELOW}", body
    if known < IMPRECISION_SERIOUS_BELOW:
        return -1, f"{text}, fewer than {IMPRECISION_SERIOUS_BELOW}", body
    return 0, f"{text}, at least {IMPRECISION_SERIOUS_BELOW}", ()


def _domain(name: str, body: tuple[Linked, ...], judgement: Any,
            studies: Mapping[str, Study], grade_it: bool) -> DomainRating:
    """Computed rating, curated override and the critiques bearing on one domain."""
    computed, reason, caused = _computed(name, body) if grade_it else (
        0, "Not graded: this claim is checked against the study records", ())
    curated = RATING_LEVELS.get(judgement.get("rating")) if judgement else None
    wanted = name  # the judgement key and a critique's grade_domain are spelled alike
    refs = set(judgement.get("critiques") or ()) if judgement else set()
    for s in body:
        refs |= {f"{s.id}#{c['id']}" for c in studies[s.id].critiques
                 if c.get("grade_domain") == wanted}
    return DomainRating(name, computed, curated, computed if curated is None else curated,
                        reason, judgement.get("reason") if judgement else None,
                        tuple(sorted(refs)), tuple(s.id for s in caused))


def direction(body: tuple[Linked, ...]) -> tuple[str, str]:
    """Direction-based verdict before certainty is considered, and its reason."""
    if not body:
        return "insufficient-evidence", "no linked study tests the claim"
    pro = tuple(s for s in body if s.stance == "supports")
    con = tuple(s for s in body if s.stance == "refutes")
    pro_share, con_share = share(body, pro), share(body, con)
    unit = "participants of known number" if pro_share.known_total else "studies"

    def tally(found: Share) -> str:
        return (f"{found.known_part}" if found.known_total else f"{found.studies_part}")
    total = pro_share.known_total if pro_share.known_total else len(body)
    text = (f"{tally(pro_share)} of {total} {unit} in supporting studies, {tally(con_share)} in "
            f"refuting ones, the rest inconclusive")
    if pro_share.unknown:
        text += (f"; by studies {len(pro)} support, {len(con)} refute of {len(body)} "
                 "(both counts must agree)")
    if pro and _majority(pro_share) and not any(s.direct for s in con):
        return "supported", text
    if con and _majority(con_share) and not any(s.direct for s in pro):
        return "contradicted", text
    if pro and con:
        return "mixed", text
    return "not-shown", text


def _majority(found: Share) -> bool:
    """More than half by participants and, where any size is unknown, by studies too."""
    by_studies = 2 * found.studies_part > found.studies_total
    if found.known_total == 0:
        return by_studies
    by_people = 2 * found.known_part > found.known_total
    return by_people and (by_studies or not found.unknown)


def _levels(n: int) -> str:
    word = "down" if n < 0 else "up"
    return "no change" if n == 0 else f"{word} {abs(n)} level{'s' if abs(n) > 1 else ''}"


def _critique_text(ref: str, studies: Mapping[str, Study]) -> str:
    sid, cid = ref.split("#", 1)
    study = studies.get(sid)
    found = next((c for c in study.critiques if c.get("id") == cid), None) if study else None
    return f": {found['text'].rstrip('.')}" if found else ""


def _trail(domains: tuple[DomainRating, ...], studies: Mapping[str, Study], start: str,
           start_reason: str, certainty: str | None, cap: str, verdict: str, why: str
           ) -> tuple[str, ...]:
    """critique -> domain -> downgrade -> certainty -> verdict, one plain sentence each."""
    out = []
    for d in domains:
        label = DOMAIN_LABELS[d.domain]
        out += [f"Critique {ref} bears on {label.lower()}{_critique_text(ref, studies)}."
                for ref in d.critiques]
        computed = d.domain not in CURATED_ONLY
        if computed and (d.computed or d.curated is not None or d.critiques):
            ids = f" [{', '.join(d.studies)}]" if d.studies else ""
            out.append(f"{label}: {d.reason}{ids} -> computed {_levels(d.computed)}.")
        if d.curated is not None:
            replaces = " replaces the computed rating" if computed else ""
            out.append(f"{label}: reviewers' judgement {_levels(d.curated)}{replaces}: "
                       f"{(d.curated_reason or '').rstrip('.')}.")
    if certainty:
        total = sum(d.applied for d in domains)
        out.append(f"Certainty: starts {CERTAINTY_WORDS[start]} ({start_reason}); {_levels(total)}"
                   f" in total{cap} -> {CERTAINTY_WORDS[certainty]}.")
    out.append(f"Verdict: {verdict} ({why}).")
    return tuple(out)


def _certainty(start: str, domains: tuple[DomainRating, ...], body: tuple[Linked, ...]
               ) -> tuple[str, str]:
    """Start plus applied ratings, clamped; a body of only indirect links is at best very low."""
    index = CERTAINTY_ORDER.index(start) + sum(d.applied for d in domains)
    certainty = CERTAINTY_ORDER[min(max(index, 0), len(CERTAINTY_ORDER) - 1)]
    if body and not any(s.direct for s in body) and certainty != "very-low":
        return "very-low", "; capped at Very low because every graded link is indirect"
    return certainty, ""


def grade_claim(claim: Claim, studies: Mapping[str, Study]) -> ClaimGrade:
    """Grade one claim against the studies it links (pure; link order does not matter)."""
    body, set_aside = best_tier(linked_studies(claim, studies))
    context = tuple(s.id for s in linked_studies(claim, studies, "context")
                    if s.id not in {b.id for b in body + set_aside})
    judgements = claim.judgements or {}
    # Attribution and critique claims, and a factual practice statement with a record-check
    # block, are checked against the records instead of graded.
    checked = claim.type in RECORD_CHECK_TYPES or claim.attribution is not None
    domains = tuple(_domain(name, body, judgements.get(name), studies, not checked)
                    for name in DOMAINS)
    n = sum(s.n or 0 for s in body)
    unknown = tuple(s.id for s in body if s.n is None)
    common = {"graded": (), "set_aside": (), "context": context, "unknown_size": unknown,
              "question": getattr(claim, "question", None)}
    if checked:
        verdict, diffs, plain, trail = record_check(claim)
        # start stays a valid CERTAINTY_ORDER key so lookups never fail; certainty None = ungraded
        return ClaimGrade(claim.id, "attribution", "very-low", "Not graded: this claim is "
                          "checked against the study records.", domains, None, verdict,
                          plain, len(body), n, diffs, trail, **common)
    levels = {s: start_level(s.design, s.controlled) for s in body}
    start = max(levels.values(), key=CERTAINTY_ORDER.index, default="very-low")
    best = ", ".join(f"{s.id} ({s.design})" for s in body)
    start_reason = f"best design tier linked: {best}" if body else "no linked study tests it"
    if set_aside:
        start_reason += (f"; listed but not graded, a higher design tier decides: "
                         f"{ids_of(set_aside)}")
    certainty, cap = (None, "")
    if body:
        certainty, cap = _certainty(start, domains, body)
    verdict, why = direction(body)
    if certainty == "very-low" and verdict != "insufficient-evidence":
        why = f"very low certainty gives no direction; the studies: {why}"
        verdict = "very-uncertain"
    large = next(d.applied for d in domains if d.domain == "large-effect")
    trail = _trail(domains, studies, start, start_reason, certainty, cap, verdict, why)
    common.update(graded=tuple(s.id for s in body), set_aside=tuple(s.id for s in set_aside))
    return ClaimGrade(claim.id, "evidence", start, start_reason, domains, certainty, verdict,
                      plain_sentence(claim, verdict, certainty, large), len(body), n, (), trail,
                      **common)


def grade_all(corpus: Corpus) -> dict[str, ClaimGrade]:
    """Every claim's grade, keyed and sorted by claim id."""
    return {cid: grade_claim(corpus.claims[cid], corpus.studies) for cid in sorted(corpus.claims)}


def grade_to_dict(grade: ClaimGrade) -> dict:
    """A JSON-ready dict of a grade (tuples become lists), for evidence.json."""
    return json.loads(json.dumps(asdict(grade), ensure_ascii=False))
