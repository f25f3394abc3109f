"""GRADE for claims (DESIGN section 4): pure, deterministic, order-independent rules."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from build_tools.model import Claim, Corpus, Study

CERTAINTY_ORDER = ("very-low", "low", "moderate", "high")
CERTAINTY_SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very-low": "⊕◯◯◯"}
CERTAINTY_WORDS = {"high": "High", "moderate": "Moderate", "low": "Low", "very-low": "Very low"}
DOMAIN_LABELS = {"risk_of_bias": "Risk of bias", "inconsistency": "Inconsistency",
                 "indirectness": "Indirectness", "imprecision": "Imprecision",
                 "publication_bias": "Publication bias", "large_effect": "Large effect",
                 "dose_response": "Dose-response gradient",
                 "plausible_confounding": "Plausible confounding"}
DOMAINS = tuple(DOMAIN_LABELS)
CURATED_ONLY = ("publication_bias", "large_effect", "dose_response", "plausible_confounding")
RATING_LEVELS = {"no-change": 0, "serious": -1, "very-serious": -2, "upgrade-one": 1,
                 "upgrade-two": 2}
STANCES = ("supports", "refutes", "inconclusive")
HIGH_RISK_OF_BIAS = ("high", "serious", "critical")
IMPRECISION_VERY_SERIOUS_BELOW = 100  # fewer participants than this: down two levels
IMPRECISION_SERIOUS_BELOW = 400  # fewer than this: down one level (GRADE's OIS rule of thumb)
VERDICTS = ("supported", "not-supported", "contradicted", "mixed", "insufficient-evidence")
ATTRIBUTION_VERDICTS = ("accurate", "partly-accurate", "inaccurate", "unverifiable")
# Starting level by design. Designs in CONTROL_DEPENDENT start Low only when a linked outcome
# compares against a concurrent or pooled control, else Very low; every other design: Very low.
RANDOMISED = ("rct", "crossover-rct")
CONTROLLED = ("nonrandomised-controlled", "secondary-analysis")
CONTROL_DEPENDENT = ("prospective-cohort", "retrospective-cohort", "systematic-review",
                     "meta-analysis", "overview-of-reviews", "health-technology-assessment")
CONTROLLED_COMPARISONS = ("vs-placebo", "vs-active", "pooled-vs-control")
# Plain-language frames (GRADE guideline 26): {s} is the claim statement, lower-cased.
PLAIN = {
    "supported": {"high": "The evidence shows that {s}.", "moderate": "It is likely that {s}.",
                  "low": "It may be that {s}.",
                  "very-low": "It may be that {s}, but the evidence is very uncertain."},
    "contradicted": {"high": "The evidence shows that it is not true that {s}.",
                     "moderate": "It is likely not true that {s}.",
                     "low": "It may not be true that {s}.",
                     "very-low": "It may not be true that {s}, but the evidence is very "
                                 "uncertain."},
    "mixed": {"high": "Studies disagree on whether {s}.",
              "moderate": "Studies disagree on whether {s}; the answer is likely to depend on "
                          "differences between them.",
              "low": "Studies disagree on whether {s}, and the answer may change.",
              "very-low": "Studies disagree on whether {s}, and the evidence is very uncertain."},
    "not-supported": {"high": "The evidence does not show that {s}.",
                      "moderate": "The evidence likely does not show that {s}.",
                      "low": "The evidence may not show that {s}.",
                      "very-low": "The evidence does not show that {s}, and it is very "
                                  "uncertain."},
    "insufficient-evidence": {"none": "No linked study tests whether {s}."},
}
EFFECT_WORDS = {1: "large", 2: "very large"}  # from a curated large_effect upgrade


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
    graded: tuple[str, ...] = ()  # ids of the studies in the graded tier (see best_tier)


@dataclass(frozen=True)
class _Linked:
    """One linked study as the rules see it: its links merged into one stance and directness."""

    id: str
    design: str
    stance: str
    direct: bool
    n: int | None
    weight: int  # participants for the shares and the total; an unknown N counts as 0
    controlled: bool
    high_risk: bool


def _linked(claim: Claim, studies: Mapping[str, Study]) -> tuple[_Linked, ...]:
    """Each linked study once, sorted by id; links to unknown studies are the checker's E301."""
    by_id: dict[str, list[Any]] = {}
    for link in claim.evidence:
        if link.get("stance") in STANCES and link.get("study") in studies:
            by_id.setdefault(link["study"], []).append(link)
    out = []
    for sid in sorted(by_id):
        study, links = studies[sid], by_id[sid]
        # Inconclusive links cannot decide the claim, so the decisive ones set the stance;
        # a study whose own links both support and refute counts as inconclusive.
        decisive = {lk["stance"] for lk in links} - {"inconclusive"}
        stance = decisive.pop() if len(decisive) == 1 else "inconclusive"
        outcomes = [study.outcome(lk["outcome"]) for lk in links if lk.get("outcome")]
        controlled = any(o and o.get("comparison") in CONTROLLED_COMPARISONS for o in outcomes)
        rob = (study.risk_of_bias or {}).get("overall")
        out.append(_Linked(sid, study.design, stance,
                           any(lk.get("directness") == "direct" for lk in links), study.n,
                           study.n or 0, controlled, rob in HIGH_RISK_OF_BIAS))
    return tuple(out)


