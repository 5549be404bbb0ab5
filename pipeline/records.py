"""The typed records that flow between the stages."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Outcome(str, enum.Enum):
    """How one attempt to fetch a URL ended."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    TRANSIENT = "transient"
    PERMANENT = "permanent"


@dataclass(frozen=True, slots=True, kw_only=True)
class Validators:
    """What we remember of a URL's last good response, for conditional GET."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchResult:
    """One fetch of one URL: the outcome as data, never an exception."""

    url: str
    final_url: str
    outcome: Outcome
    reason: str
    status: int | None = None
    body: bytes | None = None
    content_type: str = ""
    bytes_read: int = 0
    elapsed_s: float = 0.0
    started_at: datetime
    validators: Validators = field(default_factory=Validators)
    redirects: tuple[str, ...] = ()
    retry_after_s: float | None = None
    tries: int = 1

    @property
    def ok(self) -> bool:
        """True when a fresh body arrived."""
        return self.outcome is Outcome.OK


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedEntry:
    """One item of a feed, with its link canonicalised."""

    entry_id: str
    feed_id: str
    outlet_id: str
    entry_key: str
    url: str
    title: str
    summary: str
    content: str
    authors: tuple[str, ...]
    published_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedFeed:
    """What a feed body yielded, and what was wrong with it."""

    entries: tuple[FeedEntry, ...]
    problem: str = ""
    version: str = ""
    dropped: int = 0

    @property
    def usable(self) -> bool:
        """True when the body was a feed we could read at least partly."""
        return bool(self.entries) or not self.problem


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """One fetched article page, raw HTML kept for re-extraction."""

    url: str
    final_url: str
    outlet_id: str
    entry_id: str
    status: int
    fetched_at: datetime
    html: bytes
    content_hash: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Extraction:
    """What extract_article found in one page."""

    title: str
    text: str
    authors: tuple[str, ...]
    language: str
    published_at: datetime | None
    date_source: str
    canonical_url: str
    partial: bool
    partial_reason: str = ""
    extractor: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One article: the unit everything later compares."""

    article_id: str
    outlet_id: str
    url: str
    page_url: str
    entry_id: str
    title: str
    text: str
    authors: tuple[str, ...]
    language: str
    published_at: datetime | None
    date_source: str
    partial: bool
    partial_reason: str
    text_hash: str
    extractor: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedTarget:
    """A feed to fetch, with what we remember of it."""

    feed_id: str
    outlet_id: str
    url: str
    validators: Validators = Validators()


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedHarvest:
    """One feed's fetch and, when a body came, its parse."""

    target: FeedTarget
    result: FetchResult
    parsed: ParsedFeed | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PageTarget:
    """A page to fetch, found in a feed entry."""

    url: str
    outlet_id: str
    entry_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PageHarvest:
    """One page's fetch; `page` is set when fresh HTML arrived."""

    target: PageTarget
    result: FetchResult
    page: Page | None


@dataclass(frozen=True, slots=True, kw_only=True)
class NewOutlet:
    """An outlet first met in an archive, created from its name."""

    outlet_id: str
    name: str
    homepage: str
    language: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleText:
    """An article's text and time as matching reads it, with its current event when it has one."""

    article_id: str
    outlet_id: str
    published_at: datetime
    title: str
    text: str
    event_id: str | None = None
