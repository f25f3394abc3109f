"""Checks across records: ids, modelines, links, provenance keys and recommended fields."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from build_tools.paths import modeline
from build_tools.problems import Problem, problem
from build_tools.records.files import Record

# Bibliographic and design fields a journal article should give, or list in not_reported.
RECOMMENDED_ARTICLE_FIELDS = ("journal", "volume", "pages", "ids.doi", "ids.pmid")
RECOMMENDED_PRIMARY_FIELDS = ("participants", "intervention", "follow_up", "outcomes",
                              "risk_of_bias")
PRIMARY_DESIGNS = {"rct", "crossover-rct", "nonrandomised-controlled", "prospective-cohort",
                   "retrospective-cohort", "case-series", "case-report"}


@dataclass
class Index:
    """Known ids per kind, with the loaded records available (or loadable on demand)."""

    ids: dict[str, set[str]]
    records: dict[tuple[str, str], Record] = field(default_factory=dict)
    load_one: Callable[[str, str], Record | None] | None = None

    def has(self, kind: str, rid: str) -> bool:
        """True if a record of that kind and id exists."""
        return rid in self.ids.get(kind, set())

    def get(self, kind: str, rid: str) -> Record | None:
        """The loaded record, loading it on demand when only its file name was known."""
        key = (kind, rid)
        if key not in self.records and self.load_one and self.has(kind, rid):
            record = self.load_one(kind, rid)
            if record is not None:
                self.records[key] = record
        return self.records.get(key)


def _closest(word: str, choices: set[str]) -> str:
    """A did-you-mean hint for a broken link."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.5)
    return f"closest: {close[0]}" if close else "no record with a similar id"


def _get(data: dict, dotted: str) -> object:
    """Value at a dotted path, or None."""
    node: object = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def check_record(record: Record, index: Index, *, schema_valid: bool = True) -> list[Problem]:
    """All cross-record problems of one record (its schema problems are checked elsewhere).

    Link checks assume the shapes the schema guarantees, so they run only on schema-valid
    records; the schema errors of an invalid record are reported first, links after a fix.
    """
    file, data, loaded = record.file.display, record.data, record.loaded
    out: list[Problem] = []

    def add(path: tuple, code: str, message: str, *, key: bool = False, **hint: object) -> None:
        line, col = loaded.position(path, key=key)
        out.append(problem(file, line, col, code, message, **hint))

    expected = modeline(record.file.kind)
    if record.first_line.strip() != expected:
        out.append(problem(file, 1, 1, "E304", "first line is not the schema modeline",
                           modeline=expected))
    rid = data.get("id")
    if isinstance(rid, str) and rid != record.file.stem:
        add(("id",), "E303", f"id '{rid}' differs from the file name '{record.file.stem}'",
            expected=rid, stem=record.file.stem)
    if loaded.crlf:
        out.append(problem(file, 1, 1, "W502", "CRLF line endings"))
    checker = {"study": _check_study, "claim": _check_claim, "search": _check_search}.get(
        record.file.kind)
    if checker and schema_valid:
        for path, code, message, key, hint in checker(data, index):
            add(path, code, message, key=key, **hint)
    return out


Found = Iterator[tuple[tuple, str, str, bool, dict]]


def _link(kind: str, rid: object, path: tuple, index: Index) -> Found:
    """A broken-link problem when rid is not a known record of kind."""
    if isinstance(rid, str) and not index.has(kind, rid):
        yield (path, "E301", f"{'.'.join(map(str, path))}: no {kind} '{rid}'", False,
               {"hint": _closest(rid, index.ids.get(kind, set()))})


