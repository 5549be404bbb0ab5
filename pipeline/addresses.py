"""Refusing destinations on loopback, private, link-local or metadata addresses.

The check runs where the connection is made (a network backend wrapped around httpcore's):
the host is resolved once, every address is checked, and the socket connects to a checked
address, so neither a redirect nor a DNS answer that changes between check and connect
(rebinding) can reach a forbidden address. TLS still verifies the original host name.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The host is, or resolves to, an address we do not fetch from."""


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if int(ip) >> 32 == 0 and int(ip) > 1:  # IPv4-compatible ::a.b.c.d (deprecated, still routable to v4)
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(ip: IPAddress) -> bool:
    """True for globally routable unicast addresses (addresses embedded in IPv6 checked too)."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_v4(ip)
        if inner is not None and not is_public_address(inner):
            return False
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


async def resolve(host: str, port: int) -> list[IPAddress]:
    """All addresses the host name resolves to (an IP literal resolves to itself)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def permitted(addresses: Iterable[IPAddress], host: str, *, allowed_hosts: frozenset[str],
              allow_private: bool) -> list[IPAddress]:
    """The addresses we may connect to; AddressRefused when one of them is forbidden."""
    addresses = list(addresses)
    if allow_private or host.lower().strip("[]") in allowed_hosts:
        return addresses
    bad = [str(ip) for ip in addresses if not is_public_address(ip)]
    if bad:
        raise AddressRefused(f"{host} resolves to non-public address {bad[0]}")
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's backend, connecting only to checked addresses of the requested host."""

    def __init__(self, *, allowed_hosts: frozenset[str], allow_private: bool) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allowed = allowed_hosts
        self._allow_private = allow_private
        self.connected: list[str] = []

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        """Resolve, check every address, connect to the first that answers."""
        addresses = permitted(await resolve(host, port), host, allowed_hosts=self._allowed,
                              allow_private=self._allow_private)
        error: Exception | None = None
        for ip in addresses:
            try:
                stream = await self._inner.connect_tcp(str(ip), port, timeout=timeout, local_address=local_address,
                                                       socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            self.connected.append(str(ip))
            return stream
        raise error or httpcore.ConnectError(f"no address for {host}")

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        """Unix sockets are never used for fetching."""
        raise AddressRefused("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        """Delegate to the wrapped backend."""
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with the connection pool built on GuardedBackend."""

    def __init__(self, *, allowed_hosts: frozenset[str], allow_private: bool, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        self.backend = GuardedBackend(allowed_hosts=allowed_hosts, allow_private=allow_private)
        # httpx 0.28 builds its pool in __init__ without a way to pass a network backend: rebuild it
        # with the same settings and ours (httpx is pinned below 0.29 in pyproject.toml).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(), max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry, network_backend=self.backend)
