"""View data for the overview pages: home, studies and sources, SoF profile, dosing, downloads."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from build_tools.grade.dosing import format_number, format_range, normalise
from build_tools.records.model import Claim, Corpus, Source
from build_tools.site import words as labels
from build_tools.site.fields import rows
from build_tools.site.markup import Md, internal_link, link, md, trusted
from build_tools.site.parts import (
    certainty_cell,
    filter_controls,
    folder_note,
    front_matter,
    generated_comment,
    href,
    record_note,
    risk_cell,
    study_label,
    verdict_cell,
)

DOSE_FIELDS = ("dose_as_reported", "rate", "dose_per_session_mg", "hours_per_session", "sessions",
               "continuous_days")


# Above this many studies the table page carries only the first rows and loads the rest from
# studies/table.json after it has rendered (a 5,000-row Markdown table took 2.8 s to load).
INLINE_ROWS = 500
FIRST_ROWS = 100
TABLE_COLUMNS = ("study", "design", "year", "n", "agent", "route", "regimen", "rate", "days",
                 "follow_up", "function", "rob")


def studies_index(corpus: Corpus) -> dict[str, Any]:
    """The sortable, filterable studies table (lazy beyond INLINE_ROWS studies)."""
    studies = list(corpus.studies.values())
    lazy = len(studies) > INLINE_ROWS
    shown = studies[:FIRST_ROWS] if lazy else studies
    return {"front": front_matter("Studies", hide_toc=True, wide=True, searchable=False),
            "controls": filter_controls(("Design", "Agent", "Route", "Regimen", "Risk of bias"),
                                        "Filter studies",
                                        rows_src="table.json" if lazy else None,
                                        total=len(studies)),
            "rows": [studies_row(s) for s in shown],
            "lazy": lazy, "shown": md(len(shown)),
            "count": md(len(corpus.studies)), "note": folder_note("evidence/studies", "study")}


def studies_table_data(corpus: Corpus) -> str:
    """Every row of the studies table as JSON (ids and plain text; the script escapes nothing
    because it only ever sets textContent and builds links from validated ids)."""
    rows = []
    for sid, study in corpus.studies.items():
        cells = studies_cells(study)
        rows.append([sid, *(cells[c] for c in TABLE_COLUMNS)])
    return json.dumps({"columns": ["id", *TABLE_COLUMNS], "rows": rows}, ensure_ascii=False,
                      separators=(",", ":")) + "\n"


def source_page(source: Source, corpus: Corpus, grades: Mapping[str, Any]) -> dict[str, Any]:
    """A web text, what it claims, and what the evidence says about each claim."""
    said = []
    for cid, claim in corpus.claims.items():
        for item in claim.asserted_by:
            if item.get("source") == source.id:
                grade = grades[cid]
                said.append({"claim": internal_link(claim.statement, href("claim", cid,
                                                                          here="sources")),
                             "how": md(item["paraphrase"]), "verdict": verdict_cell(grade.verdict),
                             "certainty": certainty_cell(grade.certainty)})
    critiques = [{"study": internal_link(study_label(s), href("study", s.id, here="sources")),
                  "text": md(c["text"])}
                 for s in corpus.studies.values() for c in s.critiques
                 if c.get("by_source") == source.id]
    facts = {k: getattr(source, k) for k in ("kind", "publisher", "authors", "date", "date_note",
                                             "seed_file") if getattr(source, k)}
    return {"front": front_matter(source.title), "comment": generated_comment(source.path),
            "title": md(source.title), "summary": md(source.summary),
            "facts": rows("source", (), facts),
            "url": link(source.url, source.url),
            "archived": link(source.archived_url, source.archived_url) if source.archived_url
            else Md(""),
            "said": said, "critiques": critiques,
            "record": record_note(source.path, source.reviewed)}


def sources_index(corpus: Corpus) -> dict[str, Any]:
    """The table of web texts with how many claims each makes."""
    counts = {rid: 0 for rid in corpus.sources}
    for claim in corpus.claims.values():
        for rid in {a.get("source") for a in claim.asserted_by} & set(counts):
            counts[rid] += 1
    table = [{"source": internal_link(s.title, f"{rid}.md"), "kind": md(labels.word(s.kind)),
              "publisher": md(s.publisher or ""), "date": md(s.date or ""),
              "claims": md(counts[rid])} for rid, s in corpus.sources.items()]
    return {"front": front_matter("Sources", hide_toc=True), "rows": table,
            "note": folder_note("evidence/sources", "source")}


def profile_page(sof: Sequence[Any]) -> dict[str, Any]:
    """Summary-of-Findings tables, one per outcome domain, footnotes numbered per table."""
    tables = []
    for table in sof:
        notes: list[str] = []
        out_rows = []
        for row in table.rows:
            marks = []
            for note in row.footnotes:
                if note not in notes:
                    notes.append(note)
                marks.append(str(notes.index(note) + 1))
            claims = trusted(", ".join(internal_link(c, href("claim", c, here="profile"))
                                       for c in row.claim_ids))
            unknown = (f"; size unknown: {', '.join(row.unknown_size)}"
                       if row.unknown_size else "")
            out_rows.append({
                "outcome": md(row.outcome), "timeframe": md(row.timeframe),
                "participants": md(f"{row.n_participants} ({row.n_studies} "
                                   f"{'study' if row.n_studies == 1 else 'studies'}{unknown})"),
                "designs": md(", ".join(labels.word(d) for d in row.designs)),
                "verdict": verdict_cell(row.verdict), "relative": md(row.relative),
                "absolute": md(row.absolute), "meaning": md(row.meaning),
                "certainty": certainty_cell(row.certainty),
                "notes": md(", ".join(marks)), "claims": claims})
        tables.append({"title": md(table.title), "rows": out_rows,
                       "footnotes": [md(n) for n in notes]})
    return {"front": front_matter("Evidence profile", wide=True, searchable=False),
            "tables": tables}


def _dose_row(study: Any, notes: list[str]) -> dict[str, Md]:
    """One study's regimen on the normalised scale, with numbered assumption marks."""
    iv = study.intervention
    norm = normalise(iv)
    marks = []
    for a in norm.assumptions:
        if a not in notes:
            notes.append(a)
        marks.append(str(notes.index(a) + 1))
    return {"study": internal_link(study_label(study), href("study", study.id, here="profile")),
            "regimen": md(labels.word(iv.get("regimen"))), "agent": md(labels.word(iv["agent"])),
            "route": md(labels.word(iv["route"])), "reported": md(iv.get("dose_as_reported", "")),
            "rate": md(format_range(norm.mg_per_kg_h_min, norm.mg_per_kg_h_max)),
            "hours": md(format_number(iv.get("hours_per_session"))),
            "sessions": md(format_number(iv.get("sessions"))), "days": md(format_number(norm.days)),
            "total": md(format_number(norm.total_hours)),
            "cumulative": md(format_number(norm.cumulative_mg_per_kg_max)),
            "notes": md(", ".join(marks))}


