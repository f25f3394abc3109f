"""View data for the reference pages: fields (from the schema), errors (from CODES), the search."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from build_tools.paths import KINDS, REPO_URL
from build_tools.problem_codes import CODES, RETIRED
from build_tools.records.model import Corpus
from build_tools.site import words as labels
from build_tools.site.fields import field_docs
from build_tools.site.markup import Md, html_text, internal_link, link, md, trusted
from build_tools.site.parts import filter_controls, front_matter, href
from build_tools.site.views.search_flow import flow_view

KIND_TITLES = {"study": "Study", "claim": "Claim", "source": "Source", "search": "Search"}


def _code(text: str) -> Md:
    """Schema text (ours, not a contributor's) as an inline code span."""
    fence = "``" if "`" in text else "`"
    return trusted(f"{fence}{text}{fence}")


def fields_page() -> dict[str, Any]:
    """Every field of every record kind: path, title, type, need, meaning, values or example."""
    kinds = []
    for kind, (folder, schema_file) in KINDS.items():
        table = []
        for doc in field_docs(kind):
            values = ", ".join(_code(v) for v, _ in doc.allowed) if doc.allowed else (
                f"e.g. {_code(doc.example)}" if doc.example else "")
            table.append({"path": _code(doc.path), "title": md(doc.title), "type": md(doc.type),
                          "required": trusted("required" if doc.required else "optional"),
                          "description": md(doc.description), "allowed": trusted(values)})
        kinds.append({"title": md(KIND_TITLES.get(kind, kind)), "attr": trusted("{#" + kind + "}"),
                      "folder": md(f"evidence/{folder}/"), "schema": md(schema_file),
                      "rows": table})
    return {"front": front_matter("Field reference"), "kinds": kinds}


def errors_page() -> dict[str, Any]:
    """Every problem code with its title, meaning and fix."""
    entries = []
    for code, entry in sorted(CODES.items()):
        # Hints that are pure placeholders are filled per problem; show only fixed advice.
        hint = "" if re.fullmatch(r"\{\w+\}", entry.hint) else re.sub(r"\{(\w+)\}", r"<\1>",
                                                                      entry.hint)
        entries.append({"code": trusted(code), "attr": trusted("{#" + code.lower() + "}"),
                        "severity": md(entry.severity), "title": md(entry.title),
                        "description": md(entry.description), "hint": md(hint)})
    retired = [{"code": trusted(code), "why": md(why)} for code, why in sorted(RETIRED.items())]
    return {"front": front_matter("Error reference"), "entries": entries, "retired": retired}


def search_page(corpus: Corpus) -> dict[str, Any]:
    """The literature search: protocol, PRISMA flow, a table of runs and every decision."""
    runs, log = [], []
    for search in corpus.searches.values():
        decisions = Counter(c["decision"] for c in search.candidates)
        runs.append({
            "id": md(search.id),
            "attr": trusted("{#" + html_text(search.id) + "}"), "database": md(search.database),
            "method": md(labels.word(search.method)),
            "query": md(search.query), "date": md(search.date),
            "hits": md("not recorded" if search.hits is None else search.hits),
            "screened": md(len(search.candidates)), "included": md(decisions["included"]),
            "excluded": md(decisions["excluded"]), "duplicates": md(decisions["duplicate"]),
            "notes": md(search.notes or "")})
        log += [_candidate(search.id, c) for c in search.candidates]
    return {"front": front_matter("Literature search", wide=True), **flow_view(corpus, _study_links),
            "runs": runs, "n_studies": md(len(corpus.studies)), "log": log,
            "repo": trusted(REPO_URL),
            "log_front": front_matter("Literature search: every screening decision", wide=True,
                                      hide_toc=True),
            "controls": filter_controls(("Search", "Decision", "Category"), "Filter decisions")}


def _study_links(ids: tuple[str, ...]) -> Md:
    """Study ids as links to their pages."""
    return trusted(", ".join(internal_link(i, href("study", i, here="reference")) for i in ids))


def _candidate(search_id: str, c: dict) -> dict[str, Md]:
    """One screened record: its search, label (linked when it has a URL), decision, study, reason."""
    study = internal_link(c["study"], href("study", c["study"], here="reference")) \
        if c.get("study") else Md("")
    return {"search": md(search_id),
            "label": link(c["label"], c["url"]) if c.get("url") else md(c["label"]),
            "decision": md(labels.word(c["decision"])), "study": study,
            "category": md(labels.word(c.get("exclusion"))),
            "reason": md(c.get("reason", ""))}
