"""Turning extracted pages into articles with content-derived ids, deduplicated."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pipeline.ids import content_hash, stable_id
from pipeline.records import Article, Extraction, FeedEntry, Page


def article_id_for(canonical: str) -> str:
    """The id of the article at a canonical URL."""
    return stable_id("article", canonical)


def build_article(page: Page, extraction: Extraction) -> Article:
    """The article one page holds."""
    return Article(
        article_id=article_id_for(extraction.canonical_url), outlet_id=page.outlet_id,
        url=extraction.canonical_url, page_url=page.url, entry_id=page.entry_id,
        title=extraction.title, text=extraction.text, authors=extraction.authors,
        language=extraction.language, published_at=extraction.published_at,
        date_source=extraction.date_source, partial=extraction.partial,
        partial_reason=extraction.partial_reason, text_hash=text_fingerprint(extraction.text),
        extractor=extraction.extractor,
    )


def text_fingerprint(text: str) -> str:
    """A hash of the text with case and whitespace folded: the same story at two URLs."""
    return content_hash(" ".join(text.lower().split()))


def dedupe(articles: Iterable[Article], seen: dict[tuple[str, str], str]) -> tuple[list[Article], list[tuple[Article, str]]]:
    """Keep one article per id and per (outlet, text); the rest are duplicates of a kept one.

    `seen` maps (outlet_id, text_hash) to an article id already stored. The winner within a
    batch is deterministic: the earliest page URL in sort order. Copies across outlets are
    syndication, not duplicates, and are kept.
    """
    kept: dict[str, Article] = {}
    dupes: list[tuple[Article, str]] = []
    known = dict(seen)
    for article in sorted(articles, key=lambda a: (a.page_url, a.article_id)):
        if article.article_id in kept:
            dupes.append((article, article.article_id))
            continue
        text_key = (article.outlet_id, article.text_hash)
        original = known.get(text_key) if article.text else None
        if original and original != article.article_id:
            dupes.append((article, original))
            continue
        kept[article.article_id] = article
        known.setdefault(text_key, article.article_id)
    return list(kept.values()), dupes


def assemble(batch: Sequence[tuple[Page, FeedEntry | None]], results: dict[str, Any]) -> tuple[list[Article], list[tuple[str, str]]]:
    """Articles from extraction results keyed by page URL; failures as (page url, reason)."""
    articles: list[Article] = []
    failures: list[tuple[str, str]] = []
    for page, _entry in batch:
        result = results.get(page.url)
        if isinstance(result, Extraction) and result.text.strip():
            articles.append(build_article(page, result))
        else:
            failures.append((page.url, getattr(result, "reason", None) or "no text on page or in feed"))
    return articles, failures
