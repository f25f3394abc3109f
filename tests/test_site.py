"""The built fixture site: strict build, search index, escaping, privacy, meta tags, determinism."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from build_tools.paths import GENERATED_DIRS
from tests.conftest import make_site_tree, mkdocs_build

# Elements the hostile fixture tries to inject and the theme itself never uses.
# (Markdown writes <strong> and <em>, never <b> or <u>, so those can only come from a record.)
INJECTED_TAGS = {"iframe", "marquee", "u", "object", "embed", "base", "details", "b"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data"}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of every <script> element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parse(path: Path) -> Elements:
    """The elements of one built page."""
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    """Every built HTML page."""
    return sorted(site.rglob("*.html"))


def test_strict_build_has_no_warnings(built_site):
    assert "WARNING" not in built_site.log, built_site.log


def test_search_index_holds_every_generated_page(built_site, rendered):
    index = json.loads((built_site.site / "search" / "search_index.json").read_text("utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for rel in rendered.pages:
        if not rel.endswith(".md") or rel.startswith("generated/"):
            continue  # data files, figures, and fragments included into other pages
        location = "" if rel == "index.md" else re.sub(r"(index)?\.md$", "", rel)
        location = location if not location or location.endswith("/") else location + "/"
        # Index tables that repeat every record's name opt out (front matter search.exclude),
        # so the index stays small at thousands of studies; their rows' pages are indexed.
        excluded = "search:\n  exclude: true" in rendered.pages[rel]
        assert (location in locations) != excluded, rel


def test_study_pages_index_only_their_title_section(built_site, rendered):
    index = json.loads((built_site.site / "search" / "search_index.json").read_text("utf-8"))
    for rel in rendered.pages:
        if rel.startswith("studies/") and rel != "studies/index.md" and rel.endswith(".md"):
            location = rel.removesuffix(".md") + "/"
            entries = [d for d in index["docs"] if d["location"].split("#")[0] == location]
            # Material makes one entry for the page and one for its title section; the
            # detail sections (tables, outcomes, citations) are excluded to keep the index lean.
            assert len(entries) <= 2, (rel, [d["location"] for d in entries])
    quix = " ".join(d["title"] + d["text"] for d in index["docs"]
                    if d["location"].startswith("studies/quixworth-2009/"))
    assert "3.17" in quix and "Quixworth" in quix
    # the home page's included bottom line is searchable too
    home = " ".join(d["text"] for d in index["docs"] if d["location"].split("#")[0] == "")
    assert "reduces CRPS pain more than placebo" in home


def test_no_element_or_handler_from_a_record_reaches_a_page(built_site):
    for page in html_pages(built_site.site):
        found = parse(page)
        for tag, attrs in found.tags:
            ours = tag == "details" and attrs == {"class": "note"}  # the template's GRADE trail
            assert tag not in INJECTED_TAGS or ours, (page, tag, attrs)
            assert not (tag == "img" and attrs.get("src") == "x"), page
            for name, value in attrs.items():
                assert not name.startswith("on"), (page, tag, name)
                if name in URL_ATTRS and value:
                    assert not value.strip().lower().startswith(("javascript:", "data:")), \
                        (page, tag, name, value)
            assert tag != "style", (page, "a <style> element in a generated page")
        for script in found.scripts:
            assert "__pwned" not in script, page


def test_hostile_text_is_shown_as_text(built_site):
    page = (built_site.site / "studies" / "hostile-2020" / "index.html").read_text("utf-8")
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "[click](javascript:window.__pwned=3)" in page
    assert "{{ 7*7 }}" in page and "| cell |" in page
    assert "<title>&lt;b onmouseover" in page  # Material prints titles raw: ours arrive escaped
    # the critique's address stays one https link; its brackets cannot open a javascript: link
    assert '<a href="https://example.org/x%29%5D%28javascript:window.__pwned=10%29">' in page


def test_http_addresses_are_shown_not_linked(built_site):
    page = (built_site.site / "sources" / "hostile-source" / "index.html").read_text("utf-8")
    assert "http://insecure.example.org/thread?a=1&amp;b=2" in page
    assert 'href="http://insecure' not in page


def test_study_page_carries_highwire_meta_tags(built_site):
    page = (built_site.site / "studies" / "quixworth-2009" / "index.html").read_text("utf-8")
    metas = {(a.get("name"), a.get("content")) for t, a in parse(
        built_site.site / "studies" / "quixworth-2009" / "index.html").tags if t == "meta"}
    for expected in [("citation_title", "Fictional S-ketamine infusion trial for the rendering "
                      "fixture"), ("citation_author", "Quixworth, AB"),
                     ("citation_journal_title", "Journal of Fixture Medicine"),
                     ("citation_publication_date", "2009/10"), ("citation_volume", "145"),
                     ("citation_issue", "3"), ("citation_firstpage", "304"),
                     ("citation_lastpage", "311"), ("citation_doi", "10.1234/fixture.2009.001"),
                     ("citation_pmid", "12345678")]:
        assert expected in metas, expected
    assert "Cite this study" in page and "md-clipboard" not in page  # copy buttons come from JS


def test_hostile_meta_tags_are_escaped(built_site):
    tags = parse(built_site.site / "studies" / "hostile-2020" / "index.html").tags
    titles = [a["content"] for t, a in tags if t == "meta" and a.get("name") == "citation_title"]
    assert titles and titles[0].startswith("<script>window.__pwned=1")  # text, inside content=""


def test_no_request_can_leave_the_site(built_site):
    for path in sorted(built_site.site.rglob("*")):
        if path.suffix not in (".html", ".css", ".js") or "search/" in path.as_posix():
            continue
        text = path.read_text("utf-8", errors="replace")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        if path.suffix == ".html":
            for tag, attrs in parse(path).tags:
                if tag in ("script", "img", "iframe") and attrs.get("src"):
                    assert not re.match(r"(https?:)?//", attrs["src"]), (path, attrs)
                if tag == "link" and attrs.get("href"):
                    assert not re.match(r"(https?:)?//", attrs["href"]), (path, attrs)


def test_every_study_field_is_on_its_page(built_site, rendered):
    """Each leaf value of the fullest fixture study appears in its built page's text."""
    study = rendered.corpus.studies["quixworth-2009"]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (
        built_site.site / "studies" / "quixworth-2009" / "index.html").read_text("utf-8")))
    import html as html_lib
    text = html_lib.unescape(text)
    raw = (built_site.site / "studies" / "quixworth-2009" / "index.html").read_text("utf-8")
    from build_tools.site.words import word

    def leaves(value, path=()):
        if isinstance(value, dict) or hasattr(value, "items"):
            for k, v in value.items():
                yield from leaves(v, path + (k,))
        elif isinstance(value, list | tuple):
            for v in value:
                yield from leaves(v, path)
        elif value is not None:
            yield path, value

    from dataclasses import fields
    for f in fields(study):
        if f.name == "path":
            continue
        for path, value in leaves(getattr(study, f.name), (f.name,)):
            shown = {str(value), word(value), f"{value:g}" if isinstance(value, float) else ""}
            if isinstance(value, bool):
                continue
            # linked records and addresses (critique authors) show as links
            linked = f"/{value}/" in raw or f'href="{value}"' in raw
            assert any(s and s in text for s in shown) or linked, (path, value)


def test_building_twice_gives_identical_output(built_site, rendered, tmp_path):
    again = make_site_tree(tmp_path, rendered.pages)
    done = mkdocs_build(again)
    assert done.returncode == 0, done.stderr

    def digest(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    assert digest(again / "site") == digest(built_site.site)


def test_generated_folders_are_only_the_declared_ones(rendered):
    assert {rel.split("/")[0] for rel in rendered.pages} <= set(GENERATED_DIRS)


def test_every_image_has_a_text_alternative(built_site):
    for page in html_pages(built_site.site):
        for tag, attrs in parse(page).tags:
            if tag == "img":
                assert (attrs.get("alt") or "").strip(), (page, attrs)
    svg = (built_site.site / "figures" / "dosing-map.svg").read_text("utf-8")
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
