"""ClinicalTrials.gov through its v2 API: studies whose registry record was posted or updated in a
date window. JSON replies only; anything else is a WatchError, never a crash."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

from build_tools.watch.http import Client, json_body
from build_tools.watch.model import Found, QueryOutcome, WatchError, clean
from build_tools.watch.queries import CtgovQuery

API = "https://clinicaltrials.gov/api/v2/studies"
HOST = "clinicaltrials.gov"
INTERVAL = 1.2  # seconds between requests: under the ~50 a minute the service allows one address
PAGE = 100
MAX_PAGES = 10
NCT = re.compile(r"^NCT[0-9]{8}$")
FIELDS = ("NCTId", "BriefTitle", "OfficialTitle", "OverallStatus", "LastUpdatePostDate",
          "StudyFirstPostDate", "LeadSponsorName")
LABEL_MAX = 300


def studies_url(query: CtgovQuery, since: date, until: date, token: str | None = None) -> str:
    """The request for studies matching the query, last updated from since to until."""
    params = {"format": "json", "countTotal": "true", "pageSize": str(PAGE),
              "fields": ",".join(FIELDS),
              "filter.advanced": f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},"
                                 f"{until.isoformat()}]"}
    params |= {"query.cond": query.cond} if query.cond else {}
    params |= {"query.intr": query.intr} if query.intr else {}
    params |= {"pageToken": token} if token else {}
    return API + "?" + urlencode(params)


def _dig(node: object, *path: str) -> object:
    """The value at a path of nested objects, or None."""
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    return node


def _found(study: object, what: str) -> Found:
    """One study of the reply as a found record."""
    section = _dig(study, "protocolSection")
    nct = _dig(section, "identificationModule", "nctId")
    if not isinstance(nct, str) or not NCT.match(nct):
        raise WatchError(f"{what}: a study in the reply has no valid NCT id")
    title = _dig(section, "identificationModule", "briefTitle") or \
        _dig(section, "identificationModule", "officialTitle") or ""
    title = clean(title)
    facts = [clean(v) for v in (
        _dig(section, "sponsorCollaboratorsModule", "leadSponsor", "name"),
        _dig(section, "statusModule", "overallStatus"),
        _dig(section, "statusModule", "lastUpdatePostDateStruct", "date")) if v]
    label = f"{nct}: {title or '[no title]'}" + (f" ({'; '.join(facts)})" if facts else "")
    if len(label) > LABEL_MAX:
        label = label[: LABEL_MAX - 1].rstrip() + "…"
    return Found("ctgov", nct, title, label, f"https://clinicaltrials.gov/study/{nct}")


def search(client: Client, family: str, query: CtgovQuery, since: date,
           until: date) -> tuple[QueryOutcome, list[Found]]:
    """Every study the query matches among those updated from since to until."""
    what = f"ClinicalTrials.gov, family {family}"
    found: dict[str, Found] = {}
    token: str | None = None
    total = 0
    for _ in range(MAX_PAGES):
        data = json_body(client.get(studies_url(query, since, until, token), what), what)
        studies = data.get("studies") if isinstance(data, dict) else None
        if not isinstance(studies, list):
            raise WatchError(f"{what}: the reply has no list of studies")
        for study in studies:
            record = _found(study, what)
            found.setdefault(record.key, record)
        if type(data.get("totalCount")) is int:  # sent with the first page only
            total = max(total, data["totalCount"])
        token = data.get("nextPageToken")
        if not isinstance(token, str) or not token or not studies:
            break
    else:
        raise WatchError(f"{what}: more than {MAX_PAGES * PAGE} studies updated since {since}; "
                         "narrow the query or the window")
    return QueryOutcome(family, "ctgov", max(total, len(found)), tuple(found)), list(found.values())
