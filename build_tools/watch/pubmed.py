"""PubMed through NCBI's E-utilities: esearch for the PMIDs added in a date window, esummary for
what a screener needs to read. JSON replies only; anything else is a WatchError, never a crash."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from build_tools.watch.http import Client, json_body
from build_tools.watch.model import Found, QueryOutcome, WatchError, clean

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
HOST = "eutils.ncbi.nlm.nih.gov"
# NCBI's published limits: at most 3 requests a second without an API key, 10 with one.
INTERVAL, INTERVAL_WITH_KEY = 0.34, 0.1
PAGE = 200  # PMIDs per esearch page and per esummary request
MAX_RECORDS = 1000  # more than this in a week means the query is wrong, not that science sped up
PMID = re.compile(r"^[1-9][0-9]{0,8}$")
LABEL_MAX = 300  # the search schema's limit for a candidate label


@dataclass(frozen=True)
class Identity:
    """Who is asking: NCBI asks every caller to name its tool and a contact address."""

    tool: str
    email: str
    api_key: str | None = None

    def params(self) -> dict[str, str]:
        """The identity as query parameters."""
        out = {"tool": self.tool, "email": self.email}
        return out | ({"api_key": self.api_key} if self.api_key else {})


def esearch_url(term: str, since: date, until: date, who: Identity, start: int = 0) -> str:
    """The esearch request for records added to PubMed (Entrez date) from since to until."""
    params = {"db": "pubmed", "term": term, "retmode": "json", "retmax": str(PAGE),
              "retstart": str(start), "datetype": "edat", "mindate": since.strftime("%Y/%m/%d"),
              "maxdate": until.strftime("%Y/%m/%d")}
    return EUTILS + "esearch.fcgi?" + urlencode(params | who.params())


def esummary_url(pmids: Sequence[str], who: Identity) -> str:
    """The esummary request for some PMIDs."""
    params = {"db": "pubmed", "id": ",".join(pmids), "retmode": "json"}
    return EUTILS + "esummary.fcgi?" + urlencode(params | who.params())


def _page(data: object, what: str) -> tuple[int, list[str], list[str]]:
    """(count, PMIDs, warnings) of one esearch reply."""
    result = data.get("esearchresult") if isinstance(data, dict) else None
    if not isinstance(result, dict):
        error = data.get("error") if isinstance(data, dict) else None
        raise WatchError(f"{what}: " + (f"PubMed says: {error}" if error else
                                        "the reply has no esearchresult"))
    if "ERROR" in result:
        raise WatchError(f"{what}: PubMed says: {result['ERROR']}")
    count, ids = result.get("count"), result.get("idlist")
    if not (isinstance(count, str) and count.isdigit()) or not isinstance(ids, list) \
            or not all(isinstance(i, str) and PMID.match(i) for i in ids):
        raise WatchError(f"{what}: the reply lacks a count or a list of PMIDs")
    errors = result.get("errorlist") if isinstance(result.get("errorlist"), dict) else {}
    warnings = [f"PubMed did not find {kind.replace('notfound', '')} {value!r}"
                for kind in ("phrasesnotfound", "fieldsnotfound")
                for value in errors.get(kind) or [] if isinstance(value, str)]
    return int(count), ids, warnings


def search(client: Client, family: str, term: str, since: date, until: date,
           who: Identity) -> QueryOutcome:
    """Every PMID the term matches among records added from since to until."""
    what = f"PubMed esearch, family {family}"
    ids: list[str] = []
    count, warnings = 0, []
    while True:
        data = json_body(client.get(esearch_url(term, since, until, who, len(ids)), what), what)
        count, page, warnings = _page(data, what)
        if count > MAX_RECORDS:
            raise WatchError(f"{what}: {count} records since {since}, more than the "
                             f"{MAX_RECORDS} the watch takes; narrow the query or the window")
        fresh = [i for i in dict.fromkeys(page) if i not in ids]
        ids += fresh
        if not fresh or len(ids) >= count:  # no progress ends it too: never loop forever
            break
    return QueryOutcome(family, "pubmed", count, tuple(ids), tuple(warnings))


def _year(doc: dict) -> str:
    """The publication year shown in the summary ('' when none is given)."""
    for key in ("pubdate", "epubdate", "sortpubdate"):
        found = re.match(r"\s*(\d{4})", str(doc.get(key) or ""))
        if found:
            return found.group(1)
    return ""


def _items(value: object) -> list:
    """A list from the reply, or [] when the field is missing or not a list."""
    return value if isinstance(value, list) else []


def _found(pmid: str, doc: object) -> Found:
    """One summary as a found record (a PMID PubMed could not summarise is kept, so shown)."""
    url = f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    if not isinstance(doc, dict) or doc.get("error") or not isinstance(doc.get("title"), str):
        return Found("pubmed", pmid, "", f"PMID {pmid} (PubMed gave no summary)", url)
    ids = {a.get("idtype"): a.get("value") for a in _items(doc.get("articleids"))
           if isinstance(a, dict) and isinstance(a.get("value"), str)}
    authors = [a.get("name") for a in _items(doc.get("authors")) if isinstance(a, dict)
               and isinstance(a.get("name"), str) and a.get("authtype", "Author") == "Author"]
    lead = clean(authors[0] if authors else "[no author]") + (" et al." if len(authors) > 1 else "")
    title = clean(doc["title"])
    source = clean(doc.get("source")) if isinstance(doc.get("source"), str) else ""
    label = f"{lead} {_year(doc)}: {title} ({source}; PMID {pmid})".replace(" :", ":")
    if len(label) > LABEL_MAX:
        label = label[: LABEL_MAX - 1].rstrip() + "…"
    pmc = ids.get("pmc") if str(ids.get("pmc", "")).startswith("PMC") else None
    return Found("pubmed", pmid, title, label, url, doi=ids.get("doi"), pmcid=pmc)


def summaries(client: Client, pmids: Sequence[str], who: Identity) -> list[Found]:
    """The records of some PMIDs, in the order given."""
    out: list[Found] = []
    for start in range(0, len(pmids), PAGE):
        chunk = list(pmids[start:start + PAGE])
        what = f"PubMed esummary ({len(chunk)} PMIDs)"
        data = json_body(client.get(esummary_url(chunk, who), what), what)
        result = data.get("result") if isinstance(data, dict) else None
        if not isinstance(result, dict):
            error = data.get("error") if isinstance(data, dict) else None
            raise WatchError(f"{what}: " + (f"PubMed says: {error}" if error else
                                            "the reply has no result"))
        out += [_found(pmid, result.get(pmid)) for pmid in chunk]
    return out
