"""The demo corpus on disk: outlets, articles and gold files, loaded into frozen records."""
from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Mapping

logger = logging.getLogger(__name__)

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
FeedFormat = Literal["rss", "atom"]
FEED_FORMATS: Mapping[str, FeedFormat] = MappingProxyType({
    "meridian": "rss", "hpr": "atom", "volga": "rss", "ledger": "rss", "tribune": "rss",
    "clarion": "rss", "alliance": "atom", "rundblick": "rss", "messager": "atom",
})
# A feed whose file stem is a key here carries only those sections; other feeds take the rest.
FEED_SECTIONS: Mapping[str, frozenset[str]] = MappingProxyType({
    "markets": frozenset({"markets", "business", "economy", "companies", "finance", "energy"}),
})
_BASE_RE = re.compile(r"\{base:([a-z0-9_-]+)\}")
_REQUIRED = ("id", "outlet", "event", "title", "byline", "dateline", "published", "section",
             "summary", "tags")


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoOutlet:
    """One outlet as outlets.toml lists it (URLs keep their `{base:<id>}` placeholder)."""

    id: str
    name: str
    homepage: str
    feeds: tuple[str, ...]
    language: str
    country: str
    ownership: str
    tags: Mapping[str, str]
    feed_format: FeedFormat

    @property
    def feed_paths(self) -> tuple[str, ...]:
        """The feed URLs with the `{base:<id>}` origin removed (paths such as `/feed/`)."""
        return tuple(strip_base(feed) for feed in self.feeds)


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoArticle:
    """One article: its front matter, its paragraphs and the path it is served at."""

    id: str
    outlet: str
    event: str
    title: str
    byline: tuple[str, ...]
    dateline: str
    published: datetime
    section: str
    summary: str
    tags: tuple[str, ...]
    syndicated_from: str | None = None
    paywalled: bool = False
    body_paragraphs: tuple[str, ...]
    path: str

    @property
    def slug(self) -> str:
        """The id without its `<outlet>-<yyyymmdd>-` prefix."""
        return self.path.rsplit("/", 1)[-1].removesuffix(".html")


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoCorpus:
    """The whole corpus: outlets in file order, articles by publication time, gold by event."""

    root: Path
    outlets: tuple[DemoOutlet, ...]
    articles: tuple[DemoArticle, ...]
    gold: Mapping[str, Mapping[str, Any]]

    def outlet(self, outlet_id: str) -> DemoOutlet:
        """Return the outlet with this id (KeyError if none)."""
        for outlet in self.outlets:
            if outlet.id == outlet_id:
                return outlet
        raise KeyError(outlet_id)

    def article(self, article_id: str) -> DemoArticle:
        """Return the article with this id (KeyError if none)."""
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    def articles_of(self, outlet_id: str) -> tuple[DemoArticle, ...]:
        """Return one outlet's articles, oldest first."""
        return tuple(a for a in self.articles if a.outlet == outlet_id)


def strip_base(url: str) -> str:
    """Remove a leading `{base:<id>}` placeholder from a corpus URL."""
    return _BASE_RE.sub("", url, count=1)


def fill_bases(text: str, bases: Mapping[str, str]) -> str:
    """Replace every `{base:<id>}` placeholder by that outlet's origin."""
    return _BASE_RE.sub(lambda m: bases[m.group(1)], text)


def feed_articles(outlet: DemoOutlet, feed_path: str,
                  articles: tuple[DemoArticle, ...] | list[DemoArticle]) -> list[DemoArticle]:
    """Select the articles of `outlet` that belong in the feed at `feed_path`."""
    own = [a for a in articles if a.outlet == outlet.id]
    sections = FEED_SECTIONS.get(_feed_stem(feed_path))
    if sections is not None:
        return [a for a in own if _section_key(a.section) in sections]
    claimed = {s for p in outlet.feed_paths for s in FEED_SECTIONS.get(_feed_stem(p), ())}
    return [a for a in own if _section_key(a.section) not in claimed]


def _feed_stem(feed_path: str) -> str:
    """The file stem of a feed path: `/rss/markets.xml` -> `markets`, `/feed/` -> `feed`."""
    name = feed_path.rstrip("/").rsplit("/", 1)[-1]
    return name.split(".", 1)[0].lower()


def _section_key(section: str) -> str:
    """A section name normalised for matching against FEED_SECTIONS."""
    return section.strip().lower()


def load_corpus(root: Path = CORPUS_DIR) -> DemoCorpus:
    """Load outlets.toml, articles/*.md and gold/*.toml; raise ValueError naming a bad file."""
    root = Path(root)
    outlets = load_outlets(root / "outlets.toml")
    known = {o.id for o in outlets}
    articles = [load_article(p, known) for p in sorted((root / "articles").glob("*.md"))]
    articles.sort(key=lambda a: (a.published, a.id))
    gold = {p.stem: _read_toml(p) for p in sorted((root / "gold").glob("*.toml"))}
    logger.debug("loaded %d outlets, %d articles, %d gold files from %s",
                 len(outlets), len(articles), len(gold), root)
    return DemoCorpus(root=root, outlets=tuple(outlets), articles=tuple(articles),
                      gold=MappingProxyType(gold))


