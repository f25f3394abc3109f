"""Rules for search records: included, duplicate and chased studies exist."""

from __future__ import annotations

from build_tools.check.index import Finding, Found, Index, broken_link


def check_search(data: dict, index: Index) -> Found:
    """Included and duplicate candidates, and a chased study, point at existing studies."""
    yield from broken_link("study", data.get("chased"), ("chased",), index)
    for i, cand in enumerate(data.get("candidates") or []):
        if isinstance(cand, dict):
            yield from broken_link("study", cand.get("study"), ("candidates", i, "study"), index)
            if cand.get("decision") == "included" and "study" not in cand:
                yield Finding(("candidates", i), "E301", f"candidates[{i}] is included but names no "
                              "study", False, {"hint": "add study: ID"})
