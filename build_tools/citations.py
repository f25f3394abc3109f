"""Citations: one CSL-JSON mapping per study, and from it AMA, Vancouver, BibTeX, RIS and links."""

from __future__ import annotations

import io
import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

import bibtexparser
import rispy
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware, MergeCoAuthors, MergeNameParts, NameParts
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from lxml import etree

from build_tools import refcache
from build_tools.model import Study

CSL_DIR = Path(__file__).resolve().parent / "data" / "csl"
# Official CSL styles, vendored unmodified (see data/csl/README.md). Upstream's Vancouver style is
# now nlm-citation-sequence.csl ("vancouver-nlm" is a dependent alias of it).
STYLE_FILES = {"ama": "american-medical-association.csl", "vancouver": "nlm-citation-sequence.csl"}
FORMATS = ("ama", "vancouver", "bibtex", "ris", "csl-json")

# publication_type -> (CSL type, BibTeX type, RIS type)
TYPES = {
    "journal-article": ("article-journal", "article", "JOUR"),
    "conference-abstract": ("paper-conference", "inproceedings", "ABST"),
    "registry-record": ("webpage", "misc", "ELEC"),
    "report": ("report", "techreport", "RPRT"),
    "book-chapter": ("chapter", "incollection", "CHAP"),
    "newsletter": ("article-magazine", "article", "MGZN"),
    "web-page": ("webpage", "misc", "ELEC"),
    "preprint": ("article", "misc", "UNPB"),
}
# Where the study's `journal` (its container) goes in BibTeX, by entry type.
BIB_CONTAINER = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle",
                 "techreport": "institution", "misc": "howpublished"}
