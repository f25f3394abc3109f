"""GRADE for claims, version 2 (DESIGN section 4): pure, deterministic, order-independent rules."""

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
                 "dose_response": "Dose-response",
                 "plausible_confounding": "Plausible confounding"}
DOMAINS = tuple(DOMAIN_LABELS)
CURATED_ONLY = ("publication_bias", "large_effect", "dose_response", "plausible_confounding")
RATING_LEVELS = {"no-change": 0, "serious": -1, "very-serious": -2, "upgrade-one": 1,
                 "upgrade-two": 2}
STANCES = ("supports", "refutes", "inconclusive")
QUESTIONS = ("effect", "comparison", "mechanism", "practice")
HIGH_RISK_OF_BIAS = ("high", "serious", "critical")
# A study that starts High or Low needs a risk-of-bias judgement; these values are none.
NO_JUDGEMENT = (None, "no-information", "not-applicable", "not-reported")
IMPRECISION_VERY_SERIOUS_BELOW = 100  # fewer participants than this: down two levels
IMPRECISION_SERIOUS_BELOW = 400  # fewer than this: down one level (GRADE's OIS rule of thumb)
VERDICTS = ("supported", "contradicted", "not-shown", "mixed", "very-uncertain",
            "insufficient-evidence")
RECORD_CHECK_TYPES = ("attribution", "critique")
ATTRIBUTION_VERDICTS = ("accurate", "partly-accurate", "inaccurate", "unverifiable")
# Starting level by design. Designs in CONTROL_DEPENDENT start Low only when a linked outcome
# compares against a concurrent or pooled control, else Very low; every other design: Very low.
RANDOMISED = ("rct", "crossover-rct")
CONTROLLED = ("nonrandomised-controlled", "secondary-analysis")
CONTROL_DEPENDENT = ("prospective-cohort", "retrospective-cohort", "systematic-review",
                     "meta-analysis", "overview-of-reviews", "health-technology-assessment")
# Syntheses: their "not-applicable" risk of bias is a judgement (the RoB tools rate trials).
SYNTHESES = ("systematic-review", "meta-analysis", "overview-of-reviews",
             "health-technology-assessment")
