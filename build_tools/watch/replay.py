"""Recorded replies: a transport that answers from a file instead of the network (tests, and
`evidence watch --replay`), and a recorder that writes what a live run saw (`--record`).

The file is JSON: {request key: [reply, ...]}. A key is the URL without the caller's identity
(tool, email, api_key) and with its parameters sorted. Each reply is {"status", "headers",
"body"} or {"status", "headers", "body_file"} (a file next to the JSON), or {"error": "timeout"}
or {"error": "<message>"} for a request that got no answer. Replies are used in order; the
last one answers every later request with that key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from build_tools.watch.http import Reply, Transport
from build_tools.watch.model import InputError

PRIVATE = ("tool", "email", "api_key")  # who asked, not what was asked


def request_key(url: str) -> str:
    """The replay key of a URL: identity parameters dropped, the others sorted."""
    parts = urlsplit(url)
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k not in PRIVATE)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _reply(entry: object, folder: Path, where: str) -> Reply | str:
    """One recorded reply, or the error text of a request that got no answer."""
    if not isinstance(entry, dict):
        raise InputError(f"{where}: a reply is an object")
    if "error" in entry:
        return str(entry["error"])
    status, headers = entry.get("status"), entry.get("headers", {})
    if type(status) is not int or not isinstance(headers, dict):
        raise InputError(f"{where}: a reply needs an integer status and a headers object")
    if "body_file" in entry:
        try:
            body = (folder / str(entry["body_file"])).read_bytes()
        except OSError as exc:
            raise InputError(f"{where}: cannot read {entry['body_file']}: {exc.strerror}") from None
    else:
        body = str(entry.get("body", "")).encode("utf-8")
    return Reply(status, {str(k).lower(): str(v) for k, v in headers.items()}, body)


def load_replies(path: Path) -> dict[str, list[Reply | str]]:
    """The recorded replies of a file, by request key; InputError when the file is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the recorded replies: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object of request -> replies")
    out: dict[str, list[Reply | str]] = {}
    for key, entries in data.items():
        entries = entries if isinstance(entries, list) else [entries]
        if not entries:
            raise InputError(f"{path}: {key}: no replies")
        out[request_key(key)] = [_reply(e, path.parent, f"{path}: {key}") for e in entries]
    return out


@dataclass
class ReplayTransport:
    """Answers each request from the recorded replies; an unrecorded request gets no answer."""

    replies: Mapping[str, list[Reply | str]]
    used: dict[str, int] = field(default_factory=dict)

    def __call__(self, url: str, timeout: float) -> Reply:
        key = request_key(url)
        if key not in self.replies:
            raise OSError(f"no recorded reply for {key}")
        index = self.used.get(key, 0)
        self.used[key] = index + 1
        answer = self.replies[key][min(index, len(self.replies[key]) - 1)]
        if isinstance(answer, Reply):
            return answer
        if answer == "timeout":
            raise TimeoutError("timed out")
        raise OSError(answer)


@dataclass
class Recorder:
    """Wraps a transport and keeps every reply it gave, for a later --replay."""

    transport: Transport
    seen: dict[str, list[dict]] = field(default_factory=dict)

    def __call__(self, url: str, timeout: float) -> Reply:
        entries = self.seen.setdefault(request_key(url), [])
        try:
            reply = self.transport(url, timeout)
        except OSError as exc:
            entries.append({"error": "timeout" if isinstance(exc, TimeoutError) else str(exc)})
            raise
        entries.append({"status": reply.status, "headers": dict(reply.headers),
                        "body": reply.body.decode("utf-8", "replace")})
        return reply

    def write(self, path: Path) -> None:
        """The replies seen, as a replay file."""
        try:
            path.write_text(json.dumps(self.seen, indent=1, sort_keys=True) + "\n",
                            encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{path}: cannot write the replies: {exc.strerror or exc}") from None
