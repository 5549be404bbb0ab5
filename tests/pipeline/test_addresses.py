"""SSRF: forbidden addresses are refused where the connection is made, after every redirect."""
from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading

import pytest

from pipeline.addresses import AddressRefused, is_public_address, permitted, resolve
from pipeline.fetch import Fetcher, FetchPolicy, make_client
from pipeline.politeness import Politeness
from pipeline.records import Outcome
from tests.support.server import ScriptedServer


@pytest.mark.parametrize("text", ["2130706433", "0x7f000001", "127.1", "0177.0.0.1", "::ffff:127.0.0.1",
                                  "100.64.0.1", "::127.0.0.1", "2002:7f00:1::", "169.254.169.254", "fd00::1",
                                  "10.1.2.3", "192.168.0.1", "172.16.0.1", "0.0.0.0", "::1", "224.0.0.1"])
def test_non_public_encodings_resolve_to_refused_addresses(text: str) -> None:
    addresses = asyncio.run(resolve(text, 80))
    assert addresses and not any(is_public_address(ip) for ip in addresses)
    with pytest.raises(AddressRefused):
        permitted(addresses, text, allowed_hosts=frozenset(), allow_private=False)


@pytest.mark.parametrize("text", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(text: str) -> None:
    assert is_public_address(ipaddress.ip_address(text))


class _Listener:
    """A forbidden target of our own on 127.0.0.2 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.2", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def forbidden():
    listener = _Listener()
    yield listener
    listener.close()


def _fetch(url: str, allowed: frozenset[str]):
    async def go():
        policy = FetchPolicy(user_agent="ParallaxTest/1.0", allowed_hosts=allowed, retries=0, deadline_s=5)
        async with make_client(policy) as client:
            fetcher = Fetcher(client, policy, Politeness(concurrency=2, min_gap_s=0, max_wait_s=5))
            return await fetcher.fetch(url, max_bytes=10_000)
    return asyncio.run(go())


def test_redirect_to_a_forbidden_address_is_refused_at_connect(forbidden) -> None:
    with ScriptedServer() as server:
        server.redirect("/go", f"http://127.0.0.2:{forbidden.port}/secret")
        result = _fetch(server.url("/go"), frozenset({"127.0.0.1"}))
    assert (result.outcome, result.reason) == (Outcome.PERMANENT, "address_refused")
    assert forbidden.accepted == 0


def test_rebinding_name_is_refused_on_the_address_it_resolves_to(forbidden, monkeypatch) -> None:
    real = asyncio.base_events.BaseEventLoop.getaddrinfo

    async def rebinding(self, host, port, *args, **kwargs):
        if host == "news.rebind.example":
            return await real(self, "127.0.0.2", port, *args, **kwargs)
        return await real(self, host, port, *args, **kwargs)

    monkeypatch.setattr(asyncio.base_events.BaseEventLoop, "getaddrinfo", rebinding)
    result = _fetch(f"http://news.rebind.example:{forbidden.port}/", frozenset({"127.0.0.1"}))
    assert (result.outcome, result.reason) == (Outcome.PERMANENT, "address_refused")
    assert forbidden.accepted == 0


def test_allowed_host_is_fetched() -> None:
    with ScriptedServer() as server:
        server.serve("/ok", b"fine")
        result = _fetch(server.url("/ok"), frozenset({"127.0.0.1"}))
    assert result.outcome is Outcome.OK and result.body == b"fine"
