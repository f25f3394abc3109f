"""Display words for coded values: the titles the schema gives each value, plus the glyphs that
let a table be scanned without colour. One place, so every page says the same."""

from __future__ import annotations

from build_tools.records.schema import choices, definition, enum_titles

# A glyph before each verdict word, so scanning a table does not depend on colour.
VERDICT_GLYPHS = {
    "supported": "✓", "accurate": "✓", "contradicted": "✗", "inaccurate": "✗",
    "mixed": "±", "partly-accurate": "±", "not-shown": "○", "very-uncertain": "?",
    "insufficient-evidence": "∅", "unverifiable": "?",
}
VERDICT_WORDS = {c["const"]: c["title"] for c in choices(definition("verdict"))}
# Risk-of-bias words with a level glyph: ▲ count grows with the risk (never colour alone).
RISK_GLYPHS = {"low": "▲", "some-concerns": "▲▲", "moderate": "▲▲", "high": "▲▲▲",
               "serious": "▲▲▲", "critical": "▲▲▲▲"}
GRADE_DOMAIN_WORDS = {c["const"]: c["title"] for c in choices(definition("grade_domain"))}


def word(code: object) -> str:
    """The display word for a coded value ('' for None): its schema title, else a capital."""
    if code is None:
        return ""
    text = str(code)
    shown = enum_titles().get(text)
    if shown:
        return shown
    shown = text.replace("-", " ")
    return shown[:1].upper() + shown[1:]


def lower_word(code: object) -> str:
    """The display word for a coded value as it reads inside a sentence."""
    shown = word(code)
    return shown if shown[:2].isupper() else shown[:1].lower() + shown[1:]


def verdict(code: str) -> str:
    """'✓ Supported', '✗ Contradicted', ...: glyph and word together."""
    return f"{VERDICT_GLYPHS.get(code, '')} {VERDICT_WORDS.get(code, word(code))}".strip()


def risk(code: str | None) -> str:
    """'High ▲▲▲': the risk-of-bias word with its level glyph; '' when not assessed."""
    if not code:
        return ""
    return f"{word(code)} {RISK_GLYPHS.get(code, '')}".strip()
