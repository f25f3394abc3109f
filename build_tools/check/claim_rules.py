"""Rules for claim records: links resolve, links can test the claim, record checks, judgements."""

from __future__ import annotations

from build_tools.check.index import Finding, Found, Index, broken_link, closest


def check_claim(data: dict, index: Index) -> Found:
    """Links to sources, studies, outcomes and critiques; attribution and judgement fit."""
    for i, assertion in enumerate(data.get("asserted_by") or []):
        if isinstance(assertion, dict):
            yield from broken_link("source", assertion.get("source"), ("asserted_by", i, "source"), index)
            yield from broken_link("study", assertion.get("study"), ("asserted_by", i, "study"), index)
            if "source" not in assertion and "study" not in assertion:
                yield Finding(("asserted_by", i), "E301", f"asserted_by[{i}] names no source or study",
                              False, {"hint": "add source: ID or study: ID"})
    evidence = data.get("evidence") or []
    for i, link in enumerate(evidence):
        if not isinstance(link, dict):
            continue
        sid = link.get("study")
        yield from broken_link("study", sid, ("evidence", i, "study"), index)
        outcome = link.get("outcome")
        if isinstance(sid, str) and isinstance(outcome, str) and index.has("study", sid):
            study = index.get("study", sid)
            ids = {o.get("id") for o in (study.data.get("outcomes") or []) if isinstance(o, dict)} \
                if study else set()
            if study and outcome not in ids:
                yield Finding(("evidence", i, "outcome"), "E301",
                              f"evidence[{i}].outcome: study '{sid}' has no outcome '{outcome}'", False,
                              {"hint": closest(outcome, {x for x in ids if isinstance(x, str)})})
    if (not evidence and isinstance(data.get("evidence"), list) and not data.get("notes")
            and data.get("attribution") is None):  # a record check names its study there
        yield Finding(("evidence",), "W504", "claim links no study", False, {})
    yield from _check_judgements(data.get("judgements"), index)
    yield from _check_record_check(data, index)
    yield from _check_tests_links(data, index)


# Claim types checked against the records; a practice claim may be (a factual statement).
RECORD_CHECK_TYPES = ("attribution", "critique")
RECORD_CHECK_ALLOWED = RECORD_CHECK_TYPES + ("practice",)
COMPARING = ("vs-active", "association")
HARM_DOMAIN = "adverse-events"


def _check_record_check(data: dict, index: Index) -> Found:
    """Attribution and critique claims carry a record-check block; effect claims do not."""
    kind, block = data.get("type"), data.get("attribution")
    if kind in RECORD_CHECK_TYPES and block is None:
        yield Finding(("type",), "E308", f"{kind} claim without a record-check block", False,
                      {"hint": "add attribution: {study: ID, checks: [...]}"})
    elif block is not None and kind not in RECORD_CHECK_ALLOWED:
        yield Finding(("attribution",), "E308", f"record-check block on a {kind} claim", True,
                      {"hint": "only attribution, critique and practice claims are checked against "
                               "the records; set the type, or remove the block"})
    if isinstance(block, dict):
        yield from broken_link("study", block.get("study"), ("attribution", "study"), index)
        for j, item in enumerate(block.get("checks") or []):
            if isinstance(item, dict):
                yield from broken_link("study", item.get("study"),
                                 ("attribution", "checks", j, "study"), index)


def _outcome_of(index: Index, sid: object, oid: object) -> dict | None:
    """The linked outcome's data, when the study and the outcome exist."""
    if not isinstance(sid, str) or not isinstance(oid, str):
        return None
    study = index.get("study", sid)
    outcomes = study.data.get("outcomes") or [] if study else []
    return next((o for o in outcomes if isinstance(o, dict) and o.get("id") == oid), None)


