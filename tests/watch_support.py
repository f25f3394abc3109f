"""Shared pieces of the watch's tests: recorded replies, a scripted transport, a fake clock, and
the guard that fails any test opening a socket."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from build_tools.watch.http import Client, Reply

FIXTURES = Path(__file__).parent / "fixtures" / "watch"


class NetworkUsed(OSError):
    """Raised by the socket stand-ins; an OSError, as a refused connection would be."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch):
    """Every socket or name lookup raises and is counted; a test that made one fails."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise NetworkUsed("tests must not open network connections")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == [], "a test tried to open a network connection"


def body(name: str) -> bytes:
    """A recorded reply body from tests/fixtures/watch."""
    return (FIXTURES / name).read_bytes()


def ok(name: str) -> Reply:
    """A 200 reply with a recorded body."""
    return Reply(200, {"content-type": "application/json"}, body(name))


@dataclass
class Script:
    """A transport answering from a list (or a function of the URL); it records every URL."""

    answers: list[Reply | OSError] | Callable[[str], Reply | OSError]
    urls: list[str] = field(default_factory=list)

    def __call__(self, url: str, timeout: float) -> Reply:
        self.urls.append(url)
        if callable(self.answers):
            answer = self.answers(url)
        else:
            answer = self.answers[min(len(self.urls), len(self.answers)) - 1]
        if isinstance(answer, OSError):
            raise answer
        return answer


@dataclass
class FakeTime:
    """A clock that moves only when the code sleeps (so waits are exact and instant)."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def client(answers, interval: float = 0.34, **kwargs) -> tuple[Client, Script, FakeTime]:
    """A client over a scripted transport and a fake clock."""
    script, fake = Script(answers), FakeTime()
    made = Client(script, {"eutils.ncbi.nlm.nih.gov": interval, "clinicaltrials.gov": 1.2},
                  sleep=fake.sleep, clock=fake.clock, wall=lambda: 1_800_000_000.0, **kwargs)
    return made, script, fake
