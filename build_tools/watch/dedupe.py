"""What the base has already seen: every study record and every search candidate, by PMID, DOI,
PMCID, NCT id and normalised title, and the date of the last search. The watch drops a found
record that matches any of them."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.paths import EVIDENCE_DIR
from build_tools.records.files import Record, discover, load
from build_tools.watch.model import Found, InputError

PMID_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/|"
                      r"europepmc\.org/(?:abstract|article)/MED/)([1-9][0-9]{0,8})\b")
PMID_TEXT = re.compile(r"\bPMID:?\s*([1-9][0-9]{0,8})\b", re.IGNORECASE)
PMCID = re.compile(r"\b(PMC[0-9]{4,9})\b", re.IGNORECASE)
NCT = re.compile(r"\b(NCT[0-9]{8})\b", re.IGNORECASE)
DOI = re.compile(r"\b(10\.[0-9]{4,9}/[^\s?#\"'<>]+)")
SIMILAR = 0.9  # titles at least this alike (difflib ratio) are the same paper
MIN_WORDS = 4  # shorter titles ("Ketamine", "Editorial") prove nothing


def normalise(title: str) -> str:
    """Lower case, accents and punctuation gone, single spaces: titles compared as words."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@dataclass
class Screened:
    """Identifiers and titles already in the base, each with where it was seen."""

    ids: dict[str, str] = field(default_factory=dict)  # "pmid:123" -> where
    titles: dict[str, str] = field(default_factory=dict)  # study title -> where
    labels: dict[str, str] = field(default_factory=dict)  # candidate label -> where
    dates: list[str] = field(default_factory=list)  # every search date
    watch_dates: list[str] = field(default_factory=list)  # dates of the watch's own records

    def add_ids(self, text: str, where: str) -> None:
        """Every identifier written in a URL or label."""
        for kind, pattern in (("pmid", PMID_URL), ("pmid", PMID_TEXT), ("pmcid", PMCID),
                              ("nct", NCT), ("doi", DOI)):
            for value in pattern.findall(text):
                self.ids.setdefault(f"{kind}:{value.rstrip('.,;)').lower()}", where)

    def match(self, found: Found) -> str | None:
        """Why a found record is already known, or None when it is new."""
        shown = [("NCT id" if found.source == "ctgov" else "PMID", found.key),
                 ("DOI", found.doi), ("PMCID", found.pmcid)]
        for kind, value in shown:
            key = f"{kind.split()[0].lower()}:{(value or '').lower()}"
            if value and key in self.ids:
                return f"{kind} {value} is in {self.ids[key]}"
        return self._title_match(normalise(found.title))

    def _title_match(self, title: str) -> str | None:
        """A study title or candidate label that is this title, nearly or containing it."""
        if len(title.split()) < MIN_WORDS:
            return None
        for known, where in self.titles.items():
            if known == title or _alike(known, title):
                return f"its title matches {where}"
        for label, where in self.labels.items():
            if title in label or _alike(label, title):
                return f"its title matches a candidate of {where}"
        return None

    @property
    def last_search(self) -> str | None:
        """The watch's last run, else the last search of any kind (ISO dates sort as text)."""
        return max(self.watch_dates or self.dates, default=None)


def _alike(a: str, b: str) -> bool:
    """True when two normalised titles are nearly the same text."""
    if abs(len(a) - len(b)) > 0.2 * max(len(a), len(b)):
        return False
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def _add_study(seen: Screened, data: dict, sid: str) -> None:
    """A study record's identifiers and title."""
    ids = data.get("ids") if isinstance(data.get("ids"), dict) else {}
    for kind in ("pmid", "doi", "pmcid"):
        if isinstance(ids.get(kind), str):
            seen.ids.setdefault(f"{kind}:{ids[kind].lower()}", f"study {sid}")
    for reg in ids.get("registry") or []:
        if isinstance(reg, str):
            seen.ids.setdefault(f"nct:{reg.lower()}", f"study {sid}")
    if isinstance(data.get("title"), str) and len(normalise(data["title"]).split()) >= MIN_WORDS:
        seen.titles.setdefault(normalise(data["title"]), f"study {sid}")


def _add_search(seen: Screened, data: dict, sid: str) -> None:
    """A search record's date and every candidate's identifiers and label."""
    if isinstance(data.get("date"), str):
        seen.dates.append(data["date"])
        if data.get("method") == "watch":
            seen.watch_dates.append(data["date"])
    for cand in data.get("candidates") or []:
        if not isinstance(cand, dict):
            continue
        text = " ".join(str(cand.get(k) or "") for k in ("label", "url", "reason"))
        seen.add_ids(text, f"search {sid}")
        if isinstance(cand.get("label"), str):
            seen.labels.setdefault(normalise(cand["label"]), f"search {sid}")


def screened(records: Iterable[Record]) -> Screened:
    """What the loaded records have seen (they need not be schema-valid: drafts count too)."""
    seen = Screened()
    for record in records:
        if isinstance(record.data, dict) and record.file.kind == "study":
            _add_study(seen, record.data, record.file.stem)
        elif isinstance(record.data, dict) and record.file.kind == "search":
            _add_search(seen, record.data, record.file.stem)
    return seen


def load_screened(evidence_dir: Path = EVIDENCE_DIR) -> Screened:
    """What the base's study and search records have seen; InputError if one does not load."""
    files = [f for f in discover(evidence_dir) if f.kind in ("study", "search")]
    records, problems = load(files)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"{first.file}:{first.line}:{first.col}: {first.message}{more}; fix "
                         "the records first (`evidence check`), so that the watch knows "
                         "everything already screened")
    return screened(records)