def _check_study(data: dict, index: Index) -> Found:
    """Provenance keys, internal ids, critique authors, not_reported consistency."""
    keys = {v.get("key") for v in data.get("verified_from", []) if isinstance(v, dict)}
    for path, cite in _cites(data):
        source = cite.get("from")
        if isinstance(source, str) and source not in keys:
            yield (path + ("from",), "E305", f"cite.from '{source}' is not a verified_from key",
                   False, {"hint": f"keys here: {', '.join(sorted(k for k in keys if k))}"})
    for listname in ("outcomes", "critiques"):
        seen: dict[str, int] = {}
        for i, item in enumerate(data.get(listname) or []):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            if item["id"] in seen:
                yield ((listname, i, "id"), "E306", f"{listname}[{i}].id '{item['id']}' repeats",
                       False, {"first_index": seen[item["id"]]})
            seen.setdefault(item["id"], i)
    for i, crit in enumerate(data.get("critiques") or []):
        if isinstance(crit, dict):
            yield from _link("source", crit.get("by_source"), ("critiques", i, "by_source"), index)
            yield from _link("study", crit.get("by_study"), ("critiques", i, "by_study"), index)
    not_reported = data.get("not_reported") or []
    for i, dotted in enumerate(not_reported):
        if isinstance(dotted, str) and _get(data, dotted) not in (None, "not-reported"):
            yield (("not_reported", i), "E309", f"'{dotted}' is given and listed as not reported",
                   False, {"field": dotted})
    if data.get("publication_type") == "journal-article":
        wanted = list(RECOMMENDED_ARTICLE_FIELDS)
        if data.get("design") in PRIMARY_DESIGNS:
            wanted += RECOMMENDED_PRIMARY_FIELDS
        for dotted in wanted:
            if _get(data, dotted) is None and dotted not in not_reported:
                yield ((), "W503", f"'{dotted}' is neither given nor listed in not_reported",
                       False, {"field": dotted})


def _cites(data: dict) -> Iterator[tuple[tuple, dict]]:
    """Every cite block in a study with its path."""
    for name in ("participants", "intervention", "follow_up", "review"):
        block = data.get(name)
        if isinstance(block, dict) and isinstance(block.get("cite"), dict):
            yield (name, "cite"), block["cite"]
    for i, outcome in enumerate(data.get("outcomes") or []):
        if isinstance(outcome, dict) and isinstance(outcome.get("cite"), dict):
            yield ("outcomes", i, "cite"), outcome["cite"]


