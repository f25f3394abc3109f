"""One study in every citation format, and the citation block and meta tags of its page."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from build_tools.cite.bibtex import to_bibtex
from build_tools.cite.cache import LineCache
from build_tools.cite.csl import Links, date_parts, issued_parts, links, page_span, plain_title, to_csl
from build_tools.cite.ris import to_ris
from build_tools.cite.styles import STYLE_FILES, reference
from build_tools.records.model import Study

FORMATS = ("ama", "vancouver", "bibtex", "ris", "csl-json")


@dataclass(frozen=True)
class CitationBlock:
    """Everything a study page shows to cite it."""

    ama: str
    vancouver: str
    bibtex: str
    ris: str
    links: Links
    meta: tuple[tuple[str, str], ...]  # Highwire citation_* tags, which Zotero reads from a page


def citation_block(study: Study, lines: LineCache | None = None) -> CitationBlock:
    """AMA, Vancouver, BibTeX, RIS and links for one study."""
    return CitationBlock(reference(study, "ama", lines), reference(study, "vancouver", lines),
                         to_bibtex([study]), to_ris([study]), links(study),
                         tuple(highwire_meta(study)))


def citation_blocks(studies: Iterable[Study], lines: LineCache | None = None
                    ) -> dict[str, CitationBlock]:
    """Every study's citation block by id."""
    return {study.id: citation_block(study, lines) for study in studies}


def highwire_meta(study: Study) -> list[tuple[str, str]]:
    """Highwire Press citation_* meta tags (name, content), which Zotero reads from a page."""
    ids = study.ids or {}
    first, last = page_span(study.pages)
    date = "/".join(f"{part:02d}" for part in issued_parts(study))
    online = date_parts(study.online_date)
    tags = [("citation_title", plain_title(study.title))]
    tags += [("citation_author", a["literal"] if "literal" in a else
              ", ".join(filter(None, (a["family"], a.get("given"))))) for a in study.authors]
    tags += [("citation_journal_title", study.journal), ("citation_publication_date", date),
             ("citation_online_date", "/".join(f"{p:02d}" for p in online) if online else None),
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
