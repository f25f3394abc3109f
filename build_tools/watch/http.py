"""The watch's one HTTP client: polite pacing per host, bounded retries on 429 and 5xx (honouring
Retry-After), time-outs, and a transport that tests replace with recorded replies."""

from __future__ import annotations

import email.utils
import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from build_tools.watch.model import WatchError

USER_AGENT = "ketamine-crps-evidence-watch/1 (+weekly watch of an open evidence base)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_BODY = 20_000_000  # bytes: a reply larger than this is not one these services send


@dataclass(frozen=True)
class Reply:
    """What a server answered: status, headers (lower-case names) and body."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


# url, timeout in seconds -> Reply; raises OSError (TimeoutError included) when nothing came back.
Transport = Callable[[str, float], Reply]


def urllib_transport(url: str, timeout: float) -> Reply:
    """The live transport: one GET with urllib; HTTP errors come back as replies, not raised."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 (https only)
            return Reply(answer.status, {k.lower(): v for k, v in answer.headers.items()},
                         answer.read(MAX_BODY))
    except urllib.error.HTTPError as exc:
        try:
            body = exc.read(MAX_BODY) if exc.fp else b""
        except (OSError, http.client.HTTPException):
            body = b""
        return Reply(exc.code, {k.lower(): v for k, v in (exc.headers or {}).items()}, body)
    except urllib.error.URLError as exc:  # wraps the socket error: unwrap for a clear message
        reason = exc.reason
        raise reason if isinstance(reason, OSError) else OSError(str(reason)) from None
    except http.client.HTTPException as exc:  # a reply cut short or garbled on the wire
        raise OSError(f"broken reply: {type(exc).__name__}") from None


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


def pause(seconds: float) -> None:
    """Sleep; looked up at each wait, so that a test can stand in for the clock."""
    time.sleep(seconds)


def _network_message(exc: OSError) -> str:
    """A short reason for a failed request."""
    if isinstance(exc, TimeoutError | socket.timeout):
        return "no answer before the time-out"
    return f"network error ({exc.strerror or exc})"


@dataclass
class Client:
    """GETs with pacing and bounded retries; every wait goes through `sleep` (tests count them)."""

    transport: Transport
    intervals: Mapping[str, float]  # host -> least seconds between two requests to it
    timeout: float = 30.0
    max_tries: int = 4
    max_wait: float = 60.0  # the longest single wait, Retry-After included
    sleep: Callable[[float], None] | None = None  # None: pause() (tests replace it)
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    _last: dict[str, float] = field(default_factory=dict)
    waits: list[float] = field(default_factory=list)
    requests: int = 0

    def _wait(self, seconds: float) -> None:
        """Sleep, and keep the wait for the record."""
        if seconds > 0:
            self.waits.append(round(seconds, 3))
            (self.sleep or pause)(seconds)

    def _pace(self, host: str) -> None:
        """Wait until this host's interval has passed since the last request to it."""
        gap = self.intervals.get(host, 1.0)
        if host in self._last:
            self._wait(self._last[host] + gap - self.clock())
        self._last[host] = self.clock()

    def _backoff(self, attempt: int, reply: Reply | None, what: str) -> None:
        """Wait before another try: the server's Retry-After, else 2, 4, 8... seconds."""
        asked = retry_after(reply.headers.get("retry-after"), self.wall()) if reply else None
        wait = asked if asked is not None else 2.0 ** attempt
        if wait > self.max_wait:
            raise WatchError(f"{what}: the server asked to wait {wait:.0f} s, more than the "
                             f"{self.max_wait:.0f} s the watch waits; try again later")
        self._wait(wait)

    def get(self, url: str, what: str) -> Reply:
        """The reply to a GET; WatchError when no usable status came back after the retries."""
        host = urlsplit(url).hostname or ""
        problem = ""
        for attempt in range(1, self.max_tries + 1):
            self._pace(host)
            self.requests += 1
            try:
                reply = self.transport(url, self.timeout)
            except OSError as exc:
                problem, reply = _network_message(exc), None
            else:
                if reply.status not in RETRY_STATUSES:
                    return reply
                problem = f"HTTP {reply.status}" + (" (rate limit)" if reply.status == 429 else "")
            if attempt < self.max_tries:
                self._backoff(attempt, reply, what)
        raise WatchError(f"{what}: {problem} after {self.max_tries} tries")


def _gist(body: bytes) -> str:
    """A short, printable hint of what a non-JSON body says (an error page's title or text)."""
    text = body[:4000].decode("utf-8", "replace")
    found = re.search(r"<(title|ERROR|h1)[^>]*>(.*?)</\1>", text, re.IGNORECASE | re.DOTALL)
    text = found.group(2) if found else re.sub(r"<[^>]*>", " ", text)
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text[:120] + ("..." if len(text) > 120 else "")


def json_body(reply: Reply, what: str) -> object:
    """The JSON a reply carries; WatchError saying what came instead (status, page, garbage)."""
    if reply.status != 200:
        gist = _gist(reply.body)
        raise WatchError(f"{what}: HTTP {reply.status}" + (f" ({gist})" if gist else ""))
    text = reply.body.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        raise WatchError(f"{what}: the reply is an HTML or XML page, not JSON ({_gist(reply.body)})")
    try:
        return json.loads(text)
    except RecursionError:  # nested beyond Python's limit: no service sends that
        raise WatchError(f"{what}: the reply is not valid JSON (nested too deeply)") from None
    except ValueError as exc:
        shown = f" ({_gist(reply.body)})" if text else ""
        raise WatchError(f"{what}: the reply is not valid JSON: {exc}{shown}") from None