def _check_claim(data: dict, index: Index) -> Found:
    """Links to sources, studies, outcomes and critiques; attribution and judgement fit."""
    for i, assertion in enumerate(data.get("asserted_by") or []):
        if isinstance(assertion, dict):
            yield from _link("source", assertion.get("source"), ("asserted_by", i, "source"), index)
            yield from _link("study", assertion.get("study"), ("asserted_by", i, "study"), index)
            if "source" not in assertion and "study" not in assertion:
                yield (("asserted_by", i), "E301", f"asserted_by[{i}] names no source or study",
                       False, {"hint": "add source: ID or study: ID"})
    evidence = data.get("evidence") or []
    for i, link in enumerate(evidence):
        if not isinstance(link, dict):
            continue
        sid = link.get("study")
        yield from _link("study", sid, ("evidence", i, "study"), index)
        outcome = link.get("outcome")
        if isinstance(sid, str) and isinstance(outcome, str) and index.has("study", sid):
            study = index.get("study", sid)
            ids = {o.get("id") for o in (study.data.get("outcomes") or []) if isinstance(o, dict)} \
                if study else set()
            if study and outcome not in ids:
                yield (("evidence", i, "outcome"), "E301",
                       f"evidence[{i}].outcome: study '{sid}' has no outcome '{outcome}'", False,
                       {"hint": _closest(outcome, {x for x in ids if isinstance(x, str)})})
    if (not evidence and isinstance(data.get("evidence"), list) and not data.get("notes")
            and data.get("attribution") is None):  # a record check names its study there
        yield (("evidence",), "W504", "claim links no study", False, {})
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
        yield (("type",), "E308", f"{kind} claim without a record-check block", False,
               {"hint": "add attribution: {study: ID, checks: [...]}"})
    elif block is not None and kind not in RECORD_CHECK_ALLOWED:
        yield (("attribution",), "E308", f"record-check block on a {kind} claim", True,
               {"hint": "only attribution, critique and practice claims are checked against "
                        "the records; set the type, or remove the block"})
    if isinstance(block, dict):
        yield from _link("study", block.get("study"), ("attribution", "study"), index)
        for j, item in enumerate(block.get("checks") or []):
            if isinstance(item, dict):
                yield from _link("study", item.get("study"),
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


def _check_tests_links(data: dict, index: Index) -> Found:
    """E312: links that cannot test the claim's question; E313: a null read as a refutation."""
    question = data.get("question")
    for i, link in enumerate(data.get("evidence") or []):
        if not isinstance(link, dict) or not index.has("study", link.get("study", "")):
            continue
        outcome = _outcome_of(index, link.get("study"), link.get("outcome"))
        why = _cannot_test(question, data.get("domain"), link, outcome) \
            if link.get("role") == "tests" and isinstance(question, str) else None
        if why:
            yield (("evidence", i, "role"), "E312", f"evidence[{i}] cannot test this claim: {why}",
                   False, {"hint": "set role: context (and say why in the note), or link an "
                                   "outcome that tests the question"})
        if (link.get("stance") == "refutes" and outcome is not None
                and outcome.get("direction") == "no-difference"
                and not link.get("rules_out_effect")):
            yield (("evidence", i, "stance"), "E313",
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
                yield (path, "E301", f"no study '{sid}' for critique '{ref}'", False,
                       {"hint": _closest(sid, index.ids.get("study", set()))})
                continue
            study = index.get("study", sid)
            ids = {c.get("id") for c in (study.data.get("critiques") or [])
                   if isinstance(c, dict)} if study else set()
            if study and cid not in ids:
                yield (path, "E301", f"study '{sid}' has no critique '{cid}'", False,
                       {"hint": _closest(cid, {x for x in ids if isinstance(x, str)})})


def _check_search(data: dict, index: Index) -> Found:
    """Included and duplicate candidates, and a chased study, point at existing studies."""
    yield from _link("study", data.get("chased"), ("chased",), index)
    for i, cand in enumerate(data.get("candidates") or []):
        if isinstance(cand, dict):
            yield from _link("study", cand.get("study"), ("candidates", i, "study"), index)
            if cand.get("decision") == "included" and "study" not in cand:
                yield (("candidates", i), "E301", f"candidates[{i}] is included but names no "
                       "study", False, {"hint": "add study: ID"})


def check_corpus_wide(records: list[Record]) -> list[Problem]:
    """Problems that need every record: duplicate ids and studies no claim uses."""
    out: list[Problem] = []
    seen: dict[tuple[str, str], Record] = {}
    used: set[str] = set()
    for record in records:
        rid = record.data.get("id")
        if not isinstance(rid, str):
            continue
        if isinstance(rid, str):
            key = (record.file.kind, rid)
            if key in seen:
                line, col = record.loaded.position(("id",))
                out.append(problem(record.file.display, line, col, "E302",
                                   f"id '{rid}' is already used", other=seen[key].file.display))
            seen.setdefault(key, record)
        if record.file.kind == "claim" and isinstance(record.data.get("evidence"), list):
            for link in record.data["evidence"]:
                if isinstance(link, dict) and isinstance(link.get("study"), str):
                    used.add(link["study"])
            block = record.data.get("attribution")
            if isinstance(block, dict) and isinstance(block.get("study"), str):
                used.add(block["study"])
    has_claims = any(r.file.kind == "claim" for r in records)
    for record in records:
        if (has_claims and record.file.kind == "study" and record.file.stem not in used
                and not record.data.get("unlinked_reason")):
            line, col = record.loaded.position(("id",))
            out.append(problem(record.file.display, line, col, "W501",
                               f"study '{record.file.stem}' is not evidence for any claim"))
    return out