def start_level(design: str, controlled: bool) -> str:
    """The GRADE starting level of one study design."""
    if design in RANDOMISED:
        return "high"
    if design in CONTROLLED or (design in CONTROL_DEPENDENT and controlled):
        return "low"
    return "very-low"


def _ids(items: tuple[_Linked, ...]) -> str:
    return ", ".join(s.id for s in items)


def _unknown_note(body: tuple[_Linked, ...]) -> str:
    """Say which studies count as 0 participants because they report no N."""
    unknown = tuple(s for s in body if s.n is None)
    return f" ({_ids(unknown)}: participants unknown, counted as 0)" if unknown else ""


def _share(body: tuple[_Linked, ...], part: tuple[_Linked, ...], what: str
           ) -> tuple[int, int, str]:
    """(part, total, sentence) in participants, or in studies when no linked study has an N."""
    total = sum(s.weight for s in body)
    if total == 0:
        k, t = len(part), len(body)
        return k, t, (f"{k} of {t} studies ({round(100 * k / t)}%) {what}; no linked study "
                      "reports its participants, so studies are counted")
    k = sum(s.weight for s in part)
    return k, total, (f"{k} of {total} participants ({round(100 * k / total)}%) {what}"
                      f"{_unknown_note(body)}")


def _computed(domain: str, body: tuple[_Linked, ...]) -> tuple[int, str, tuple[_Linked, ...]]:
    """(rating, reason with numbers, studies causing a downgrade) for one computed domain."""
    if domain in CURATED_ONLY:
        return 0, "Not computed: only a reviewer's judgement with a reason rates this domain", ()
    if not body:
        return 0, "No study is linked", ()
    if domain == "risk_of_bias":
        high = tuple(s for s in body if s.high_risk)
        k, total, text = _share(body, high, "come from studies at high risk of bias")
        return (-1, text, high) if 2 * k >= total and high else (0, text, ())
    if domain == "inconsistency":
        direct = tuple(s for s in body if s.direct and s.stance != "inconclusive")
        pro = tuple(s for s in direct if s.stance == "supports")
        con = tuple(s for s in direct if s.stance == "refutes")
        if pro and con:
            return -1, (f"Direct studies point in opposite directions: {_ids(pro)} support the "
                        f"claim, {_ids(con)} refute it"), direct
        return 0, "No two direct studies point in opposite directions", ()
    if domain == "indirectness":
        indirect = tuple(s for s in body if not s.direct)
        k, total, text = _share(body, indirect, "come from indirect links")
        # "More than half": exactly half indirect is not enough, unlike risk of bias.
        return (-1, text, indirect) if 2 * k > total else (0, text, ())
    total = sum(s.weight for s in body)
    text = (f"{total} participants in {len(body)} {'study' if len(body) == 1 else 'studies'}"
            f"{_unknown_note(body)}")
    if total < IMPRECISION_VERY_SERIOUS_BELOW:
        return -2, f"{text}, fewer than {IMPRECISION_VERY_SERIOUS_BELOW}", body
    if total < IMPRECISION_SERIOUS_BELOW:
        return -1, f"{text}, fewer than {IMPRECISION_SERIOUS_BELOW}", body
    return 0, f"{text}, at least {IMPRECISION_SERIOUS_BELOW}", ()


