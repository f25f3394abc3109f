"""The guard that fails any test opening a socket: import `no_network` into a test module (autouse)."""

from __future__ import annotations

import socket

import pytest


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
