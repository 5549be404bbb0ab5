"""Turning archive items into the same records a nightly run produces."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from urllib.parse import urlsplit

from pipeline.archive import ArchiveItem, outlet_slug
from pipeline.articles import article_id_for, text_fingerprint
from pipeline.extract import detect_language
from pipeline.ids import content_hash, stable_id
from pipeline.records import Article, FeedEntry, NewOutlet, Page
from pipeline.urls import canonical_url

TEXT_EXTRACTOR = "archive text (no extraction)"


def resolve_outlets(items: Iterable[ArchiveItem], known: Mapping[str, str]) -> tuple[dict[str, str], list[NewOutlet]]:
    """Map each item's outlet (an id or a name, any case) to an outlet id; create the unknown ones.

    `known` maps lower-cased outlet ids and names to ids.
    """
    mapping: dict[str, str] = {}
    created: list[NewOutlet] = []
    taken = set(known.values())
    for item in items:
        key = item.outlet.lower()
        if key in mapping:
            continue
        if key in known:
            mapping[key] = known[key]
            continue
        outlet_id = _unique(outlet_slug(item.outlet), taken)
        taken.add(outlet_id)
        mapping[key] = outlet_id
        created.append(NewOutlet(outlet_id=outlet_id, name=item.outlet, homepage=_homepage(item.url),
                                 language=item.language or "und"))
    return mapping, created


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _homepage(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def article_from_text(item: ArchiveItem, outlet_id: str) -> Article:
    """An article from an item that already carries its text."""
    url = canonical_url(item.url)
    return Article(article_id=article_id_for(url), outlet_id=outlet_id, url=url, page_url=url, entry_id="",
                   title=item.title, text=item.text.strip(), authors=(),
                   language=item.language or detect_language(item.text), published_at=item.published_at,
                   date_source="archive" if item.published_at else "none", partial=False, partial_reason="",
                   text_hash=text_fingerprint(item.text), extractor=TEXT_EXTRACTOR)


def page_from_item(item: ArchiveItem, outlet_id: str) -> Page:
    """The page of an item that carries HTML, as if it had been fetched."""
    assert item.html is not None
    fetched = item.fetched_at or datetime.now(timezone.utc)
    return Page(url=canonical_url(item.url), final_url=item.url, outlet_id=outlet_id, entry_id="",
                status=200, fetched_at=fetched, html=item.html, content_hash=content_hash(item.html))


def entry_from_item(item: ArchiveItem, outlet_id: str) -> FeedEntry:
    """A stand-in feed entry, so extraction can fall back on the archive's title, summary and date."""
    url = canonical_url(item.url)
    return FeedEntry(entry_id=stable_id("archive", url), feed_id="", outlet_id=outlet_id, entry_key=url, url=url,
                     title=item.title, summary=item.summary, content=item.text, authors=(),
                     published_at=item.published_at)


def in_publication_order(items: Sequence[ArchiveItem]) -> list[ArchiveItem]:
    """Items sorted by publication time (undated last), then by line."""
    far = datetime.max.replace(tzinfo=timezone.utc)
    return sorted(items, key=lambda i: (i.published_at or far, i.line))


def split_stored(items: Sequence[ArchiveItem], stored_urls: set[str]) -> tuple[list[ArchiveItem], list[ArchiveItem]]:
    """Items whose article is not stored yet, and those already stored (a rerun skips them)."""
    fresh = [i for i in items if canonical_url(i.url) not in stored_urls]
    return fresh, [i for i in items if canonical_url(i.url) in stored_urls]