# Types read from a web address rather than a DOI: they get a URL and an access date.
URL_TYPES = {"registry-record", "report", "web-page", "newsletter", "preprint"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
REGISTRY_URLS = ((re.compile(r"^NCT[0-9]{8}$"), "https://clinicaltrials.gov/study/{}"),
                 (re.compile(r"^ISRCTN[0-9]{8}$"), "https://www.isrctn.com/{}"),
                 (re.compile(r"^[0-9]{4}-[0-9]{6}-[0-9]{2}$"),
                  "https://www.clinicaltrialsregister.eu/ctr-search/search?query={}"))
# LaTeX specials escaped in BibTeX text fields; letters with accents stay UTF-8 (biber, Zotero and
# JabRef read it), so titles stay readable. Identifier and URL fields are written verbatim.
_TEX = str.maketrans({"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
                      "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                      "^": r"\textasciicircum{}"})
_PARTICLE = re.compile(r"^((?:[a-z]+\s+)+)(.+)$")  # "van Hilten" -> von "van", last "Hilten"
_CSL_NS = "http://purl.org/net/xbiblio/csl"


def expand_pages(pages: object) -> str | None:
    """A page range written in full with a hyphen (304-11 -> 304-311); article numbers unchanged."""
    if pages is None:
        return None
    text = re.sub(r"\s*[-\u2010-\u2015]+\s*", "-", str(pages).strip())
    m = re.fullmatch(r"([A-Za-z]*)(\d+)-([A-Za-z]*)(\d+)", text)
    if m and m.group(3) in ("", m.group(1)) and len(m.group(4)) < len(m.group(2)):
        first = m.group(2)
        return f"{m.group(1)}{first}-{m.group(1)}{first[:len(first) - len(m.group(4))]}{m.group(4)}"
    return text


def page_span(pages: object) -> tuple[str | None, str | None]:
    """First and last page of a range (last is None for a single page or article number)."""
    full = expand_pages(pages)
    if not full:
        return None, None
    first, _, last = full.partition("-")
    return first, last or None


def _csl_given(given: str) -> str:
    """PubMed-style initials (MJ) spelled the way CSL processors initialise them (M. J.)."""
    if given.isalpha() and given.isupper() and len(given) <= 4:
        return " ".join(f"{letter}." for letter in given)
    return given


def _title(title: str) -> str:
    """The title without a trailing full stop (the styles add their own punctuation)."""
    title = " ".join(title.split())
    return title[:-1] if title.endswith(".") and not title.endswith("...") else title


def _url(study: Study) -> tuple[str | None, str | None]:
    """The web address and access date for types cited by URL; (None, None) otherwise."""
    ids = study.ids or {}
    if study.publication_type not in URL_TYPES or ids.get("doi"):
        return None, None
    registry = links(study)["registry"]
    if study.publication_type == "registry-record" and registry:
        return registry[0], study.reviewed
    for source in study.verified_from:
        if str(source.get("url", "")).startswith("https://"):
            return source["url"], source.get("accessed") or study.reviewed
    return None, None


def to_csl(study: Study) -> dict:
    """The study as one CSL-JSON item: standard variables, with our extras under `custom`."""
    ids = study.ids or {}
    kind = TYPES.get(study.publication_type, ("article",))[0]
    item: dict = {"id": study.id, "type": kind, "citation-key": study.id, "title": _title(study.title),
                  "author": [{"literal": a["literal"]} if "literal" in a else
                             {"family": a["family"], **({"given": _csl_given(a["given"])}
                                                        if a.get("given") else {})}
                             for a in study.authors],
                  "issued": {"date-parts": [[study.year, study.month] if study.month else [study.year]]}}
    if study.journal:
        # A report's `journal` is its series, which CSL calls collection-title.
        item["collection-title" if kind == "report" else "container-title"] = study.journal
    if study.journal_abbrev:
        item["container-title-short"] = study.journal_abbrev
    for key, value in (("volume", study.volume), ("issue", study.issue),
                       ("page", expand_pages(study.pages))):
        if value:
            item[key] = str(value)
    for key, name in (("DOI", "doi"), ("PMID", "pmid"), ("PMCID", "pmcid")):
        if ids.get(name):
            item[key] = ids[name]
    url, accessed = _url(study)
    if url:
        item["URL"] = url
        item["accessed"] = {"date-parts": [[int(part) for part in accessed.split("-")]]}
    item["custom"] = {"publication_type": study.publication_type, "design": study.design,
                      **({"registry": list(ids["registry"])} if ids.get("registry") else {}),
                      **({"authors_incomplete": True} if study.authors_incomplete else {})}
    return item


def _patch_style(tree: etree._ElementTree) -> None:
    """Work around citeproc-py limits so its output follows the style and its manual."""
    ns = {"cs": _CSL_NS}
    # citeproc-py 0.11 ignores the delimiter of a localised date ("2009Oct"); the same space as a
    # prefix on every later date-part renders what the style asks for ("2009 Oct").
    for date in tree.xpath("/cs:style/cs:locale/cs:date[@delimiter]", namespaces=ns):
        for part in date.xpath("cs:date-part", namespaces=ns)[1:]:
            part.set("prefix", part.get("prefix", date.get("delimiter")))
    # Citing Medicine separates pages with a hyphen (123-9); CSL's en-US default is an en dash.
    for terms in tree.xpath("/cs:style/cs:locale[@xml:lang='en']/cs:terms", namespaces=ns):
        if not terms.xpath("cs:term[@name='page-range-delimiter']", namespaces=ns):
            etree.SubElement(terms, f"{{{_CSL_NS}}}term", name="page-range-delimiter").text = "-"


@cache
def _patched_style_bytes(name: str) -> bytes:
    """A vendored CSL style, patched in memory (the files stay as upstream)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.parse(str(CSL_DIR / STYLE_FILES[name]), parser)
    _patch_style(tree)
    return etree.tostring(tree)


@cache
def _style(name: str) -> CitationStylesStyle:
    """A vendored CSL style, parsed once."""
    return CitationStylesStyle(io.BytesIO(_patched_style_bytes(name)), validate=False)


def reference(study: Study, style: str) -> str:
    """One plain-text reference line in the AMA or Vancouver (NLM) style."""
    item = {k: v for k, v in to_csl(study).items() if k not in ("custom", "citation-key")}
    if study.authors_incomplete:
        # Only the first authors are known: a last "et al." name makes both styles end the list
        # with et al. (and still truncate a long list their own way). Never in the CSL-JSON export.
        item["author"] = [*item["author"], {"literal": "et al."}]
    return refcache.cached(refcache.key(_patched_style_bytes(style), item),
                           lambda: _render_line(item, style))


def _render_line(item: dict, style: str) -> str:
    """Render one CSL-JSON item with citeproc-py (the slow part that refcache remembers)."""
    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    text = re.sub(r"^1\.\s*", "", text)  # the numeric label of a one-item bibliography
    # citeproc-py does not merge a style's full stop into a title's own ? or ! ("work?.").
    return re.sub(r"([?!])\.(?=\s|$)", r"\1", text).strip()


def _tex(text: str) -> str:
    """Text with LaTeX's special characters escaped, for a BibTeX text field."""
    text = " ".join(text.split()).translate(_TEX)
    # An empty group keeps LaTeX's ligatures (-- to an en dash, `` to a quote, ?` to ¿) literal.
    return re.sub(r"(-(?=-)|`(?=`)|'(?=')|[?!](?=`))", r"\1{}", text)


def _bib_name(author: dict) -> NameParts:
    """An author as BibTeX name parts; a group author braced so it is never split."""
    if "literal" in author:
        return NameParts(last=["{" + _tex(author["literal"]) + "}"])
    m = _PARTICLE.match(author["family"])
    von, last = (m.group(1).split(), m.group(2)) if m else ([], author["family"])
    given = _csl_given(author["given"]).split() if author.get("given") else []
    return NameParts(first=[_tex(g) for g in given], von=[_tex(v) for v in von], last=[_tex(last)])


def bibtex_entry(study: Study) -> Entry:
    """The study as a bibtexparser entry keyed by its id."""
    ids = study.ids or {}
    kind = TYPES.get(study.publication_type, (None, "misc"))[1]
    names = [_bib_name(a) for a in study.authors]
    if study.authors_incomplete:
        names.append(NameParts(last=["others"]))  # BibTeX's own spelling of "et al."
    # Double braces keep capitals as published (CRPS, NMDA) in styles that lower-case titles.
    fields = [Field("author", names), Field("title", "{" + _tex(_title(study.title)) + "}")]
    if study.journal:
        fields.append(Field(BIB_CONTAINER[kind], _tex(study.journal)))
    if study.journal_abbrev:
        fields.append(Field("shortjournal", _tex(study.journal_abbrev)))
    fields.append(Field("year", str(study.year)))
    if study.month:
        fields.append(Field("month", MONTHS[study.month - 1], enclosing="no-enclosing"))
    for key, value in (("volume", study.volume), ("number", study.issue)):
        if value:
            fields.append(Field(key, _tex(str(value))))
    if study.pages:
        fields.append(Field("pages", _tex(expand_pages(study.pages)).replace("-", "--")))
    for key in ("doi", "pmid", "pmcid"):
        if ids.get(key):
            fields.append(Field(key, ids[key]))
    url, accessed = _url(study)
    if url:
        fields += [Field("url", url), Field("urldate", accessed)]
    return Entry(kind, study.id, fields)


def to_bibtex(studies: list[Study]) -> str:
    """A BibTeX file of the studies, in the order given, written by bibtexparser."""
    library = Library([bibtex_entry(s) for s in studies])
    layout = BibtexFormat()
    layout.indent = "  "
    stack = [MergeNameParts(style="last"), MergeCoAuthors(),
             AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=True,
                                    default_enclosing="{")]
    return bibtexparser.write_string(library, unparse_stack=stack, bibtex_format=layout).strip() + "\n"


def ris_record(study: Study) -> dict:
    """The study as a rispy record (EndNote's conventions: AN = PMID, C2 = PMCID)."""
    ids = study.ids or {}
    first, last = page_span(study.pages)
    url, accessed = _url(study)
    record = {
        "type_of_reference": TYPES.get(study.publication_type, (None, None, "GEN"))[2],
        "id": study.id,
        "authors": [a["literal"] if "literal" in a else
                    ", ".join(filter(None, (a["family"], _csl_given(a.get("given", "")))))
                    for a in study.authors],
        "title": _title(study.title),
        "secondary_title": study.journal, "alternate_title1": study.journal_abbrev,
        "year": str(study.year),
        "date": f"{study.year}/{study.month:02d}//" if study.month else None,
        "volume": study.volume and str(study.volume), "number": study.issue and str(study.issue),
        "start_page": first, "end_page": last,
        "doi": ids.get("doi"), "accession_number": ids.get("pmid"), "custom2": ids.get("pmcid"),
        "urls": [url] if url else None, "access_date": accessed if url else None,
    }
    # RIS is one field per line: a line break inside a value would start a forged field or
    # record (tests/hostile_corpus.py, "citation-format"), so every value is one line.
    return {k: [" ".join(str(x).split()) for x in v] if isinstance(v, list)
            else " ".join(str(v).split()) for k, v in record.items() if v}


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its "1." counter line before each record (not part of RIS)."""

    def set_header(self, count: int) -> str:
        """No header line."""
        return ""


def to_ris(studies: list[Study]) -> str:
    """An RIS file of the studies, in the order given, written by rispy."""
    return rispy.dumps([ris_record(s) for s in studies], implementation=_RisWriter)


def links(study: Study) -> dict:
    """Web links for a study: DOI resolver, PubMed, PubMed Central and trial registries."""
    ids = study.ids or {}
    registry = [pattern_url.format(rid) for rid in ids.get("registry", ())
                for pattern, pattern_url in REGISTRY_URLS if pattern.match(rid)]
    return {
        "doi": f"https://doi.org/{quote(ids['doi'], safe='/:;()._-')}" if ids.get("doi") else None,
        "pubmed": f"https://pubmed.ncbi.nlm.nih.gov/{ids['pmid']}/" if ids.get("pmid") else None,
        "pmc": f"https://pmc.ncbi.nlm.nih.gov/articles/{ids['pmcid']}/" if ids.get("pmcid") else None,
        "registry": registry,
    }


def citation_block(study: Study) -> dict:
    """Everything a study page shows to cite it: AMA, Vancouver, BibTeX, RIS and links."""
    return {"ama": reference(study, "ama"), "vancouver": reference(study, "vancouver"),
            "bibtex": to_bibtex([study]), "ris": to_ris([study]), "links": links(study)}


def highwire_meta(study: Study) -> list[tuple[str, str]]:
    """Highwire Press citation_* meta tags (name, content), which Zotero reads from a page."""
    ids = study.ids or {}
    first, last = page_span(study.pages)
    date = f"{study.year}/{study.month:02d}" if study.month else str(study.year)
    tags = [("citation_title", _title(study.title))]
    tags += [("citation_author", a["literal"] if "literal" in a else
              ", ".join(filter(None, (a["family"], a.get("given"))))) for a in study.authors]
    tags += [("citation_journal_title", study.journal), ("citation_publication_date", date),
             ("citation_volume", study.volume), ("citation_issue", study.issue),
             ("citation_firstpage", first), ("citation_lastpage", last),
             ("citation_doi", ids.get("doi")), ("citation_pmid", ids.get("pmid"))]
    return [(name, str(value)) for name, value in tags if value]


def format_citation(study: Study, style: str) -> str:
    """One study in one of FORMATS, as text ending in a newline."""
    if style in STYLE_FILES:
        return reference(study, style) + "\n"
    if style == "bibtex":
        return to_bibtex([study])
    if style == "ris":
        return to_ris([study])
    return json.dumps([to_csl(study)], indent=2, ensure_ascii=False) + "\n"



def downloads(corpus: object) -> dict[str, str]:
    """Whole-base downloads by file name: the hook `evidence build` calls (see downloads.py)."""
    from build_tools.downloads import by_name  # imported here: downloads.py imports this module
    return by_name(corpus)
