"""Plain-language sentences in GRADE guideline 26 wording, and the record-check verdicts."""

from __future__ import annotations

from build_tools.records.model import Claim

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


def record_check(claim: Claim) -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
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