def dosing_page(corpus: Corpus) -> dict[str, Any]:
    """Regimens side by side in mg/kg/h, the figure's data, and the assumptions behind them."""
    notes: list[str] = []
    table = []
    for study in corpus.studies.values():
        iv = study.intervention or {}
        if not any(iv.get(k) is not None for k in DOSE_FIELDS):
            continue
        table.append(_dose_row(study, notes))
    return {"front": front_matter("Protocols and dosing", wide=True, searchable=False), "rows": table,
            "notes": [md(n) for n in notes], "figure": trusted("")}


# The bottom line in the order a clinician asks: does it relieve pain and how much, for how
# long, does function improve, what are the harms, what dose; then practice and record checks.
HOME_SECTIONS: tuple[tuple[str, Callable[[Claim], bool]], ...] = (
    ("Does it relieve pain, and by how much?", lambda c: c.type == "efficacy"
     and c.domain == "pain" and c.timeframe in ("during-infusion", "short-term")),
    ("For how long?", lambda c: c.type == "duration" or (
        c.type == "efficacy" and c.domain == "pain" and c.timeframe == "beyond-3-months")),
    ("Does function improve?", lambda c: c.domain in ("physical-function", "quality-of-life")),
    ("What are the harms?", lambda c: c.type == "safety"),
    ("What dose and protocol?", lambda c: c.type == "dosing"),
    ("How it is offered", lambda c: c.type == "practice"),
    ("What sources say about the studies, checked against the records",
     lambda c: c.type in ("attribution", "critique")),
)
TIMEFRAME_ORDER = ("short-term", "during-infusion", "beyond-3-months", "any")