def _domain(name: str, body: tuple[_Linked, ...], judgement: Any,
            studies: Mapping[str, Study], grade_it: bool) -> DomainRating:
    """Computed rating, curated override and the critiques bearing on one domain."""
    computed, reason, caused = _computed(name, body) if grade_it else (
        0, "Not graded: attribution claims are checked against the study record", ())
    curated = RATING_LEVELS.get(judgement.get("rating")) if judgement else None
    wanted = name.replace("_", "-")
    refs = set(judgement.get("critiques") or ()) if judgement else set()
    for s in body:
        refs |= {f"{s.id}#{c['id']}" for c in studies[s.id].critiques
                 if c.get("grade_domain") == wanted}
    return DomainRating(name, computed, curated, computed if curated is None else curated,
                        reason, judgement.get("reason") if judgement else None,
                        tuple(sorted(refs)), tuple(s.id for s in caused))


def _verdict(body: tuple[_Linked, ...]) -> tuple[str, str]:
    """Direction-based verdict and its reason (see the verdict table on the methods page)."""
    if not body:
        return "insufficient-evidence", "no study is linked"
    by_n = any(s.weight for s in body)  # else every linked study's N is unknown: count studies

    def weigh(items: list[_Linked]) -> int:
        return sum(s.weight for s in items) if by_n else len(items)

    pro = [s for s in body if s.stance == "supports"]
    con = [s for s in body if s.stance == "refutes"]
    total, unit = weigh(list(body)), "participants" if by_n else "studies"
    tally = f"{weigh(pro)} of {total} {unit} in supporting studies, {weigh(con)} in refuting ones"
    if 2 * weigh(pro) > total and not any(s.direct for s in con):
        return "supported", tally
    if 2 * weigh(con) > total and not any(s.direct for s in pro):
        return "contradicted", tally
    if pro and con:
        return "mixed", tally
    return "not-supported", tally + " (the rest inconclusive)"


def _lower_first(text: str) -> str:
    """Lower-case a sentence's first word unless it looks like an acronym or a name."""
    text = text.strip().rstrip(".")
    words = text.split(" ", 2)
    first = words[0]
    # "Walter Reed", "The Mackay ..." are names; "For IV ketamine" is not ("IV" is an acronym).
    proper = len(words) > 1 and words[1][:1].isupper() and not words[1].isupper()
    if first[:1].isupper() and first[1:] == first[1:].lower() and not proper:
        return first[:1].lower() + text[1:]
    return text


def _plain(claim: Claim, verdict: str, certainty: str | None, large: int) -> str:
    """One plain-language sentence with the GRADE guideline 26 wording for the certainty."""
    frame = PLAIN[verdict]["none" if certainty is None else certainty]
    sentence = frame.format(s=_lower_first(claim.statement))
    if large > 0 and verdict == "supported":
        sentence = sentence[:-1] + f"; the effect is {EFFECT_WORDS[min(large, 2)]}."
    return sentence


def _attribution(claim: Claim) -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
    """Verdict, differences, plain sentence and trail of an attribution claim."""
    block = claim.attribution or {}
    checks, sid = tuple(block.get("checks") or ()), block.get("study", "the study")
    found = {c.get("matches") for c in checks}
    if not checks or found == {"unverifiable"}:
        verdict = "unverifiable"
    elif "no" in found:
        verdict = "inaccurate"
    elif found == {"yes"}:
        verdict = "accurate"
    else:
        verdict = "partly-accurate"
    diffs = tuple(f"{c['aspect']}: asserted {c['asserted']}; record says {c['record_says']} "
                  f"({c['matches']})" for c in checks if c.get("matches") != "yes")
    agree = sum(c.get("matches") == "yes" for c in checks)
    plain = {"accurate": f"This is accurate: the record of {sid} agrees on every point checked.",
             "partly-accurate": f"This is partly accurate: the record of {sid} agrees on {agree} "
                                f"of {len(checks)} points checked.",
             "inaccurate": f"This is inaccurate: the record of {sid} contradicts at least one "
                           f"of {len(checks)} points checked.",
             "unverifiable": f"This cannot be verified from the record of {sid}."}[verdict]
    trail = tuple(f"Check against {sid}, {c['aspect']}: asserted {c['asserted']}; record says "
                  f"{c['record_says']} -> {c['matches']}." for c in checks)
    return verdict, diffs, plain, trail + (f"Verdict: {verdict}.",)


