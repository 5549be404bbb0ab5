"""Refusing URLs that resolve to loopback, private, link-local or metadata addresses."""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The URL's host is, or resolves to, an address we do not fetch from."""


def is_public_address(ip: IPAddress) -> bool:
    """True for globally routable unicast addresses (IPv4-mapped IPv6 unmapped first)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def resolve(host: str, port: int) -> list[IPAddress]:
    """All addresses the host name resolves to."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


async def check_destination(url: str, *, allowed_hosts: frozenset[str], allow_private: bool) -> None:
    """Raise AddressRefused unless every address of the URL's host is public or allowed."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if allow_private or host in allowed_hosts:
        return
    try:
        addresses = await resolve(host, parts.port or 443)
    except OSError as exc:
        raise OSError(f"cannot resolve {host}: {exc}") from exc
    bad = [str(ip) for ip in addresses if not is_public_address(ip)]
    if bad:
        raise AddressRefused(f"{host} resolves to non-public address {bad[0]}")