def _home_order(claim: Claim, grade: Any) -> tuple:
    """Within a section: the main time frame first, then higher certainty, then by id."""
    frame = TIMEFRAME_ORDER.index(claim.timeframe) if claim.timeframe in TIMEFRAME_ORDER else 9
    rank = ("high", "moderate", "low", "very-low", None).index(grade.certainty)
    return frame, rank, claim.id


def _how_much(claim: Claim, grade: Any, effects: Mapping[str, Any], corpus: Corpus) -> Md:
    """The first number a graded study gives for the claim, with its study and time point."""
    lines = effects[claim.id].graded if claim.id in effects else ()
    numeric = [line for line in lines if line.effect and line.effect.value is not None]
    if not numeric:
        return md("no numbers" if grade.kind == "evidence" else "checked against the record")
    line = numeric[0]
    return md(f"{study_label(corpus.studies[line.study])}, {line.timepoint}: {line.text}")


def home_snippet(corpus: Corpus, grades: Mapping[str, Any], last_updated: str | None,
                 effects: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The bottom line for the home page: key claims, grouped by the clinician's questions."""
    effects = effects or {}
    sections, placed = [], set()
    for question, belongs in HOME_SECTIONS:
        claims = sorted((c for c in corpus.claims.values()
                         if c.key and c.id not in placed and belongs(c)),
                        key=lambda c: _home_order(c, grades[c.id]))
        placed |= {c.id for c in claims}
        rows = [{"claim": internal_link(c.statement, href("claim", c.id, here="")),
                 "verdict": verdict_cell(grades[c.id].verdict),
                 "certainty": certainty_cell(grades[c.id].certainty),
                 "how_much": _how_much(c, grades[c.id], effects, corpus),
                 "plain": md(grades[c.id].plain)} for c in claims]
        if rows:
            sections.append({"question": md(question), "rows": rows})
    reviewed = max((r.reviewed for r in _records(corpus)), default=None)
    updated = (f"{last_updated} (the last commit to the evidence records)" if last_updated
               else f"not recorded in git; records last reviewed {reviewed or 'never'}")
    return {"sections": sections, "updated": md(updated), "studies": md(len(corpus.studies)),
            "claims": md(len(corpus.claims)), "sources": md(len(corpus.sources))}


def _records(corpus: Corpus) -> Iterable[Any]:
    """Every record that carries a review date."""
    yield from corpus.studies.values()
    yield from corpus.claims.values()
    yield from corpus.sources.values()


DOWNLOAD_WORDS = {
    "evidence.json": "Every record with its computed grade (JSON).",
    "studies.csv": "The studies table as a spreadsheet (CSV).",
    "evidence.bib": "Every study as BibTeX.", "evidence.ris": "Every study as RIS.",
    "evidence.csl.json": "Every study as CSL-JSON (Zotero, Pandoc).",
}


def downloads_page(names: Iterable[str]) -> dict[str, Any]:
    """The list of files under downloads/."""
    return {"front": front_matter("Downloads"),
            "files": [{"link": internal_link(n, n), "what": md(DOWNLOAD_WORDS.get(n, ""))}
                      for n in names]}


def studies_cells(study: Study) -> dict[str, str]:
    """One row of the studies table as plain text (the table page and its JSON data share it)."""
    iv = study.intervention or {}
    norm = normalise(iv)
    function = [o for o in study.outcomes if o.get("domain") == "physical-function"]
    directions = sorted({labels.word(o["direction"]) for o in function})
    follow = (study.follow_up or {}).get("weeks")
    overall = (study.risk_of_bias or {}).get("overall")
    return {
        "study": study_label(study), "design": labels.word(study.design),
        "year": str(study.year), "n": format_number(study.n),
        "agent": labels.word(iv.get("agent")), "route": labels.word(iv.get("route")),
        "regimen": labels.word(iv.get("regimen")),
        "rate": format_range(norm.mg_per_kg_h_min, norm.mg_per_kg_h_max),
        "days": format_number(norm.days), "follow_up": format_number(follow),
        "function": ", ".join(directions) if directions else "not reported",
        "rob": labels.risk(overall) if overall else "not assessed",
    }


def studies_row(study: Study) -> dict[str, Md]:
    """One row of the studies table as escaped Markdown cells."""
    cells = {key: md(value) for key, value in studies_cells(study).items()}
    cells["study"] = internal_link(study_label(study), f"{study.id}.md")
    cells["rob"] = risk_cell((study.risk_of_bias or {}).get("overall"))
    return cells
