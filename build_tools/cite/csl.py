"""CSL-JSON from a study record: the one mapping every citation format starts from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from build_tools.records.model import Study

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
# Types read from a web address rather than a DOI: they get a URL and an access date.
URL_TYPES = {"registry-record", "report", "web-page", "newsletter", "preprint"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
REGISTRY_URLS = ((re.compile(r"^NCT[0-9]{8}$"), "https://clinicaltrials.gov/study/{}"),
                 (re.compile(r"^ISRCTN[0-9]{8}$"), "https://www.isrctn.com/{}"),
                 (re.compile(r"^[0-9]{4}-[0-9]{6}-[0-9]{2}$"),
                  "https://www.clinicaltrialsregister.eu/ctr-search/search?query={}"))

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


def csl_given(given: str) -> str:
    """PubMed-style initials (MJ) spelled the way CSL processors initialise them (M. J.)."""
    if given.isalpha() and given.isupper() and len(given) <= 4:
        return " ".join(f"{letter}." for letter in given)
    return given


def date_parts(date: object) -> list[int] | None:
    """[year, month, day] of a YYYY, YYYY-MM or YYYY-MM-DD date; None for anything else."""
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}){0,2}", str(date or "")):
        return None
    return [int(part) for part in str(date).split("-")]


def issued_parts(study: Study) -> list[int]:
    """The publication date as CSL date parts: year, then month and day when the record gives them.

    An article online ahead of print is published on its online date (CSL 1.0.2, PubMed, AMA).
    """
    online = date_parts(study.online_date)
    if online and study.online_ahead_of_print:
        return online
    parts = [study.year]
    if study.month:
        parts.append(study.month)
        if study.day:
            parts.append(study.day)
    return parts


def one_line(value: object) -> str:
    """Text on one line with single spaces: a reference line never breaks inside a value."""
    return " ".join(str(value).split())


def csl_name(author: dict) -> dict:
    """An author as a CSL name: a group's literal, or family with initials as CSL spells them."""
    if "literal" in author:
        return {"literal": one_line(author["literal"])}
    name = {"family": one_line(author["family"])}
    if author.get("given"):
        name["given"] = csl_given(one_line(author["given"]))
    return name


def plain_title(title: str) -> str:
    """The title without a trailing full stop (the styles add their own punctuation)."""
    title = one_line(title)
    return title[:-1] if title.endswith(".") and not title.endswith("...") else title


def web_address(study: Study) -> tuple[str | None, str | None]:
    """The web address and access date for types cited by URL; (None, None) otherwise."""
    ids = study.ids or {}
    if study.publication_type not in URL_TYPES or ids.get("doi"):
        return None, None
    registry = links(study).registry
    if study.publication_type == "registry-record" and registry:
        return registry[0], study.reviewed
    for source in study.verified_from:
        if str(source.get("url", "")).startswith("https://"):
            return source["url"], source.get("accessed") or study.reviewed
    return None, None


@dataclass(frozen=True)
class Links:
    """Web links for a study: DOI resolver, PubMed, PubMed Central and trial registries."""

    doi: str | None
    pubmed: str | None
    pmc: str | None
    registry: tuple[str, ...]


def links(study: Study) -> Links:
    """The study's identifiers as web addresses."""
    ids = study.ids or {}
    registry = tuple(pattern_url.format(rid) for rid in ids.get("registry", ())
                     for pattern, pattern_url in REGISTRY_URLS if pattern.match(rid))
    return Links(
        doi=f"https://doi.org/{quote(ids['doi'], safe='/:;()._-')}" if ids.get("doi") else None,
        pubmed=f"https://pubmed.ncbi.nlm.nih.gov/{ids['pmid']}/" if ids.get("pmid") else None,
        pmc=f"https://pmc.ncbi.nlm.nih.gov/articles/{ids['pmcid']}/" if ids.get("pmcid") else None,
        registry=registry)


def to_csl(study: Study) -> dict:
    """The study as one CSL-JSON item: standard variables, with our extras under `custom`."""
    ids = study.ids or {}
    kind = TYPES.get(study.publication_type, ("article",))[0]
    item: dict = {"id": study.id, "type": kind, "citation-key": study.id, "title": plain_title(study.title),
                  "author": [csl_name(a) for a in study.authors],
                  "issued": {"date-parts": [issued_parts(study)]}}
    if study.journal:
        # A report's `journal` is its series, which CSL calls collection-title.
        item["collection-title" if kind == "report" else "container-title"] = one_line(study.journal)
    if study.journal_abbrev:
        item["container-title-short"] = one_line(study.journal_abbrev)
    for key, value in (("volume", study.volume), ("issue", study.issue),
                       ("page", expand_pages(study.pages))):
        if value:
            item[key] = one_line(value)
    online = date_parts(study.online_date)
    if online and study.online_ahead_of_print:
        item["status"] = "advance online publication"  # CSL 1.0.2's word for it
    elif online:
        item["available-date"] = {"date-parts": [online]}  # PubMed's "Epub" date
    for key, name in (("DOI", "doi"), ("PMID", "pmid"), ("PMCID", "pmcid")):
        if ids.get(name):
            item[key] = ids[name]
    url, accessed = web_address(study)
    if url:
        item["URL"] = url
        if date_parts(accessed):  # the schema's date, or none
            item["accessed"] = {"date-parts": [date_parts(accessed)]}
    item["custom"] = {"publication_type": study.publication_type, "design": study.design,
                      **({"registry": list(ids["registry"])} if ids.get("registry") else {}),
                      **({"authors_incomplete": True} if study.authors_incomplete else {})}
    return item
