"""The words of grading: certainty levels, domains, stances and verdicts (titles from the schema)."""

from __future__ import annotations

from build_tools.records.schema import choices, definition, record_schema

CERTAINTY_ORDER = ("very-low", "low", "moderate", "high")
CERTAINTY_SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very-low": "⊕◯◯◯"}
CERTAINTY_WORDS = {c["const"]: c["title"] for c in choices(definition("certainty"))}
# GRADE domains in the order of the claim schema's judgements, labelled by their titles.
DOMAIN_LABELS = {key: node["title"] for key, node in
                 record_schema("claim")["properties"]["judgements"]["properties"].items()}
DOMAINS = tuple(DOMAIN_LABELS)
CURATED_ONLY = ("publication-bias", "large-effect", "dose-response", "plausible-confounding")
RATING_LEVELS = {"no-change": 0, "serious": -1, "very-serious": -2, "upgrade-one": 1,
                 "upgrade-two": 2}
STANCES = ("supports", "refutes", "inconclusive")
QUESTIONS = ("effect", "comparison", "mechanism", "practice")
VERDICTS = ("supported", "contradicted", "not-shown", "mixed", "very-uncertain",
            "insufficient-evidence")
RECORD_CHECK_TYPES = ("attribution", "critique")
ATTRIBUTION_VERDICTS = ("accurate", "partly-accurate", "inaccurate", "unverifiable")
VERDICT_WORDS = {c["const"]: c["title"] for c in choices(definition("verdict"))}
# Syntheses: their "not-applicable" risk of bias is a judgement (the RoB tools rate trials).
SYNTHESES = ("systematic-review", "meta-analysis", "overview-of-reviews",
             "health-technology-assessment")
