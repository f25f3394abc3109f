"""One watch run: every family's queries, the found records summarised, the screened ones
dropped. A service that fails is not asked again in the same run (it would only fail again)."""

from __future__ import annotations

from datetime import date

from build_tools.watch import ctgov, pubmed
from build_tools.watch.dedupe import Screened
from build_tools.watch.http import Client, Transport
from build_tools.watch.model import Dropped, Found, QueryOutcome, WatchError, WatchResult
from build_tools.watch.pubmed import Identity
from build_tools.watch.queries import QuerySet

SERVICE = {"pubmed": "PubMed", "ctgov": "ClinicalTrials.gov"}


def make_client(transport: Transport, who: Identity, timeout: float = 30.0) -> Client:
    """A client paced to each service's published limits (PubMed's depend on the API key)."""
    eutils = pubmed.INTERVAL_WITH_KEY if who.api_key else pubmed.INTERVAL
    return Client(transport, {pubmed.HOST: eutils, ctgov.HOST: ctgov.INTERVAL}, timeout=timeout)


def _ask(queries: QuerySet, client: Client, who: Identity, since: date,
         until: date) -> tuple[list[QueryOutcome], list[Found], list[str], set[str]]:
    """Every family's queries: outcomes, the trials found, the failures and failed services."""
    outcomes: list[QueryOutcome] = []
    trials: dict[str, Found] = {}
    failures: list[str] = []
    failed: set[str] = set()
    for family in queries.families:
        asks = ([("pubmed", family.pubmed)] if family.pubmed else []) + \
            ([("ctgov", family.ctgov)] if family.ctgov else [])
        for source, query in asks:
            if source in failed:
                failures.append(f"{SERVICE[source]}, family {family.id}: not asked after the "
                                "failure above")
                continue
            try:
                if source == "pubmed":
                    outcomes.append(pubmed.search(client, family.id, query, since, until, who))
                else:
                    outcome, found = ctgov.search(client, family.id, query, since, until)
                    outcomes.append(outcome)
                    for record in found:
                        trials.setdefault(record.key, record)
            except WatchError as exc:
                failures.append(str(exc))
                failed.add(source)
    return outcomes, sorted(trials.values(), key=lambda f: f.key), failures, failed


def run_watch(queries: QuerySet, seen: Screened, client: Client, who: Identity, since: date,
              until: date) -> WatchResult:
    """What is new since the last search; failures are listed, never raised."""
    outcomes, trials, failures, failed = _ask(queries, client, who, since, until)
    pmids = sorted({k for o in outcomes if o.source == "pubmed" for k in o.keys}, key=int)
    articles: list[Found] = []
    if pmids and "pubmed" not in failed:
        try:
            articles = pubmed.summaries(client, pmids, who)
        except WatchError as exc:
            failures.append(str(exc))
    new: list[Found] = []
    dropped: list[Dropped] = []
    for record in articles + trials:
        why = seen.match(record)
        if why:
            dropped.append(Dropped(record, why))
        else:
            new.append(record)
    return WatchResult(since.isoformat(), until.isoformat(), tuple(outcomes), tuple(new),
                       tuple(dropped), tuple(failures))