def load_outlets(path: Path) -> list[DemoOutlet]:
    """Read the `[[outlets]]` tables of an outlets TOML file."""
    tables = _read_toml(path).get("outlets", [])
    return [_outlet(table, path) for table in tables]


def _outlet(table: dict[str, Any], path: Path) -> DemoOutlet:
    """Build a DemoOutlet from one `[[outlets]]` table."""
    try:
        oid = table["id"]
        return DemoOutlet(
            id=oid, name=table["name"], homepage=table["homepage"], feeds=tuple(table["feeds"]),
            language=table["language"], country=table["country"], ownership=table["ownership"],
            tags=MappingProxyType(dict(table.get("tags", {}))),
            feed_format=_feed_format(oid, table["feeds"]))
    except KeyError as exc:
        raise ValueError(f"{path}: outlet table lacks key {exc.args[0]!r}") from None


def _feed_format(outlet_id: str, feeds: list[str]) -> FeedFormat:
    """A demo outlet's known format; otherwise atom when a feed path names it, else rss."""
    known = FEED_FORMATS.get(outlet_id)
    if known is not None:
        return known
    return "atom" if any("atom" in strip_base(feed).lower() for feed in feeds) else "rss"


def _read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, naming it in the ValueError if it is invalid."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: invalid TOML: {exc}") from None


def load_article(path: Path, known_outlets: set[str] | frozenset[str]) -> DemoArticle:
    """Parse one article file; raise ValueError naming the file when it is malformed."""
    front, body = split_front_matter(path.read_text(encoding="utf-8"), path)
    _check_front(front, path, known_outlets)
    day, slug = _id_parts(front["id"], front["outlet"], path)
    published = _utc(front["published"], path)
    if published.date() != day:
        logger.warning("%s: id date %s differs from published date %s", path.name, day,
                       published.date())
    paragraphs = split_paragraphs(body)
    if not paragraphs:
        raise ValueError(f"{path}: article has no body paragraphs")
    return DemoArticle(
        id=front["id"], outlet=front["outlet"], event=front["event"], title=front["title"],
        byline=tuple(front["byline"]), dateline=front["dateline"], published=published,
        section=front["section"], summary=front["summary"], tags=tuple(front["tags"]),
        syndicated_from=front.get("syndicated_from") or None,
        paywalled=bool(front.get("paywalled", False)), body_paragraphs=paragraphs,
        path=f"/{day:%Y/%m/%d}/{slug}.html")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """Split `+++`-fenced TOML front matter from the body."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "+++":
        raise ValueError(f"{path}: missing +++ front matter at the top of the file")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        raise ValueError(f"{path}: front matter is not closed by a +++ line") from None
    try:
        front = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: invalid TOML front matter: {exc}") from None
    return front, "\n".join(lines[end + 1:])


def split_paragraphs(body: str) -> tuple[str, ...]:
    """Split a plain-prose body on blank lines, joining wrapped lines with one space."""
    blocks = re.split(r"\n\s*\n", body.strip())
    return tuple(" ".join(line.strip() for line in b.splitlines() if line.strip())
                 for b in blocks if b.strip())


def _check_front(front: dict[str, Any], path: Path, known: set[str] | frozenset[str]) -> None:
    """Reject front matter with missing keys, a foreign id or an unknown outlet."""
    missing = [key for key in _REQUIRED if key not in front]
    if missing:
        raise ValueError(f"{path}: front matter lacks {', '.join(missing)}")
    if front["id"] != path.stem:
        raise ValueError(f"{path}: id {front['id']!r} differs from the file name {path.stem!r}")
    if front["outlet"] not in known:
        raise ValueError(f"{path}: unknown outlet {front['outlet']!r}")
    if not isinstance(front["byline"], list) or not isinstance(front["tags"], list):
        raise ValueError(f"{path}: byline and tags must be arrays")


def _id_parts(article_id: str, outlet: str, path: Path) -> tuple[date, str]:
    """Split an article id into its date and slug."""
    match = re.fullmatch(rf"{re.escape(outlet)}-(\d{{8}})-([a-z0-9][a-z0-9-]*)", article_id)
    if match is None:
        raise ValueError(f"{path}: id {article_id!r} is not <outlet>-<yyyymmdd>-<slug>")
    try:
        day = datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"{path}: id {article_id!r} has an invalid date") from None
    return day, match.group(2)


def _utc(value: Any, path: Path) -> datetime:
    """A TOML datetime as an aware UTC datetime (a local one is taken as UTC)."""
    if not isinstance(value, datetime):
        raise ValueError(f"{path}: published must be a TOML datetime, got {value!r}")
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def demo_nights(corpus: DemoCorpus) -> list[datetime]:
    """One night per day from the first article's day to the last's: the end of each day, UTC."""
    if not corpus.articles:
        return []
    first = min(a.published for a in corpus.articles).date()
    last = max(a.published for a in corpus.articles).date()
    days = (last - first).days + 1
    return [datetime.combine(first + timedelta(days=d), time(23, 59, 59), tzinfo=timezone.utc) for d in range(days)]
