"""What the watch passes between its modules: found records, the run's outcome, its errors."""

from __future__ import annotations

from dataclasses import dataclass, field


class WatchError(Exception):
    """A query that could not be answered; the message says which service and why."""


class InputError(Exception):
    """Bad input on our side (queries file, records, output path): a usage error, exit 2."""


@dataclass(frozen=True)
class Found:
    """One record a service returned, reduced to what screening and de-duplication need."""

    source: str  # "pubmed" or "ctgov"
    key: str  # the PMID or the NCT id
    title: str
    label: str  # first author, year, title and where: what the screener reads first
    url: str
    doi: str | None = None
    pmcid: str | None = None


@dataclass(frozen=True)
class QueryOutcome:
    """One family's query at one service: how many records matched, which it returned."""

    family: str
    source: str
    count: int
    keys: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # what the service said it ignored (terms not found)


@dataclass(frozen=True)
class Dropped:
    """A found record left out because it was already screened or is in the base."""

    found: Found
    why: str


@dataclass(frozen=True)
class WatchResult:
    """The whole run: the window, each query's outcome, what is new and what was dropped."""

    since: str
    until: str
    outcomes: tuple[QueryOutcome, ...]
    new: tuple[Found, ...]
    dropped: tuple[Dropped, ...]
    failures: tuple[str, ...] = field(default=())

    @property
    def returned(self) -> int:
        """Distinct records returned by all queries together (the search record's hits)."""
        return len(self.new) + len(self.dropped)


def clean(text: object) -> str:
    """Text from a service as one printable line: controls and odd spaces become one space."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())