CONTROLLED_COMPARISONS = ("vs-placebo", "vs-active", "pooled-vs-control")
# Plain-language frames (GRADE guideline 26): {s} is the claim statement, lower-cased. Very low
# certainty gives no direction, so its verdict has one frame whatever the studies lean to.
PLAIN = {
    "supported": {"high": "The evidence shows that {s}.", "moderate": "It is likely that {s}.",
                  "low": "It may be that {s}."},
    "contradicted": {"high": "The evidence shows that it is not true that {s}.",
                     "moderate": "It is likely not true that {s}.",
                     "low": "It may not be true that {s}."},
    "not-shown": {"high": "Studies that tested it did not show that {s}; an effect is not "
                          "ruled out.",
                  "moderate": "Studies that tested it likely did not show that {s}; an effect "
                              "is not ruled out.",
                  "low": "Studies that tested it may not have shown that {s}; an effect is not "
                         "ruled out."},
    "mixed": {"high": "Studies disagree on whether {s}.",
              "moderate": "Studies disagree on whether {s}; the answer is likely to depend on "
                          "differences between them.",
              "low": "Studies disagree on whether {s}, and the answer may change."},
    "very-uncertain": {"very-low": "The evidence is very uncertain about whether {s}."},
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
    graded: tuple[str, ...] = ()  # ids of the studies whose links test the claim, best tier
    set_aside: tuple[str, ...] = ()  # testing studies of a lower design tier (listed, not graded)
    context: tuple[str, ...] = ()  # studies linked only as context (they do not test the question)
    unknown_size: tuple[str, ...] = ()  # graded studies that report no participant count
    question: str | None = None


@dataclass(frozen=True)
class Linked:
    """One testing study as the rules see it: its links merged into one stance and directness."""

    id: str
    design: str
    stance: str
    direct: bool
    n: int | None  # None: the record gives no count (never read as 0)
    controlled: bool
    high_risk: bool
    rob_reason: str


def _high_risk(study: Study, controlled: bool) -> tuple[bool, str]:
    """Whether a study counts as high risk of bias, and why when it has no judgement."""
    overall = (study.risk_of_bias or {}).get("overall")
    if overall in HIGH_RISK_OF_BIAS:
        return True, f"judged {overall}"
    needs_one = study.design in RANDOMISED + CONTROLLED or (
        controlled and study.design in CONTROL_DEPENDENT and study.design not in SYNTHESES)
    if needs_one and overall in NO_JUDGEMENT:
        return True, "no risk-of-bias judgement, counted as high"
    return False, f"judged {overall}" if overall else "not judged"


def linked_studies(claim: Claim, studies: Mapping[str, Study], role: str = "tests"
                   ) -> tuple[Linked, ...]:
    """Each study linked in that role once, sorted by id; unknown studies are E301's business."""
    by_id: dict[str, list[Any]] = {}
    for link in claim.evidence:
        if (link.get("role", "tests") == role and link.get("stance") in STANCES
                and link.get("study") in studies):
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
        high, why = _high_risk(study, controlled)
        out.append(Linked(sid, study.design, stance,
                          any(lk.get("directness") == "direct" for lk in links), study.n,
                          controlled, high, why))
    return tuple(out)


def start_level(design: str, controlled: bool) -> str:
    """The GRADE starting level of one study design."""
    if design in RANDOMISED:
        return "high"
    if design in CONTROLLED or (design in CONTROL_DEPENDENT and controlled):
        return "low"
    return "very-low"


def _ids(items: tuple[Linked, ...] | list[Linked]) -> str:
    return ", ".join(s.id for s in items)


@dataclass(frozen=True)
class Share:
    """A part of the body counted in participants and in studies; `over` compares both."""

    known_part: int
    known_total: int
    studies_part: int
    studies_total: int
    unknown: tuple[str, ...]

    def at_least_half(self, strictly: bool = False) -> bool:
        """The conservative reading: true when either count reaches half (or passes it)."""
        def reaches(part: int, total: int) -> bool:
            return total > 0 and (2 * part > total if strictly else 2 * part >= total)
        by_studies = reaches(self.studies_part, self.studies_total)
        if not self.unknown:
            return reaches(self.known_part, self.known_total)
        return reaches(self.known_part, self.known_total) or by_studies

    def sentence(self, what: str) -> str:
        """'19 of 79 participants (24%) come from …', with the per-study count when N is unknown."""
        studies = (f"{self.studies_part} of {self.studies_total} studies "
                   f"({round(100 * self.studies_part / self.studies_total)}%)")
        if self.known_total == 0:
            return f"{studies} {what}; no graded study reports its participants"
        people = (f"{self.known_part} of {self.known_total} participants of known number "
                  f"({round(100 * self.known_part / self.known_total)}%)")
        if not self.unknown:
            return f"{people} {what}".replace(" of known number", "")
        return (f"{people} and {studies} {what} ({', '.join(self.unknown)}: size unknown, so the "
                "more conservative of the two shares applies)")


def share(body: tuple[Linked, ...], part: tuple[Linked, ...]) -> Share:
    """The part's share of the body, in known participants and in studies."""
    return Share(sum(s.n or 0 for s in part), sum(s.n or 0 for s in body), len(part), len(body),
                 tuple(s.id for s in body if s.n is None))


def _size_text(body: tuple[Linked, ...]) -> str:
    """'79 participants in 2 studies' or 'at least 60 participants … (size unknown: x)'."""
    known = sum(s.n or 0 for s in body)
    count = f"{len(body)} {'study' if len(body) == 1 else 'studies'}"
    unknown = [s.id for s in body if s.n is None]
    if not unknown:
        return f"{known} participants in {count}"
    return (f"{known} participants of known number in {count} ({', '.join(unknown)}: size "
            "unknown, so the total is at least this and is judged on what is known)")


def _computed(domain: str, body: tuple[Linked, ...]) -> tuple[int, str, tuple[Linked, ...]]:
    """(rating, reason with numbers, studies causing a downgrade) for one computed domain."""
    if domain in CURATED_ONLY:
        return 0, "Not computed: only a reviewer's judgement with a reason rates this domain", ()
    if not body:
        return 0, "No linked study tests the claim", ()
    if domain == "risk_of_bias":
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
            return -1, (f"Direct studies point in opposite directions: {_ids(pro)} support the "
                        f"claim, {_ids(con)} refute it"), direct
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
    text = _size_text(body)
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
    wanted = name.replace("_", "-")
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


def plain_sentence(claim: Claim, verdict: str, certainty: str | None, large: int) -> str:
    """One plain-language sentence with the GRADE guideline 26 wording for the certainty."""
    frames = PLAIN[verdict]
    frame = frames.get(certainty or "none") or next(iter(frames.values()))
    sentence = frame.format(s=_lower_first(claim.statement))
    if large > 0 and verdict == "supported":
        sentence = sentence[:-1] + f"; the effect is {EFFECT_WORDS[min(large, 2)]}."
    return sentence


def _record_check(claim: Claim) -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
    """Verdict, differences, plain sentence and trail of an attribution or critique claim."""
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
    named = sorted({c.get("study") or sid for c in checks}) or [sid]
    records = f"the record of {named[0]}" if len(named) == 1 else \
        f"the records of {', '.join(named)}"
    diffs = tuple(f"{c['aspect']}: asserted {c['asserted']}; record says {c['record_says']} "
                  f"({c['matches']})" for c in checks if c.get("matches") != "yes")
    agree = sum(c.get("matches") == "yes" for c in checks)
    plain = {"accurate": f"This is accurate: {records} agree on every point checked.",
             "partly-accurate": f"This is partly accurate: {records} agree on {agree} "
                                f"of {len(checks)} points checked.",
             "inaccurate": f"This is inaccurate: {records} contradict at least one "
                           f"of {len(checks)} points checked.",
             "unverifiable": f"This cannot be verified from {records}."}[verdict]
    if len(named) == 1:
        plain = plain.replace(" agree on", " agrees on").replace(" contradict at", " contradicts at")
    trail = tuple(f"Check against {c.get('study') or sid}, {c['aspect']}: asserted "
                  f"{c['asserted']}; record says {c['record_says']} -> {c['matches']}."
                  for c in checks)
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


def best_tier(linked: tuple[Linked, ...]) -> tuple[tuple[Linked, ...], tuple[Linked, ...]]:
    """(graded body, set-aside studies): the highest design tier present decides.

    As in GRADE, the conclusion rests on the best available evidence. A trial's null or
    inconclusive result stays in the grade and weighs against "supported"; a lower tier is
    listed, never weighed against it, and never decides in its place.
    """
    levels = {s: start_level(s.design, s.controlled) for s in linked}
    for level in reversed(CERTAINTY_ORDER):
        tier = tuple(s for s in linked if levels[s] == level)
        if tier:
            return tier, tuple(s for s in linked if s not in tier)
    return (), ()


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
    record_check = claim.type in RECORD_CHECK_TYPES or claim.attribution is not None
    domains = tuple(_domain(name, body, judgements.get(name), studies, not record_check)
                    for name in DOMAINS)
    n = sum(s.n or 0 for s in body)
    unknown = tuple(s.id for s in body if s.n is None)
    common = {"graded": (), "set_aside": (), "context": context, "unknown_size": unknown,
              "question": getattr(claim, "question", None)}
    if record_check:
        verdict, diffs, plain, trail = _record_check(claim)
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
                         f"{_ids(set_aside)}")
    certainty, cap = (None, "")
    if body:
        certainty, cap = _certainty(start, domains, body)
    verdict, why = direction(body)
    if certainty == "very-low" and verdict != "insufficient-evidence":
        why = f"very low certainty gives no direction; the studies: {why}"
        verdict = "very-uncertain"
    large = next(d.applied for d in domains if d.domain == "large_effect")
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


def __getattr__(name: str) -> Any:
    """Re-export the Summary-of-Findings API from sof.py without a circular import."""
    if name in ("SofRow", "SofTable", "summary_of_findings"):
        from build_tools import sof
        return getattr(sof, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
