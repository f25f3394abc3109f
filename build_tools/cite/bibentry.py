"""One BibTeX entry as a study's bibliographic fields, its id and its stub (for import-bib)."""

from __future__ import annotations

import json
import re
import unicodedata

from bibtexparser.middlewares.names import (
    InvalidNameError,
    NameParts,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import Entry
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from build_tools.cite.csl import MONTHS, expand_pages
from build_tools.paths import KINDS
from build_tools.records import templates as scaffold
from build_tools.records.schema import raw_schemas

# BibTeX entry type -> publication_type; types not listed stay TODO for the curator.
PUBLICATION_TYPES = {"article": "journal-article", "inproceedings": "conference-abstract",
                     "conference": "conference-abstract", "techreport": "report",
                     "report": "report", "incollection": "book-chapter", "inbook": "book-chapter",
                     "online": "web-page", "electronic": "web-page", "www": "web-page"}
CONTAINER_FIELDS = ("journal", "journaltitle", "booktitle", "institution", "organization",
                    "howpublished")
ABBREV_FIELDS = ("shortjournal", "journalabbrev", "journal-abbrev", "journal_abbrev", "iso4")
STOPWORDS = {"the", "and", "for", "with", "from", "into", "after", "over", "under", "versus",
             "its", "their", "does", "are", "was", "were", "has", "have", "not"}
# The schema is the one definition of an identifier: a DOI it refuses (braces, quotes, spaces)
# must not reach a stub either.
_PATTERNS = {name: raw_schemas()["defs.schema.json"]["definitions"][name]["pattern"]
             for name in ("doi", "pmid", "pmcid")}


def _decoder() -> LatexNodes2Text:
    """pylatexenc's LaTeX-to-text, also knowing the brace macros our BibTeX export writes."""
    macros = get_default_latex_context_db()
    macros.add_context_category("bibtex-braces", prepend=True, macros=[
        MacroTextSpec("textbraceleft", simplify_repl="{"),
        MacroTextSpec("textbraceright", simplify_repl="}")])
    return LatexNodes2Text(latex_context=macros)


_DECODER = _decoder()
# What pylatexenc would change (specials, dashes, quotes, !` and ?`): plain text skips it, which
# is most fields and 10x faster. Braces deeper than MAX_BRACES would exhaust its recursion.
_LATEX = re.compile(r"[$%&\\{}~]|--|``|''|[!?]`")
MAX_BRACES = 32


class EntryIssue(Exception):
    """A reason an entry cannot become a stub, with the field it concerns (None: the whole entry)."""

    def __init__(self, field_key: str | None, message: str, hint: str) -> None:
        super().__init__(message)
        self.field_key, self.message, self.hint = field_key, message, hint


def decode(value: str) -> str:
    """BibTeX text (LaTeX escapes, protective braces) as plain single-spaced Unicode."""
    if not _LATEX.search(value):
        return " ".join(value.split())
    text = _DECODER.latex_to_text(value).replace("\u02c6", "^")  # \textasciicircum decodes to ˆ
    return " ".join(text.split())


def _depth(value: str) -> int:
    """How deep braces nest in a field value (one pass; a bound, not a parse)."""
    depth = deepest = 0
    for brace in re.findall(r"[{}]", value):
        depth += 1 if brace == "{" else -1
        deepest = max(deepest, depth)
    return deepest


def initials(given: str) -> str:
    """Given names as PubMed initials: 'Marnix J.' -> 'MJ', 'Jean-Pierre' -> 'JP', 'MCR' stays."""
    tokens = [t for t in re.split(r"[\s.\-\u2010]+", given) if t]
    return "".join(t if t.isupper() and len(t) <= 3 else t[0].upper() for t in tokens)


def _person(name: NameParts) -> dict:
    """One author: family + initials, or a group author (a braced name, or one without given)."""
    if not name.first and not name.von:
        return {"literal": decode(" ".join(name.last + name.jr))}
    family = decode(" ".join(name.von + name.last))
    given = initials(decode(" ".join(name.first)))
    suffix = decode(" ".join(name.jr))
    return {"family": family, "given": " ".join(filter(None, (given, suffix)))} if given else \
        {"family": family}


def _value(fields: dict, *keys: str) -> str | None:
    """The first of these fields that has text, decoded."""
    for key in keys:
        if key in fields and isinstance(fields[key], str) and decode(fields[key]):
            return decode(fields[key])
    return None


def _identifier(name: str, raw: str | None, key: str) -> str | None:
    """A DOI, PMID or PMCID in its standard form, or an EntryIssue naming the field."""
    if raw is None:
        return None
    value = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", raw.strip(), flags=re.I)
    if not re.fullmatch(_PATTERNS[name], value):
        raise EntryIssue(key, f"{key}: '{raw}' is not a {name.upper()}",
                         hint=f"give the {name.upper()} alone, e.g. "
                              + {"doi": "10.1016/j.pain.2009.06.023", "pmid": "19665301",
                                 "pmcid": "PMC2950807"}[name])
    return value


def _raw(fields: dict, *keys: str) -> str | None:
    """The first of these fields as written, an exporter's backslash before _ % & # $ removed."""
    # Identifiers are never LaTeX-decoded: % and _ are ordinary characters in a DOI.
    for key in keys:
        if isinstance(fields.get(key), str) and fields[key].strip():
            return re.sub(r"\\([_%&#$])", r"\1", fields[key].strip())
    return None


def _ids(fields: dict) -> dict:
    """DOI, PMID (pmid, eprint with eprinttype pubmed, or 'PMID: n' in a note) and PMCID."""
    notes = " ".join(decode(fields[k]) for k in ("note", "annote", "extra") if k in fields)
    doi, doi_key = _raw(fields, "doi"), "doi"
    if doi is None and "doi.org/" in (_raw(fields, "url") or ""):
        doi, doi_key = _raw(fields, "url").split("doi.org/", 1)[1], "url"
    pmid, pmid_key = _raw(fields, "pmid"), "pmid"
    if pmid is None and (_value(fields, "eprinttype", "archiveprefix") or "").lower() in ("pubmed",
                                                                                        "pmid"):
        pmid, pmid_key = _raw(fields, "eprint"), "eprint"
    if pmid is None and (m := re.search(r"\bPMID:?\s*([0-9]+)", notes)):
        pmid, pmid_key = m.group(1), "note"
    pmcid = _raw(fields, "pmcid") or (m.group(1) if (m := re.search(r"\b(PMC[0-9]+)", notes))
                                      else None)
    ids = {"doi": _identifier("doi", doi, doi_key),
           "pmid": _identifier("pmid", pmid, pmid_key),
           "pmcid": _identifier("pmcid", pmcid, "pmcid" if "pmcid" in fields else "note")}
    return {k: v for k, v in ids.items() if v}


def _month(raw: str | None) -> int | None:
    """A month number from 'oct', 'October' or '10'; None when it cannot be read."""
    text = (raw or "").strip().lower()
    if text.isdigit() and len(text) <= 2 and 1 <= int(text) <= 12:
        return int(text)
    return MONTHS.index(text[:3]) + 1 if text[:3] in MONTHS else None


def entry_fields(entry: Entry) -> dict:
    """The study's bibliographic fields from one parsed entry (raises EntryIssue if unusable)."""
    fields = {f.key.lower(): f.value for f in entry.fields}
    for key, value in fields.items():
        if isinstance(value, str) and _depth(value) > MAX_BRACES:
            raise EntryIssue(key, f"{key}: braces nested more than {MAX_BRACES} levels deep",
                             "a field needs a few levels at most, e.g. {{CRPS}} or {\\\"u}")
    title = _value(fields, "title")
    if not title:
        raise EntryIssue(None, f"entry '{entry.key}' has no title", "add a title field")
    try:
        names = [parse_single_name_into_parts(n)
                 for n in split_multiple_persons_names(fields.get("author") or "")]
    except InvalidNameError as exc:
        raise EntryIssue("author", f"the author list of '{entry.key}' cannot be split: {exc.reason}",
                         "write authors as 'Family, Given and Family, Given'") from exc
    # "and others" is BibTeX's et al.: the list is incomplete, and "others" is no author.
    incomplete = bool(names) and names[-1].last == ["others"] and not names[-1].first
    names = names[:-1] if incomplete else names
    if not names:
        raise EntryIssue(None, f"entry '{entry.key}' has no author",
                         "add an author field (Family, Given and Family, Given)")
    year_raw = _value(fields, "year") or (_value(fields, "date") or "")[:4]
    if not re.fullmatch(r"[0-9]{4}", year_raw or "") or not 1900 <= int(year_raw) <= 2100:
        raise EntryIssue("year" if "year" in fields else ("date" if "date" in fields else None),
                         f"entry '{entry.key}' has no four-digit year"
                         + (f" (found '{year_raw}')" if year_raw else ""),
                         "give the year of publication, e.g. year = {2009}")
    out: dict = {"title": title[:-1] if title.endswith(".") and not title.endswith("...") else title,
                 "authors": [_person(n) for n in names], "year": int(year_raw)}
    if incomplete:
        out["authors_incomplete"] = True
    kind = PUBLICATION_TYPES.get(entry.entry_type.lower())
    journal = next((v for k in CONTAINER_FIELDS if (v := _value(fields, k))
                    and not v.lower().startswith(("http", "url"))), None)
    date = _value(fields, "date") or ""
    more = {"journal": journal, "journal_abbrev": _value(fields, *ABBREV_FIELDS),
            "month": _month(_value(fields, "month") or date[5:7]),
            "volume": _value(fields, "volume"), "issue": _value(fields, "number", "issue"),
            "pages": expand_pages(_value(fields, "pages")), "ids": _ids(fields) or None,
            "publication_type": kind}
    out.update({k: v for k, v in more.items() if v})
    return out


def _ascii(text: str) -> str:
    """Lower-case ASCII letters and digits, accents dropped (for ids and title matching)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9 ]+", "", folded.lower().replace("-", " "))


def norm_title(title: str) -> str:
    """A title reduced to its letters and digits, for spotting the same paper twice."""
    return _ascii(title).replace(" ", "")


def study_id(fields: dict, taken: set[str]) -> str:
    """firstauthor-year, with a title word (then a letter) added when that id is taken."""
    first = fields["authors"][0]
    base = (_ascii(first["family"]).replace(" ", "") if "family" in first
            else "-".join(_ascii(first["literal"]).split()[:4]))[:40].strip("-") or "study"
    rid = f"{base}-{fields['year']}"
    words = [w for w in _ascii(fields["title"]).split() if len(w) >= 3 and w not in STOPWORDS]
    for candidate in [rid] + [f"{rid}-{w}" for w in words[:1]] + [f"{rid}-{c}" for c in "bcdefgh"]:
        if candidate not in taken and len(candidate) <= 80:
            return candidate
    raise EntryIssue(None, f"no free id for {rid}", "write the record by hand: evidence new study ID")


def stub_text(rid: str, fields: dict, source: str) -> str:
    """The `evidence new study` template with the bibliographic fields filled in."""
    dump = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731 - JSON scalars are valid YAML
    given = {"id": rid, "title": dump(fields["title"]), "year": str(fields["year"]),
             "authors": "".join(f"\n  - {dump(a)}" for a in fields["authors"])}
    for key in ("journal", "journal_abbrev", "volume", "issue", "pages"):
        if fields.get(key):
            given[key] = dump(str(fields[key]))
    if fields.get("month"):
        given["month"] = str(fields["month"])
    if fields.get("authors_incomplete"):
        given["authors_incomplete"] = "true"
    if fields.get("publication_type"):
        given["publication_type"] = fields["publication_type"]
    if fields.get("ids"):
        given["ids"] = "".join(f"\n  {k}: {dump(v)}" for k, v in fields["ids"].items())
    schema = raw_schemas()[KINDS["study"][1]]
    header = scaffold.template("study", rid).split("\n\n", 1)[0].splitlines()
    header.insert(1, f"# Imported from {' '.join(source.split())} by `evidence import-bib`: check "
                     "each filled field against the publication.")
    body = scaffold._emit(schema["properties"], schema.get("required", []), "", given)
    text = "\n".join(header + [""] + body)
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip() + "\n"
