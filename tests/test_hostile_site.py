"""The hostile corpus built into a site: no vector becomes markup, every one is shown as text.

tests/hostile_corpus.py puts each of its XSS and injection vectors into every free-text field
of every record kind (one study, claim, attribution claim, source and search per vector), and
`evidence build` + `mkdocs build --strict` turn them into a site. Every built page is parsed and
held to an allow-list: theme scripts only, no event handler, no javascript:/data:/vbscript:
address, no element or attribute made from a vector, and each vector still readable as text.
The same pages are built with Zensical too. The real-browser side is tests/test_hostile_browser.py.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from build_tools.paths import KINDS
from tests.hostile_corpus import VECTORS, build_project, free_text_paths, marker, payload

MARKER = re.compile(r"xss-\d{3}")
# Every element the theme and our templates write. Anything else came from a record.
ALLOWED_TAGS = {
    "a", "article", "blockquote", "body", "br", "button", "code", "div", "em", "footer", "form",
    "h1", "h2", "h3", "h4", "head", "header", "hr", "html", "img", "input", "label", "li", "link",
    "main", "meta", "nav", "ol", "p", "path", "pre", "script", "small", "span", "strong", "svg",
    "table", "tbody", "td", "th", "thead", "title", "tr", "ul",
}
# Elements our templates write with exactly these attributes (the collapsible GRADE trail).
TEMPLATE_ELEMENTS = {("details", (("class", "note"),)), ("summary", ())}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset",
             "background", "cite", "srcdoc", "ping"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)  # as browsers read an address
# Where record text may legitimately sit inside an attribute: Highwire meta tags (escaped by the
# override template), heading ids and their permalinks (slugs), and https links (safe_url).
MARKER_ATTRS = {("meta", "content"), ("h1", "id"), ("a", "href")}
ZENSICAL = Path(sys.executable).parent / "zensical"


@dataclass
class Page:
    """What one built page holds: elements, scripts and visible text."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    scripts: list[tuple[str | None, str]] = field(default_factory=list)
    text: str = ""


