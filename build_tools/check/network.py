"""Network checks for a scheduled job: DOIs resolve, PMIDs and NCT ids exist, source URLs answer.

These results have their own small catalogue (LINK_CODES, L1xx) rather than entries in
problems.CODES: every code there must be produced by the offline `check()` from a fixture tree,
and a link result depends on the outside world, not on the files. The output format is the same.
"""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from build_tools.problem_codes import Code
from build_tools.problems import Problem, _gh_escape  # the same escaping as `check`
from build_tools.records.files import Record

# Link results: stable codes, never reused. Errors are definite answers ("not found");
# warnings are answers that do not settle it (publishers often refuse automated requests).
LINK_CODES: dict[str, Code] = {
    "L101": Code("error", "DOI does not resolve",
                 "doi.org answers 404 for this DOI: a typo, or a DOI that was never registered.",
                 "copy the DOI again from the article's first page or its PubMed record"),
    "L102": Code("error", "PMID not found",
                 "PubMed answers 404 for this PMID.",
                 "check the number on the PubMed page; a PMCID (PMC...) is not a PMID"),
    "L103": Code("error", "Registry id not found",
                 "ClinicalTrials.gov has no study with this NCT id.",
                 "check the id on the registry page or in the paper's methods section"),
    "L104": Code("error", "Address is gone",
                 "The page answers 404 or 410, or its host name no longer exists.",
                 "find the page's new address or an archived copy and update the URL"),
    "L105": Code("warning", "Address could not be confirmed",
                 "The answer neither confirms nor refutes the address: access refused (401, 403, "
                 "429), a server error, a time-out or a network failure.",
                 "open it in a browser; if it works there, nothing needs to change"),
    "L106": Code("warning", "No recorded response",
                 "In --replay mode the responses file has no entry for this address.",
                 "record responses with --record, or add the address to the replay file"),
}

USER_AGENT = "ketamine-crps-evidence-linkcheck/1 (+scheduled link check of an open evidence base)"
HOST_INTERVAL = 0.5  # seconds between requests to one host: polite to PubMed and doi.org
GONE = (404, 410)
DOI = re.compile(r"^10\.[0-9]{4,9}/\S+$")
PMID = re.compile(r"^[1-9][0-9]{0,8}$")
NCT = re.compile(r"^NCT[0-9]{8}$")


@dataclass(frozen=True)
class Response:
    """What an address answered: the status of each hop (redirects first), or a network error."""

    statuses: tuple[int, ...] = ()
    error: str | None = None

    @property
    def status(self) -> int | None:
        """The final HTTP status, or None when the request failed (after any redirects)."""
        return self.statuses[-1] if self.statuses and self.error is None else None

    def to_json(self) -> int | str | list:
        """The replay-file form: a status, hop statuses (maybe ending in an error), or an error."""
        if self.error is not None:
            return [*self.statuses, self.error] if self.statuses else self.error
        return self.statuses[0] if len(self.statuses) == 1 else list(self.statuses)

    @classmethod
    def from_json(cls, value: object) -> Response:
        """Read one replay-file value (see to_json)."""
        if isinstance(value, bool):
            return cls(error="bad replay value")
        if isinstance(value, int):
            return cls((value,))
        if isinstance(value, list) and value and all(type(v) is int for v in value[:-1]):
            if type(value[-1]) is int:
                return cls(tuple(value))
            return cls(tuple(value[:-1]), str(value[-1]))
        return cls(error=str(value))


Fetch = Callable[[str], Response]


@dataclass(frozen=True)
class Target:
    """One identifier or address in one record, with where it is written."""

    kind: str  # doi, pmid, nct or url
    url: str
    where: str
    file: str
    line: int
    col: int


def _where(path: tuple) -> str:
    """A JSON path as written in messages: ids.registry[0]."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _target(record: Record, kind: str, url: str, path: tuple) -> Target:
    """A target positioned at the value it was built from."""
    line, col = record.loaded.position(path)
    return Target(kind, url, _where(path), record.file.display, line, col)


def targets(records: Iterable[Record]) -> list[Target]:
    """Every checkable identifier and address in the records, in file order."""
    out: list[Target] = []
    for record in records:
        data = record.data
        if not isinstance(data, dict):
            continue
        ids = data.get("ids") if isinstance(data.get("ids"), dict) else {}
        if isinstance(ids.get("doi"), str) and DOI.match(ids["doi"]):
            out.append(_target(record, "doi", "https://doi.org/" + quote(ids["doi"], safe="/:;()._-"),
                               ("ids", "doi")))
        if isinstance(ids.get("pmid"), str) and PMID.match(ids["pmid"]):
            out.append(_target(record, "pmid", f"https://pubmed.ncbi.nlm.nih.gov/{ids['pmid']}/",
                               ("ids", "pmid")))
        registry = ids.get("registry") if isinstance(ids.get("registry"), list) else []
        for i, reg in enumerate(registry):
            if isinstance(reg, str) and NCT.match(reg):  # other registries have no stable API
                out.append(_target(record, "nct", f"https://clinicaltrials.gov/api/v2/studies/{reg}",
                                   ("ids", "registry", i)))
        provenance = data.get("verified_from") if isinstance(data.get("verified_from"), list) else []
        for i, entry in enumerate(provenance):
            if isinstance(entry, dict) and _is_web(entry.get("url")):
                out.append(_target(record, "url", entry["url"], ("verified_from", i, "url")))
        if record.file.kind == "source":
            for name in ("url", "archived_url"):
                if _is_web(data.get(name)):
                    out.append(_target(record, "url", data[name], (name,)))
    return out


def _is_web(value: object) -> bool:
    """True for an http(s) address: urllib would also open file:// and ftp://, never wanted."""
    return isinstance(value, str) and urlsplit(value).scheme in ("http", "https") and " " not in value


