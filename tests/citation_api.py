"""The citation functions the tests call, gathered from the cite package's modules."""

from __future__ import annotations

from types import SimpleNamespace

from build_tools.cite import bibtex, csl, formats, ris, styles

citations = SimpleNamespace(
    FORMATS=formats.FORMATS, citation_block=formats.citation_block,
    format_citation=formats.format_citation, highwire_meta=formats.highwire_meta,
    expand_pages=csl.expand_pages, links=csl.links, to_csl=csl.to_csl, _title=csl.plain_title,
    reference=styles.reference, to_bibtex=bibtex.to_bibtex, bibtex_entry=bibtex.bibtex_entry,
    ris_record=ris.ris_record, to_ris=ris.to_ris)