def _levels(n: int) -> str:
    word = "down" if n < 0 else "up"
    return "no change" if n == 0 else f"{word} {abs(n)} level{'s' if abs(n) > 1 else ''}"


def _critique_text(ref: str, studies: Mapping[str, Study]) -> str:
    sid, cid = ref.split("#", 1)
    study = studies.get(sid)
    found = next((c for c in study.critiques if c.get("id") == cid), None) if study else None
    return f": {found['text'].rstrip('.')}" if found else ""


def _trail(domains: tuple[DomainRating, ...], studies: Mapping[str, Study], start: str,
           start_reason: str, certainty: str | None, verdict: str, why: str) -> tuple[str, ...]:
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
                   f" in total -> {CERTAINTY_WORDS[certainty]}.")
    out.append(f"Verdict: {verdict} ({why}).")
    return tuple(out)


def best_tier(linked: tuple[_Linked, ...]) -> tuple[tuple[_Linked, ...], tuple[_Linked, ...]]:
    """(graded body, set-aside studies): the highest design tier that takes a side decides.

    As in GRADE, the conclusion rests on the best available evidence: when randomised trials
    support or refute the claim, uncontrolled series are not weighed against them (they are
    listed, not graded). A lower tier decides only when no higher tier takes a side.
    """
    levels = {s: start_level(s.design, s.controlled) for s in linked}
    for level in reversed(CERTAINTY_ORDER):
        tier = tuple(s for s in linked if levels[s] == level)
        if any(s.stance != "inconclusive" for s in tier):
            return tier, tuple(s for s in linked if s not in tier)
    return linked, ()


def grade_claim(claim: Claim, studies: Mapping[str, Study]) -> ClaimGrade:
    """Grade one claim against the studies it links (pure; link order does not matter)."""
    body, set_aside = best_tier(_linked(claim, studies))
    judgements = claim.judgements or {}
    is_attr = claim.type == "attribution"
    domains = tuple(_domain(name, body, judgements.get(name), studies, not is_attr)
                    for name in DOMAINS)
    n = sum(s.weight for s in body)
    if is_attr:
        verdict, diffs, plain, trail = _attribution(claim)
        # start stays a valid CERTAINTY_ORDER key so lookups never fail; certainty None = ungraded
        return ClaimGrade(claim.id, "attribution", "very-low", "Not graded: attribution claims "
                          "are checked against the study record.", domains, None, verdict,
                          plain, len(body), n, diffs, trail)
    levels = {s: start_level(s.design, s.controlled) for s in body}
    start = max(levels.values(), key=CERTAINTY_ORDER.index, default="very-low")
    best = ", ".join(f"{s.id} ({s.design})" for s, level in levels.items() if level == start)
    start_reason = f"best design linked: {best}" if body else "no study is linked"
    if set_aside:
        start_reason += (f"; not graded because a higher design tier decides: "
                         f"{', '.join(s.id for s in set_aside)}")
    certainty = None
    if body:
        index = CERTAINTY_ORDER.index(start) + sum(d.applied for d in domains)
        certainty = CERTAINTY_ORDER[min(max(index, 0), len(CERTAINTY_ORDER) - 1)]
    verdict, why = _verdict(body)
    large = next(d.applied for d in domains if d.domain == "large_effect")
    trail = _trail(domains, studies, start, start_reason, certainty, verdict, why)
    return ClaimGrade(claim.id, "evidence", start, start_reason, domains, certainty, verdict,
                      _plain(claim, verdict, certainty, large), len(body), n, (), trail,
                      tuple(s.id for s in body))


def grade_all(corpus: Corpus) -> dict[str, ClaimGrade]:
    """Every claim's grade, keyed and sorted by claim id."""
    return {cid: grade_claim(corpus.claims[cid], corpus.studies) for cid in sorted(corpus.claims)}


def grade_to_dict(grade: ClaimGrade) -> dict:
    """A JSON-ready dict of a grade (tuples become lists), for evidence.json."""
    return json.loads(json.dumps(asdict(grade), ensure_ascii=False))


def __getattr__(name: str) -> Any:
    """Re-export the Summary-of-Findings API from sof.py without a circular import."""
    if name in ("SofRow", "SofTable", "summary_of_findings"):
        from build_tools import sof
        return getattr(sof, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
