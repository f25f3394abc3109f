"""In-memory patches to the vendored CSL styles, each for a rule of the style's own manual.

The files in data/csl stay as upstream ships them; these patches run on the parsed XML before
citeproc-py reads it. Each one is keyed to a CSL variable the record sets (csl.to_csl), never to
text in the output.
"""

from __future__ import annotations

import copy

from lxml import etree

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NS = {"cs": CSL_NS}


def _element(tag: str, **attrib: str) -> etree._Element:
    """A new CSL element."""
    return etree.Element(f"{{{CSL_NS}}}{tag}", **attrib)


def patch_style(tree: etree._ElementTree, name: str) -> None:
    """All patches for one style ('ama' or 'vancouver')."""
    _localised_date_delimiter(tree)
    _hyphen_page_ranges(tree)
    if name == "ama":
        _ama_published_online_only_ahead_of_print(tree)
    if name == "vancouver":
        _nlm_identifiers_as_pubmed_prints_them(tree)


def _localised_date_delimiter(tree: etree._ElementTree) -> None:
    """citeproc-py 0.11 ignores a localised date's delimiter ("2009Oct"): give each later part a prefix."""
    for date in tree.xpath("/cs:style/cs:locale/cs:date[@delimiter]", namespaces=_NS):
        for part in date.xpath("cs:date-part", namespaces=_NS)[1:]:
            part.set("prefix", part.get("prefix", date.get("delimiter")))


def _hyphen_page_ranges(tree: etree._ElementTree) -> None:
    """Citing Medicine separates pages with a hyphen (123-9); CSL's en-US default is an en dash."""
    for terms in tree.xpath("/cs:style/cs:locale[@xml:lang='en']/cs:terms", namespaces=_NS):
        if not terms.xpath("cs:term[@name='page-range-delimiter']", namespaces=_NS):
            etree.SubElement(terms, f"{{{CSL_NS}}}term", name="page-range-delimiter").text = "-"


def _ama_published_online_only_ahead_of_print(tree: etree._ElementTree) -> None:
    """AMA 11th ed. 3.11.4: 'Published online <date>' is for articles online ahead of print.

    Upstream prints it whenever volume and issue are both missing, which turns a print article
    whose volume is not recorded into an online one. A branch before it gives such an article
    (no `status` variable) the year alone, as the style does when a volume is there.
    """
    for branch in tree.xpath("//cs:bibliography//cs:choose/cs:if[@match='any']"
                             "[@variable='issue volume']", namespaces=_NS):
        year_only = _element("else-if", match="none", type="article article-newspaper",
                             variable="status")
        year_only.extend(copy.deepcopy(child) for child in branch)
        branch.addnext(year_only)


def _nlm_identifiers_as_pubmed_prints_them(tree: etree._ElementTree) -> None:
    """DOI, online date and PubMed ids punctuated as PubMed's NLM citation prints them.

    '... 2012 Feb;13(2):263-9. doi: 10.1111/x. Epub 2011 Sep 21. PMID: 21939497; PMCID: PMC1.'
    (or 'Online ahead of print.' in place of the Epub date). Upstream writes the older
    'doi:10.1111/x PubMed PMID: 21939497; PubMed Central PMCID: PMC1.', with no full stop after the
    DOI; the Epub date and the ahead-of-print note are not in the style at all.
    """
    for doi in tree.xpath("//cs:macro[@name='availability']//cs:text[@variable='DOI']",
                          namespaces=_NS):
        doi.set("prefix", "doi: ")
        doi.set("suffix", ".")
        doi.addnext(_online_note())
    for label, new in (("PubMed PMID", "PMID"), ("PubMed Central PMCID", "PMCID")):
        for text in tree.xpath(f"//cs:macro[@name='notes']//cs:text[@value='{label}']",
                               namespaces=_NS):
            text.set("value", new)


def _online_note() -> etree._Element:
    """'Online ahead of print.' when the record says so, else 'Epub <online date>.' if known."""
    choose = _element("choose")
    ahead = etree.SubElement(choose, f"{{{CSL_NS}}}if", variable="status")
    ahead.append(_element("text", value="Online ahead of print."))
    epub = etree.SubElement(choose, f"{{{CSL_NS}}}else-if", variable="available-date")
    group = etree.SubElement(epub, f"{{{CSL_NS}}}group", delimiter=" ", suffix=".")
    group.append(_element("text", value="Epub"))
    group.append(_element("date", variable="available-date", form="text"))
    return choose
