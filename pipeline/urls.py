"""URL checks and canonical forms (tracking parameters dropped) used as dedup keys."""
from __future__ import annotations

import re
import string
from urllib.parse import quote, unquote_plus, urljoin, urlsplit, urlunsplit

from pipeline.errors import PermanentError

MAX_URL_LENGTH = 2048
_TRACKING_PREFIXES = ("utm_", "at_", "mc_", "pk_", "mtm_", "_hs", "oly_", "vero_")
_TRACKING_NAMES = frozenset(
    "fbclid gclid dclid gbraid wbraid msclkid yclid igshid twclid ocid cmpid xtor ito "
    "ns_source ns_mchannel ns_campaign ns_linkname ns_fee smid smtyp ref_src ref_url "
    "__twitter_impression guccounter guce_referrer _ga _gl s_cid cid icid".split()
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")


class UrlError(PermanentError):
    """A URL we will not fetch."""


def check_http_url(url: str) -> str:
    """Return the URL stripped of surrounding space if it is a fetchable http(s) URL."""
    url = url.strip()
    if not url:
        raise UrlError("empty URL")
    if len(url) > MAX_URL_LENGTH:
        raise UrlError(f"URL longer than {MAX_URL_LENGTH} characters")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise UrlError(f"URL contains spaces or control characters: {url!r}")
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket
        raise UrlError(f"malformed URL ({exc}): {url!r}") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        raise UrlError(f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'}: {url!r}")
    if not parts.hostname:
        raise UrlError(f"URL has no host: {url!r}")
    try:
        parts.port
    except ValueError:
        raise UrlError(f"URL has an invalid port: {url!r}") from None
    return url


def absolute_link(link: str, base: str) -> str | None:
    """Resolve a link against its base; None unless it is a fetchable http(s) URL."""
    try:
        return check_http_url(urljoin(base, link.strip()))
    except (UrlError, ValueError):
        return None


def origin(url: str) -> str:
    """scheme://host:port, the unit of politeness and of robots.txt."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
    return f"{scheme}://{_host(parts.hostname)}:{port}"


def canonical_url(url: str) -> str:
    """A stable form of a URL: lower-case host, no default port, no fragment, no tracking."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = _host(parts.hostname)
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = _normal_escapes(quote(parts.path, safe="/%:@!$&'()*+,;=~-._")) or "/"
    return urlunsplit((scheme, netloc, path, _kept_query(parts.query), ""))


def _host(hostname: str | None) -> str:
    """Lower-case host without a trailing dot; an IPv6 literal keeps its brackets."""
    host = (hostname or "").lower().rstrip(".")
    return f"[{host}]" if ":" in host else host


def _normal_escapes(text: str) -> str:
    """Escapes of unreserved characters decoded, the rest upper-cased; %2F stays %2F (RFC 3986 6.2.2)."""
    return _ESCAPE.sub(_normal_escape, text)


def _normal_escape(match: re.Match[str]) -> str:
    char = chr(int(match[1], 16))
    return char if char in _UNRESERVED else "%" + match[1].upper()


def _kept_query(query: str) -> str:
    """The non-tracking parameters, sorted, each as written (so `?a` never becomes `?a=`)."""
    params = [p for p in query.split("&") if p and not _is_tracking(unquote_plus(p.partition("=")[0]))]
    return "&".join(sorted(_normal_escapes(quote(p, safe="=%:@!$'()*+,;/?~-._")) for p in params))


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)