def _cannot_test(question: str, claim_domain: object, link: dict, outcome: dict | None
                 ) -> str | None:
    """Why a link marked `role: tests` cannot test the claim's question, or None."""
    if question in ("effect", "comparison") and not link.get("outcome"):
        return f"a link that tests an {question} claim must name the outcome that tests it"
    if question == "mechanism" and (outcome is None or outcome.get("domain") != "mechanism"):
        return "a mechanism is tested only by an outcome that measures its marker (domain " \
               "mechanism)"
    if outcome is None or question not in ("effect", "comparison"):
        return None
    if question == "comparison" and outcome.get("comparison") not in COMPARING:
        return (f"outcome '{outcome.get('id')}' compares {outcome.get('comparison') or 'nothing'}"
                "; a comparison is tested only head to head (vs-active) or within one study "
                "(association)")
    domain = outcome.get("domain")
    if isinstance(claim_domain, str) and domain != claim_domain:
        if HARM_DOMAIN in (domain, claim_domain):
            return (f"outcome '{outcome.get('id')}' is about {domain}, the claim about "
                    f"{claim_domain}: harms and benefits cannot test each other")
        if link.get("directness") == "direct":
            return (f"outcome '{outcome.get('id')}' is about {domain}, the claim about "
                    f"{claim_domain}: such a link is at best indirect-outcome")
    return None


def _claim_domain(data: dict) -> object:
    """The domain a claim is about: its own, or adverse events for a safety claim without one."""
    return data.get("domain") or (HARM_DOMAIN if data.get("type") == "safety" else None)


def _harm_for_benefit(claim_domain: object, outcome: dict | None) -> str | None:
    """Why an outcome about harms cannot inform a claim about a benefit, or the reverse."""
    domain = outcome.get("domain") if outcome else None
    if outcome is None or not isinstance(claim_domain, str) or domain == claim_domain or \
            HARM_DOMAIN not in (domain, claim_domain) or "mechanism" in (domain, claim_domain):
        return None
    return (f"outcome '{outcome.get('id')}' is about {domain}, the claim about {claim_domain}: "
            "harms and benefits cannot inform each other, not even as context")


def _check_tests_links(data: dict, index: Index) -> Found:
    """E312: links that cannot test the claim's question, and harms linked to benefits (or the
    reverse) in any role; E313: a null read as a refutation."""
    question = data.get("question")
    for i, link in enumerate(data.get("evidence") or []):
        if not isinstance(link, dict) or not index.has("study", link.get("study", "")):
            continue
        outcome = _outcome_of(index, link.get("study"), link.get("outcome"))
        why = _cannot_test(question, _claim_domain(data), link, outcome) \
            if link.get("role") == "tests" and isinstance(question, str) else None
        hint = "set role: context (and say why in the note), or link an outcome that tests " \
               "the question"
        if not why and (why := _harm_for_benefit(_claim_domain(data), outcome)):
            hint = f"link an outcome about {_claim_domain(data)}, or the study without an outcome"
        if why:
            yield Finding(("evidence", i, "role"), "E312", f"evidence[{i}] cannot test this claim: {why}",
                          False, {"hint": hint})
        if (link.get("stance") == "refutes" and outcome is not None
                and outcome.get("direction") == "no-difference"
                and not link.get("rules_out_effect")):
            yield Finding(("evidence", i, "stance"), "E313",
                          f"evidence[{i}]: outcome '{outcome.get('id')}' found no significant difference, "
                          "which does not refute a claim", False,
                          {"hint": "use stance: inconclusive; or, if its estimate is precise enough to "
                                   "rule the effect out, set rules_out_effect: true and say why"})


def _check_judgements(judgements: object, index: Index) -> Found:
    """Critique references of curated judgements resolve (their ratings are a schema rule)."""
    if not isinstance(judgements, dict):
        return
    for domain, judgement in judgements.items():
        if not isinstance(judgement, dict):
            continue
        for j, ref in enumerate(judgement.get("critiques") or []):
            if not isinstance(ref, str) or "#" not in ref:
                continue
            sid, cid = ref.split("#", 1)
            path = ("judgements", domain, "critiques", j)
            if not index.has("study", sid):
                yield Finding(path, "E301", f"no study '{sid}' for critique '{ref}'", False,
                              {"hint": closest(sid, index.ids.get("study", set()))})
                continue
            study = index.get("study", sid)
            ids = {c.get("id") for c in (study.data.get("critiques") or [])
                   if isinstance(c, dict)} if study else set()
            if study and cid not in ids:
                yield Finding(path, "E301", f"study '{sid}' has no critique '{cid}'", False,
                              {"hint": closest(cid, {x for x in ids if isinstance(x, str)})})
