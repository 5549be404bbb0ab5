"""URL checks and canonical forms (tracking parameters dropped) used as dedup keys."""
from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from pipeline.errors import PermanentError

MAX_URL_LENGTH = 2048
_TRACKING_PREFIXES = ("utm_", "at_", "mc_", "pk_", "mtm_", "_hs", "oly_", "vero_")
_TRACKING_NAMES = frozenset(
    "fbclid gclid dclid gbraid wbraid msclkid yclid igshid twclid ocid cmpid xtor ito "
    "ns_source ns_mchannel ns_campaign ns_linkname ns_fee smid smtyp ref_src ref_url "
    "__twitter_impression guccounter guce_referrer _ga _gl s_cid cid icid".split()
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


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
    parts = urlsplit(url)
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
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def canonical_url(url: str) -> str:
    """A stable form of a URL: lower-case host, no default port, no fragment, no tracking."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/%:@!$&'()*+,;=~-._") or "/"
    query = urlencode(sorted(_kept_params(parts.query)), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def _kept_params(query: str) -> list[tuple[str, str]]:
    pairs = parse_qsl(query, keep_blank_values=True)
    return [(k, v) for k, v in pairs if not _is_tracking(k)]


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)