def judge(target: Target, response: Response) -> Problem | None:
    """The problem an answer means for a target, or None when it confirms the target."""
    status, error = response.status, response.error
    if error == "not-recorded":
        return _problem(target, "L106", f"{target.where}: no recorded response for {target.url}")
    # doi.org redirects every registered DOI; the publisher's answer after that does not matter.
    if target.kind == "doi" and response.statuses and 300 <= response.statuses[0] < 400:
        return None
    if status is not None and 200 <= status < 400:
        return None
    said = f"answered {status}" if status is not None else f"failed: {error}"
    gone = status in GONE or error == "host-not-found"
    code = {"doi": "L101", "pmid": "L102", "nct": "L103", "url": "L104"}[target.kind]
    if not gone or (error == "host-not-found" and target.kind != "url"):
        code = "L105"  # a registry host that cannot be found is our network, not the record
    return _problem(target, code, f"{target.where}: {target.url} {said}")


def _problem(target: Target, code: str, message: str) -> Problem:
    """A positioned Problem from the link catalogue."""
    entry = LINK_CODES[code]
    return Problem(target.file, target.line, target.col, entry.severity, code, message, entry.hint)


class _KeepMethodRedirect(urllib.request.HTTPRedirectHandler):
    """Follow redirects keeping HEAD (urllib switches to GET) and noting each hop's status."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        """The next request of the chain, with the original method."""
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.method = req.get_method()
        return new

    def http_error_302(self, req, fp, code, msg, headers):
        """Follow one redirect; the answer (or error) at the end carries every hop's status."""
        try:
            response = super().http_error_302(req, fp, code, msg, headers)
        except urllib.error.HTTPError as exc:
            exc.hops = [code, *getattr(exc, "hops", [])]
            raise
        if response is not None:
            response.hops = [code, *getattr(response, "hops", [])]
        return response

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _network_error(exc: BaseException) -> str:
    """A short, stable description of a failed request."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, socket.gaierror) and reason.errno == socket.EAI_NONAME:
        return "host-not-found"
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "timeout"
    return f"network error ({type(reason).__name__})"


def live_fetcher(timeout: float = 20.0, interval: float = HOST_INTERVAL) -> Fetch:
    """A fetch function that asks the network (HEAD, then GET when HEAD is refused)."""
    opener = urllib.request.build_opener(_KeepMethodRedirect(), urllib.request.HTTPCookieProcessor())
    last_call: dict[str, float] = {}

    def once(url: str, method: str) -> Response:
        host = urlsplit(url).hostname or ""
        wait = last_call.get(host, 0.0) + interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        last_call[host] = time.monotonic()
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with opener.open(request, timeout=timeout) as answer:
                return Response((*getattr(answer, "hops", []), answer.status))
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:  # urllib gave up: a redirect loop or too many redirects
                return Response(tuple(getattr(exc, "hops", [])), "too many redirects")
            return Response((*getattr(exc, "hops", []), exc.code))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return Response(error=_network_error(exc))

    def fetch(url: str) -> Response:
        if not _is_web(url):
            return Response(error="not an http(s) address")
        first = once(url, "HEAD")
        if first.status in (403, 405, 501) or first.error == "timeout":
            return once(url, "GET")  # some servers refuse or mishandle HEAD
        return first

    return fetch


def replay_fetcher(responses: dict[str, object]) -> Fetch:
    """A fetch function that answers from recorded responses and never opens a connection."""
    return lambda url: (Response.from_json(responses[url]) if url in responses
                        else Response(error="not-recorded"))


def load_responses(path: Path) -> dict[str, object]:
    """A replay file: a JSON object of address -> status, hop statuses or error text."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("a replay file holds one JSON object of address -> status")
    return data


def run_checks(found: list[Target], fetch: Fetch) -> tuple[list[Problem], dict[str, Response]]:
    """Fetch each distinct address once; judge every target; problems sorted like `check`."""
    answers: dict[str, Response] = {}
    for target in found:
        if target.url not in answers:
            answers[target.url] = fetch(target.url)
    problems = [p for t in found if (p := judge(t, answers[t.url])) is not None]
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.col, p.code)), answers


def summary(problems: list[Problem], addresses: int) -> str:
    """The closing line of a report."""
    errors = sum(p.severity == "error" for p in problems)
    return (f"{addresses} addresses checked: {errors} not found, "
            f"{len(problems) - errors} not confirmed")


def format_report(problems: list[Problem], addresses: int, fmt: str) -> str:
    """The report as text (path:line:col: severity CODE message), github annotations or JSON."""
    if fmt == "json":
        return json.dumps({"problems": [asdict(p) for p in problems], "addresses": addresses,
                           "errors": sum(p.severity == "error" for p in problems)},
                          indent=2, ensure_ascii=False) + "\n"
    out = []
    for p in problems:
        if fmt == "github":
            title = _gh_escape(f"{p.code} {LINK_CODES[p.code].title}", prop=True)
            out.append(f"::{p.severity} file={_gh_escape(p.file, prop=True)},line={p.line},"
                       f"col={p.col},title={title}::{_gh_escape(f'{p.message} (hint: {p.hint})')}")
        else:
            out += [f"{p.file}:{p.line}:{p.col}: {p.severity} {p.code} {p.message}",
                    f"    hint: {p.hint}"]
    out.append(summary(problems, addresses))
    return "\n".join(out) + "\n"