class _Parser(HTMLParser):
    """Start tags with attributes, <script> src and body, and the text outside script/style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._raw: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.page.tags.append((tag, values))
        if tag in ("script", "style"):
            self._raw = ""
            if tag == "script":
                self.page.scripts.append((values.get("src"), ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._raw is not None:
            if tag == "script":
                src, _ = self.page.scripts[-1]
                self.page.scripts[-1] = (src, self._raw)
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            self._raw += data
        else:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = " ".join("".join(self._text).split())


def parse(path: Path) -> Page:
    """The elements, scripts and visible text of one built page."""
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def live_markup(site: Path, theme_scripts: set[str]) -> list[str]:
    """Every way a record reached a built page as markup, one line each (empty when none)."""
    found = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        page = parse(path)
        for tag, attrs in page.tags:
            ours = (tag, tuple(sorted(attrs.items()))) in TEMPLATE_ELEMENTS
            if (tag not in ALLOWED_TAGS and not ours) or MARKER.search(tag):
                found.append(f"{rel}: element <{tag}> {attrs}")
            for name, value in attrs.items():
                if name.startswith("on") or MARKER.search(name):
                    found.append(f"{rel}: attribute {name}= on <{tag}>")
                # Browsers ignore control characters and spaces inside a scheme.
                bare = re.sub(r"[\x00-\x20]", "", value)
                scheme = SCHEME.match(bare)
                if name in URL_ATTRS and scheme and scheme[1].lower() not in ("http", "https",
                                                                               "mailto"):
                    found.append(f"{rel}: <{tag} {name}={value!r}>")
                if name == "http-equiv" or (name == "style" and MARKER.search(value)):
                    found.append(f"{rel}: <{tag} {name}={value!r}>")
                if MARKER.search(value) and (
                        (tag, name) not in MARKER_ATTRS
                        or (name == "href" and not bare.startswith(("#", "https://")))):
                    found.append(f"{rel}: record text in <{tag} {name}={value[:80]!r}>")
        for src, body in page.scripts:
            if src is not None:
                target = (site / src.lstrip("/") if src.startswith("/")
                          else path.parent / src).resolve()
                if SCHEME.match(src) or src.startswith("//") \
                        or not target.is_file() or site.resolve() not in target.parents:
                    found.append(f"{rel}: <script src={src!r}>")
            elif _normal_script(body) not in theme_scripts:
                found.append(f"{rel}: inline script not from the theme: {body[:120]!r}")
    return found


def _normal_script(body: str) -> str:
    """An inline script with its per-page relative paths (../..) taken out."""
    body = re.sub(r'(new URL\(|"base": ?)"[./]*"', r'\1"."', body.strip())
    return re.sub(r'"(?:\.\.?/)+', '"', body)


def shown_payloads(site: Path) -> set[int]:
    """The vectors whose full text is readable on some built page (whitespace collapsed)."""
    text = "\n".join(parse(p).text for p in sorted(site.rglob("*.html")))
    return {n for n in range(len(VECTORS)) if " ".join(payload(n).split()) in text}


@dataclass(frozen=True)
class Hostile:
    """The hostile project, its built site, MkDocs' log and the theme's own inline scripts."""

    project: Path
    site: Path
    log: str
    theme_scripts: set[str]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, built_site) -> Hostile:
    """The full hostile corpus built into a site once for this module."""
    project = tmp_path_factory.mktemp("hostile-site")
    log = build_project(project)
    theme = {_normal_script(body) for path in built_site.site.rglob("*.html")
             for src, body in parse(path).scripts if src is None}
    return Hostile(project, project / "site", log, theme)


def test_the_corpus_is_large_and_covers_every_free_text_field_of_every_kind():
    categories = {category for category, _ in VECTORS}
    assert len(VECTORS) >= 30 and len(categories) >= 10, categories
    assert len({marker(n) for n in range(len(VECTORS))}) == len(VECTORS)
    from tests.hostile_corpus import corpus
    placed = {kind: set() for kind in KINDS}
    for kind, _rid, _data, used in corpus():
        placed[kind] |= used
    for kind in KINDS:
        fields = free_text_paths(kind)
        assert fields, kind
        for dotted in fields:
            vectors = {v if v >= 0 else -1 - v for f, v in placed[kind] if f == dotted}
            assert vectors == set(range(len(VECTORS))), (kind, dotted)


def test_the_hostile_corpus_builds_strictly_without_warnings(hostile):
    assert "WARNING" not in hostile.log, hostile.log[-3000:]
    pages = {p.relative_to(hostile.site).as_posix() for p in hostile.site.rglob("*.html")}
    for n in (0, len(VECTORS) - 1):
        assert f"studies/hostile-{n:03d}/index.html" in pages
        assert f"claims/hostile-attribution-{n:03d}/index.html" in pages


def test_no_built_page_carries_markup_from_a_record(hostile):
    found = live_markup(hostile.site, hostile.theme_scripts)
    assert not found, "\n".join(found[:40])


def test_every_vector_is_still_readable_as_text(hostile):
    missing = set(range(len(VECTORS))) - shown_payloads(hostile.site)
    assert not missing, [payload(n) for n in sorted(missing)]
    # ... and reaches the page of every kind it was put in
    for rel in ("studies/hostile-007", "claims/hostile-claim-007",
                "claims/hostile-attribution-007", "sources/hostile-source-007",
                "reference/search-log"):
        assert marker(7) in parse(hostile.site / rel / "index.html").text, rel


def test_no_snippet_include_reads_a_file(hostile):
    cite = (hostile.project / "docs" / "cite.md").read_text(encoding="utf-8")
    sentence = next(line for line in cite.splitlines()[4:] if len(line) > 40)
    for path in hostile.site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "root:x:0:0" not in text, path
        if "hostile-" in path.parent.name:
            assert sentence not in text, path


def test_svg_figures_hold_no_script_or_link(hostile):
    for path in sorted(hostile.site.rglob("*.svg")):
        root = ET.parse(path).getroot()  # well-formed XML: record text cannot open an element
        for element in root.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            assert tag not in ("script", "foreignObject", "iframe", "a"), (path, tag)
            for name, value in element.attrib.items():
                assert not name.rsplit("}", 1)[-1].startswith("on"), (path, name)
                assert not re.match(r"\s*(javascript|data|vbscript):", value, re.I), (path, value)


def test_downloads_stay_inert_data(hostile):
    downloads = hostile.site / "downloads"
    with (downloads / "studies.csv").open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    ris = (downloads / "evidence.ris").read_text(encoding="utf-8").splitlines()
    forged = [line for line in ris if line and not re.match(r"^[A-Z][A-Z0-9]  - ", line)]
    assert not forged, forged[:5]
    assert sum(line.startswith("TY  - ") for line in ris) == len(VECTORS)
    data = json.loads((downloads / "evidence.json").read_text(encoding="utf-8"))
    titles = {s["id"]: " ".join(s["title"].split()) for s in data["studies"]}
    # (YAML itself folds a NEL inside a scalar into a space, hence the whitespace collapse)
    assert all(titles[f"hostile-{n:03d}"] == " ".join(payload(n).split())
               for n in range(len(VECTORS)) if len(payload(n)) <= 600)


def test_zensical_builds_the_same_pages_without_markup_from_a_record(hostile, tmp_path):
    """Zensical reads front matter with another YAML parser: U+2028 once broke its build."""
    assert ZENSICAL.exists() or shutil.which("zensical"), "zensical is a test dependency"
    for name in ("mkdocs.yml", "overrides", "docs"):
        source = hostile.project / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    done = subprocess.run([str(ZENSICAL) if ZENSICAL.exists() else "zensical", "build", "-c"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    site = tmp_path / "site"
    theme = hostile.theme_scripts | {_normal_script(body) for path in site.rglob("*.html")
                                     if not path.parent.name.startswith("hostile-")
                                     and "xss-" not in path.read_text(encoding="utf-8")
                                     for src, body in parse(path).scripts if src is None}
    found = [line for line in live_markup(site, theme) if "element <circle>" not in line]
    assert not found, "\n".join(found[:40])
    assert shown_payloads(site) == set(range(len(VECTORS)))


def test_page_parser_sees_what_it_must_refuse(tmp_path):
    """The checks above would notice each kind of live markup (the parser is not blind)."""
    sample = ('<p><img src=x onerror="a()"><a href=" jav&#x09;ascript:x">xss-001</a>'
              '<iframe></iframe><script>evil()</script><meta http-equiv="refresh">'
              '<span data-x="xss-002">t</span><a href="https://e.org/xss-003">ok</a></p>')
    (tmp_path / "index.html").write_text(sample, encoding="utf-8")
    found = "\n".join(live_markup(tmp_path, set()))
    for expected in ("attribute onerror=", "ascript:x", "element <iframe>", "inline script",
                     "http-equiv", "<span data-x="):
        assert expected in found, expected
    assert "xss-003" not in found
