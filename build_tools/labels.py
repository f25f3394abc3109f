"""Display words for the schema's coded values: one place, so every page says the same."""

from __future__ import annotations

# Codes whose plain hyphen-to-space form would read wrongly; anything else is shown that way.
WORDS: dict[str, str] = {
    "rct": "RCT", "crossover-rct": "Crossover RCT", "nonrandomised-controlled":
    "Non-randomised controlled", "pk-pd": "PK-PD", "icu": "ICU", "iv": "IV",
    "s-ketamine": "S-ketamine", "r-ketamine": "R-ketamine", "racemic-ketamine": "Racemic ketamine",
    "ketamine-unspecified": "Unspecified", "type-1": "CRPS type 1",
    "type-2": "CRPS type 2", "not-crps": "Not CRPS", "iasp-1994": "IASP 1994",
    "harden-bruehl-2005": "Harden–Bruehl 2005", "budapest": "Budapest", "rob2": "RoB 2",
    "robins-i": "ROBINS-I", "vs-placebo": "vs placebo", "vs-active": "vs active control",
    "vs-baseline": "vs baseline", "pooled-vs-baseline": "pooled, vs baseline",
    "pooled-vs-control": "pooled, vs control", "full-text": "Full text",
    "during-infusion": "During infusion", "short-term": "Short term (up to 3 months)",
    "beyond-3-months": "Beyond 3 months", "association": "Association",
    "health-technology-assessment": "Health technology assessment",
    "mg/h/70kg": "mg/h per 70 kg", "ug/kg/min": "µg/kg/min",
    "intermittent-daily": "Intermittent daily sessions", "anaesthetic-dose": "Anaesthetic dose",
}

VERDICT_WORDS = {
    "supported": "Supported", "contradicted": "Contradicted", "not-shown": "Not shown",
    "mixed": "Mixed", "very-uncertain": "Very uncertain",
    "insufficient-evidence": "Insufficient evidence",
    "accurate": "Accurate", "partly-accurate": "Partly accurate", "inaccurate": "Inaccurate",
    "unverifiable": "Unverifiable",
}
# A glyph before each verdict word, so scanning a table does not depend on colour.
VERDICT_GLYPHS = {
    "supported": "✓", "accurate": "✓", "contradicted": "✗", "inaccurate": "✗",
    "mixed": "±", "partly-accurate": "±", "not-shown": "○", "very-uncertain": "?",
    "insufficient-evidence": "∅",
    "unverifiable": "?",
}

RISK_WORDS = {
    "low": "Low", "some-concerns": "Some concerns", "moderate": "Moderate", "high": "High",
    "serious": "Serious", "critical": "Critical", "no-information": "No information",
    "not-applicable": "Not applicable",
}
# Risk-of-bias words with a level glyph: ▲ count grows with the risk (never colour alone).
RISK_GLYPHS = {"low": "▲", "some-concerns": "▲▲", "moderate": "▲▲", "high": "▲▲▲",
               "serious": "▲▲▲", "critical": "▲▲▲▲"}

DOMAIN_WORDS = {
    "pain": "Pain", "physical-function": "Physical function",
    "emotional-function": "Emotional function", "global-impression": "Global impression",
    "quality-of-life": "Quality of life", "adverse-events": "Adverse events",
    "opioid-use": "Opioid use", "signs-symptoms": "Signs and symptoms", "sleep": "Sleep",
    "work-participation": "Work participation", "pharmacokinetics": "Pharmacokinetics",
    "mechanism": "Mechanism", "cost": "Cost", "other": "Other",
}

TIMEFRAME_WORDS = {"during-infusion": "During infusion", "short-term": "Up to 3 months",
                   "beyond-3-months": "Beyond 3 months", "any": "Any time"}

GRADE_DOMAIN_WORDS = {"risk-of-bias": "Risk of bias", "publication-bias": "Publication bias",
                      "large-effect": "Large effect", "dose-response": "Dose-response",
                      "plausible-confounding": "Plausible confounding",
                      "none": "No GRADE domain"}


def word(code: object) -> str:
    """The display word for a coded value ('' for None); uncurated codes get a capital letter."""
    if code is None:
        return ""
    text = str(code)
    shown = WORDS.get(text) or DOMAIN_WORDS.get(text)
    if shown:
        return shown
    shown = text.replace("-", " ")
    return shown[:1].upper() + shown[1:]


def lower_word(code: object) -> str:
    """The display word for a coded value as it reads inside a sentence."""
    shown = WORDS.get(str(code), str(code).replace("-", " ")) if code is not None else ""
    return shown if shown[:2].isupper() else shown[:1].lower() + shown[1:]


def verdict(code: str) -> str:
    """'✓ Supported', '✗ Contradicted', ...: glyph and word together."""
    return f"{VERDICT_GLYPHS.get(code, '')} {VERDICT_WORDS.get(code, word(code))}".strip()


def risk(code: str | None) -> str:
    """'High ▲▲▲': the risk-of-bias word with its level glyph; '' when not assessed."""
    if not code:
        return ""
    glyph = RISK_GLYPHS.get(code, "")
    return f"{RISK_WORDS.get(code, word(code))} {glyph}".strip()
