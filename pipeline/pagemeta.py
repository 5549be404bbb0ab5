"""Metadata read straight from a page's markup: canonical link, publication time, language."""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import lxml.html
from lxml import etree

log = logging.getLogger(__name__)

_META_DATE_KEYS = ("article:published_time", "og:published_time", "datepublished", "pubdate",
                   "publishdate", "dc.date.issued", "dcterms.created", "date", "sailthru.date")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|$|[-_])")


@dataclass(frozen=True, slots=True, kw_only=True)
class PageMeta:
    """What the markup itself declares."""

    canonical: str = ""
    published: datetime | None = None
    lang: str = ""
    damage: str = ""  # why libxml2 stopped reading the markup early, dropping what follows ("" if it did not)


def read_page_meta(html: bytes) -> PageMeta:
    """Canonical link, declared publication time and lang attribute; empty on unparsable markup.

    `damage` names a libxml2 resource limit the markup hit: nesting deeper than 255 levels, or one
    text node or attribute over 10 MB. libxml2 then stops reading without raising, so everything
    after that point is silently missing here and in trafilatura (which parses the same way).
    """
    parser = lxml.html.HTMLParser()
    try:
        tree = lxml.html.fromstring(html, parser=parser)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return PageMeta(damage=_damage(parser.error_log))
    return PageMeta(canonical=_canonical(tree), published=_declared_date(tree),
                    lang=(tree.get("lang") or "").split("-")[0].lower()[:3], damage=_damage(parser.error_log))


def _damage(errors: Any) -> str:
    for error in errors:
        if error.type_name != "ERR_RESOURCE_LIMIT":
            continue
        if "depth" in error.message.lower():
            return "too_deep: markup nested deeper than libxml2's limit of 255 levels; what follows was dropped"
        return "libxml2_limit: a text node or attribute over libxml2's 10 MB limit; what follows was dropped"
    return ""


def date_from_url(url: str) -> datetime | None:
    """A /yyyy/mm/dd/ date in the URL path, as midnight UTC."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, tzinfo=timezone.utc)
    except ValueError:
        return None


def _canonical(tree: Any) -> str:
    for link in tree.iterfind(".//link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return (link.get("href") or "").strip()
    return ""


def _declared_date(tree: Any) -> datetime | None:
    return _json_ld_date(tree) or _meta_date(tree)


def _json_ld_date(tree: Any) -> datetime | None:
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        found = _find_key(data, "datePublished")
        if found:
            return parse_iso(found)
    return None


def _find_key(data: Any, key: str, depth: int = 0) -> str | None:
    if depth > 6:
        return None
    if isinstance(data, dict):
        if isinstance(data.get(key), str):
            return data[key]
        data = list(data.values())
    if isinstance(data, list):
        for item in data:
            found = _find_key(item, key, depth + 1)
            if found:
                return found
    return None


def _meta_date(tree: Any) -> datetime | None:
    metas = {((m.get("property") or m.get("name") or m.get("itemprop") or "").lower()): m.get("content")
             for m in tree.iterfind(".//meta")}
    for key in _META_DATE_KEYS:
        if metas.get(key):
            when = parse_iso(metas[key])
            if when:
                return when
    for time_el in tree.iterfind(".//time"):
        if time_el.get("datetime"):
            return parse_iso(time_el.get("datetime"))
    return None


def parse_iso(value: str) -> datetime | None:
    """An ISO 8601 date or date-time; naive values are taken as UTC."""
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
