"""BibTeX export: each study as a bibtexparser entry, written by bibtexparser."""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware, MergeCoAuthors, MergeNameParts, NameParts
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from build_tools.cite.csl import (
    MONTHS,
    TYPES,
    csl_given,
    expand_pages,
    issued_parts,
    plain_title,
    web_address,
)
from build_tools.records.model import Study

# Where the study's `journal` (its container) goes in BibTeX, by entry type.
BIB_CONTAINER = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle",
                 "techreport": "institution", "misc": "howpublished"}
# LaTeX specials escaped in BibTeX text fields; letters with accents stay UTF-8 (biber, Zotero and
# JabRef read it), so titles stay readable. Braces are written as \textbraceleft{} and
# \textbraceright{}, never as \{ and \}: BibTeX itself and pybtex count a brace whatever stands
# before it, so one stray \} would close the field early (issue 17, B2). Every brace this module
# writes is one of a pair, so no value can end its field or open another.
_TEX = str.maketrans({"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
                      "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                      "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"})
# Identifier and address fields (doi, url, urldate, pmid, pmcid) are verbatim in biblatex, so
# LaTeX escapes would be read literally; the characters that could end a field or an entry are
# percent-encoded instead, as in a URL (issue 17, B1). The schema refuses them in a DOI already;
# this holds for any value that got past it.
_UNSAFE_VERBATIM = re.compile(r'[\s{}"\\\x00-\x1f\x7f]')
_PARTICLE = re.compile(r"^((?:[a-z]+\s+)+)(.+)$")  # "van Hilten" -> von "van", last "Hilten"
# A name part that BibTeX would split (a comma, or the word "and") is kept whole in braces.
_SPLITS_A_NAME = re.compile(r",|\band\b", re.IGNORECASE)


def _tex(text: str) -> str:
    """Text with LaTeX's special characters escaped, for a BibTeX text field."""
    text = " ".join(str(text).split()).translate(_TEX)
    # An empty group keeps LaTeX's ligatures (-- to an en dash, `` to a quote, ?` to ¿) literal.
    return re.sub(r"(-(?=-)|`(?=`)|'(?=')|[?!](?=`))", r"\1{}", text)


def _verbatim(value: object) -> str:
    """An identifier or address for a verbatim field: characters that could break out encoded."""
    return _UNSAFE_VERBATIM.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()),
                                str(value))


def _key(study_id: str) -> str:
    """The entry key: the record id, with anything but [A-Za-z0-9._:-] made a hyphen."""
    return re.sub(r"[^A-Za-z0-9._:-]", "-", study_id) or "study"


def _name_part(text: str) -> str:
    """One part of a name, escaped; braced when BibTeX would otherwise split it."""
    escaped = _tex(text)
    return "{" + escaped + "}" if _SPLITS_A_NAME.search(escaped) else escaped


def _bib_name(author: dict) -> NameParts:
    """An author as BibTeX name parts; a group author braced so it is never split."""
    if "literal" in author:
        return NameParts(last=["{" + _tex(author["literal"]) + "}"])
    m = _PARTICLE.match(author["family"])
    von, last = (m.group(1).split(), m.group(2)) if m else ([], author["family"])
    given = csl_given(author["given"]).split() if author.get("given") else []
    return NameParts(first=[_name_part(g) for g in given], von=[_name_part(v) for v in von],
                     last=[_name_part(last)])


def _date_fields(study: Study) -> list[Field]:
    """year and month (BibTeX), the full date when a day is known and pubstate (biblatex)."""
    parts = issued_parts(study)
    fields = [Field("year", _tex(str(parts[0])))]
    if len(parts) > 1 and isinstance(parts[1], int) and 1 <= parts[1] <= 12:
        # A bare macro (mar): only one of the twelve names is ever written without braces.
        fields.append(Field("month", MONTHS[parts[1] - 1], enclosing="no-enclosing"))
    if len(parts) == 3 and all(isinstance(p, int) for p in parts):
        fields.append(Field("date", "{:04d}-{:02d}-{:02d}".format(*parts)))
    if study.online_ahead_of_print:
        fields.append(Field("pubstate", "prepublished"))  # biblatex: online ahead of print
    return fields


def bibtex_entry(study: Study) -> Entry:
    """The study as a bibtexparser entry keyed by its id."""
    ids = study.ids or {}
    kind = TYPES.get(study.publication_type, (None, "misc"))[1]
    names = [_bib_name(a) for a in study.authors]
    if study.authors_incomplete:
        names.append(NameParts(last=["others"]))  # BibTeX's own spelling of "et al."
    # Double braces keep capitals as published (CRPS, NMDA) in styles that lower-case titles.
    fields = [Field("author", names), Field("title", "{" + _tex(plain_title(study.title)) + "}")]
    if study.journal:
        fields.append(Field(BIB_CONTAINER[kind], _tex(study.journal)))
    if study.journal_abbrev:
        fields.append(Field("shortjournal", _tex(study.journal_abbrev)))
    fields += _date_fields(study)
    for key, value in (("volume", study.volume), ("number", study.issue)):
        if value:
            fields.append(Field(key, _tex(str(value))))
    if study.pages:
        fields.append(Field("pages", _tex(expand_pages(study.pages)).replace("-", "--")))
    for key in ("doi", "pmid", "pmcid"):
        if ids.get(key):
            fields.append(Field(key, _verbatim(ids[key])))
    url, accessed = web_address(study)
    if url:
        fields += [Field("url", _verbatim(url)), Field("urldate", _verbatim(accessed))]
    return Entry(kind, _key(study.id), fields)


def to_bibtex(studies: list[Study]) -> str:
    """A BibTeX file of the studies, in the order given, written by bibtexparser."""
    library = Library([bibtex_entry(s) for s in studies])
    layout = BibtexFormat()
    layout.indent = "  "
    stack = [MergeNameParts(style="last"), MergeCoAuthors(),
             AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=True,
                                    default_enclosing="{")]
    return bibtexparser.write_string(library, unparse_stack=stack, bibtex_format=layout).strip() + "\n"
