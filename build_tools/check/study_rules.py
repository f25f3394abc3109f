"""Rules for study records: provenance keys, ids inside the record, not_reported, recommended fields."""

from __future__ import annotations

from collections.abc import Iterator

from build_tools.check.effect_rules import CODE as EFFECT_CODE
from build_tools.check.effect_rules import check_effects
from build_tools.check.index import Finding, Found, Index, broken_link, dotted_get

# Bibliographic and design fields a journal article should give, or list in not_reported.
RECOMMENDED_ARTICLE_FIELDS = ("journal", "volume", "pages", "ids.doi", "ids.pmid")
RECOMMENDED_PRIMARY_FIELDS = ("participants", "intervention", "follow_up", "outcomes",
                              "risk_of_bias")
PRIMARY_DESIGNS = {"rct", "crossover-rct", "nonrandomised-controlled", "prospective-cohort",
                   "retrospective-cohort", "case-series", "case-report"}



def check_study(data: dict, index: Index) -> Found:
    """Provenance keys, internal ids, critique authors, not_reported consistency."""
    keys = {v.get("key") for v in data.get("verified_from", []) if isinstance(v, dict)}
    for path, cite in _cites(data):
        source = cite.get("from")
        if isinstance(source, str) and source not in keys:
            yield Finding(path + ("from",), "E305", f"cite.from '{source}' is not a verified_from key",
                          False, {"hint": f"keys here: {', '.join(sorted(k for k in keys if k))}"})
    for listname in ("outcomes", "critiques"):
        seen: dict[str, int] = {}
        for i, item in enumerate(data.get(listname) or []):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            if item["id"] in seen:
                yield Finding((listname, i, "id"), "E306", f"{listname}[{i}].id '{item['id']}' repeats",
                              False, {"first_index": seen[item["id"]]})
            seen.setdefault(item["id"], i)
    for i, crit in enumerate(data.get("critiques") or []):
        if isinstance(crit, dict):
            yield from broken_link("source", crit.get("by_source"), ("critiques", i, "by_source"), index)
            yield from broken_link("study", crit.get("by_study"), ("critiques", i, "by_study"), index)
    for slip in check_effects(data):
        yield Finding(slip.path, EFFECT_CODE, slip.message, False, {"hint": slip.hint})
    not_reported = data.get("not_reported") or []
    for i, dotted in enumerate(not_reported):
        if isinstance(dotted, str) and dotted_get(data, dotted) not in (None, "not-reported"):
            yield Finding(("not_reported", i), "E309", f"'{dotted}' is given and listed as not reported",
                          False, {"field": dotted})
    if data.get("publication_type") == "journal-article":
        wanted = list(RECOMMENDED_ARTICLE_FIELDS)
        if data.get("design") in PRIMARY_DESIGNS:
            wanted += RECOMMENDED_PRIMARY_FIELDS
        for dotted in wanted:
            if dotted_get(data, dotted) is None and dotted not in not_reported:
                yield Finding((), "W503", f"'{dotted}' is neither given nor listed in not_reported",
                              False, {"field": dotted})


def _cites(data: dict) -> Iterator[tuple[tuple, dict]]:
    """Every cite block in a study with its path."""
    for name in ("participants", "intervention", "follow_up", "review"):
        block = data.get(name)
        if isinstance(block, dict) and isinstance(block.get("cite"), dict):
            yield (name, "cite"), block["cite"]
    for i, outcome in enumerate(data.get("outcomes") or []):
        if not isinstance(outcome, dict):
            continue
        if isinstance(outcome.get("cite"), dict):
            yield ("outcomes", i, "cite"), outcome["cite"]
        effect = outcome.get("effect")
        if isinstance(effect, dict) and isinstance(effect.get("cite"), dict):
            yield ("outcomes", i, "effect", "cite"), effect["cite"]
