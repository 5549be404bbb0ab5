"""The demo world over real loopback HTTP: feeds, pages, caching, gzip, as_of, robots, config."""
from __future__ import annotations

import gzip
import html
import json
import re
import shutil
import tomllib
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import pytest

from demo.render import boilerplate_markers, pick_comments, render_feed, render_page, style_of
from demo.server import DemoWorld
from demo.world import CORPUS_DIR, FEED_SECTIONS, DemoCorpus, load_corpus

ATOM = "{http://www.w3.org/2005/Atom}"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
Response = tuple[int, dict[str, str], bytes]


# ---------------------------------------------------------------- helpers

def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Response:
    """GET a URL over loopback; return status, lower-cased headers and the raw body."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with OPENER.open(request, timeout=10) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def feed_links(body: bytes, feed_format: str) -> list[str]:
    """The entry links of an RSS or Atom feed."""
    root = ET.fromstring(body)
    if feed_format == "atom":
        return [link.get("href", "") for entry in root.iter(f"{ATOM}entry")
                for link in entry.iter(f"{ATOM}link") if link.get("rel") == "alternate"]
    return [item.findtext("link", "") for item in root.iter("item")]


def all_feed_links(world: DemoWorld) -> dict[tuple[str, str], str]:
    """(outlet, path) -> feed link, for every entry of every outlet's feeds."""
    links: dict[tuple[str, str], str] = {}
    for outlet in world.corpus.outlets:
        for feed_path in outlet.feed_paths:
            status, _, body = fetch(world.bases[outlet.id] + feed_path)
            assert status == 200, (outlet.id, feed_path)
            for link in feed_links(body, outlet.feed_format):
                links[(outlet.id, urlsplit(link).path)] = link
    return links


def words(text: str) -> Counter[str]:
    """Lower-cased word counts."""
    return Counter(re.findall(r"\w+", text.lower()))


def recall(body: str, extracted: str) -> float:
    """Share of the body's words (with multiplicity) found in the extracted text."""
    want, got = words(body), words(extracted)
    return sum(min(n, got[w]) for w, n in want.items()) / max(1, sum(want.values()))


# ---------------------------------------------------------------- a throwaway corpus

_SENTENCES = (
    "Officials in {place} said on {day} that the {topic} would go ahead as planned despite "
    "objections from several neighbouring governments.",
    "The {topic} involves about {n} people, according to figures released by the organisers, "
    "who described it as the largest undertaking of its kind in a decade.",
    "Critics argued that the cost of the {topic} had not been properly explained to the public "
    "and called for a debate in parliament before any further money was committed.",
    "\"We have prepared for this moment for a long time,\" a spokesperson in {place} told "
    "reporters, adding that the details would be published within days.",
    "Analysts said the decision reflected growing concern about security in the region and a "
    "desire to reassure allies that commitments made last year would be honoured.",
    "Local residents interviewed near {place} were divided, with some welcoming the attention "
    "and others complaining about disruption to roads, schools and businesses.",
    "The announcement came a week after a separate meeting at which ministers agreed to review "
    "spending plans and to publish a timetable for the next phase of the work.",
    "Opposition politicians questioned whether the {topic} was the best use of public money at "
    "a time when households were still struggling with high prices for food and energy.",
    "Independent experts noted that similar efforts in the past had taken longer than expected "
    "and that early estimates of their cost had almost always proved too low.",
    "Further talks are scheduled for next month, when officials from {place} and their partners "
    "are expected to report on progress and on the lessons learned so far.",
)
_TOPICS = ("exercise", "rail strike", "farm protest", "election", "summit", "inquiry")
_PLACES = ("Brussels", "Berlin", "Dublin", "London", "Paris", "Vilnius")


def _body(seed: int) -> str:
    """Six paragraphs of plausible prose, different for each seed."""
    topic, place = _TOPICS[seed % len(_TOPICS)], _PLACES[seed % len(_PLACES)]
    fill = {"topic": topic, "place": place, "day": "Thursday", "n": 1000 * (seed + 7)}
    sentences = [s.format(**fill) for s in _SENTENCES]
    paragraphs = [" ".join(sentences[(seed + i + k) % len(sentences)] for k in range(2))
                  for i in range(0, 10, 2)]
    paragraphs[0] = f"{place.upper()} (Demo) - " + paragraphs[0]
    paragraphs.append(f"This is the closing paragraph of demo story number {seed}, added so that "
                      "every paragraph of the article is different from the others.")
    return "\n\n".join(paragraphs)


def _write_article(root: Path, outlet: str, day: int, slug: str, seed: int, **extra: object
                   ) -> str:
    """Write one article file in FORMAT.md's schema; return its id."""
    article_id = f"{outlet}-202401{day:02d}-{slug}"
    front = {
        "id": article_id, "outlet": outlet, "event": "demo-event",
        "title": f"Demo story {seed}: {_TOPICS[seed % len(_TOPICS)]} & reaction <update>",
        "byline": [] if seed % 4 == 3 else ["Ana Demo", "Björn Test"][: 1 + seed % 2],
        "dateline": _PLACES[seed % len(_PLACES)].upper(),
        "section": extra.pop("section", "World"),
        "summary": f"A summary of demo story {seed}, with \"quotes\" & ampersands.",
        "tags": ["Demo", _TOPICS[seed % len(_TOPICS)].title()], **extra,
    }
    lines = ["+++"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()]
    lines.append(f"published = 2024-01-{day:02d}T{8 + seed % 12:02d}:{seed % 60:02d}:00Z")
    text = "\n".join(lines + ["+++", _body(seed), ""])
    (root / "articles" / f"{article_id}.md").write_text(text, encoding="utf-8")
    return article_id


def make_corpus(root: Path) -> Path:
    """A small corpus in FORMAT.md's schema: every outlet, a paywall, a syndicated copy."""
    (root / "articles").mkdir(parents=True)
    (root / "gold").mkdir()
    shutil.copy(CORPUS_DIR / "outlets.toml", root / "outlets.toml")
    outlets = ("meridian", "hpr", "volga", "ledger", "tribune", "clarion", "alliance",
               "rundblick", "messager")
    ids = [_write_article(root, o, 10 + i, f"story-{i}", i) for i, o in enumerate(outlets)]
    ids.append(_write_article(root, "meridian", 20, "second-story", 11))
    ids.append(_write_article(root, "ledger", 21, "markets-story", 12, section="Markets"))
    ids.append(_write_article(root, "ledger", 22, "paywalled-story", 13, paywalled=True))
    ids.append(_write_article(root, "clarion", 23, "syndicated", 14,
                              syndicated_from="meridian-20240110-story-0"))
    gold = f'event = "demo-event"\nlabel = "Demo"\nfirst_day = 2024-01-10\narticles = {ids!r}\n'
    (root / "gold" / "demo-event.toml").write_text(gold.replace("'", '"'), encoding="utf-8")
    return root


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module", params=["synthetic", "real"])
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> DemoCorpus:
    """The throwaway corpus, and the real one once it has articles."""
    if request.param == "synthetic":
        return load_corpus(make_corpus(tmp_path_factory.mktemp("corpus")))
    if not any((CORPUS_DIR / "articles").glob("*.md")):
        pytest.skip("demo/corpus/articles has no articles yet (being written in parallel)")
    return load_corpus()


@pytest.fixture(scope="module")
def world(corpus: DemoCorpus) -> Iterator[DemoWorld]:
    """A running world shared by the read-only tests."""
    with DemoWorld(corpus) as running:
        yield running


@pytest.fixture()
def fresh_world(corpus: DemoCorpus) -> Iterator[DemoWorld]:
    """A running world of its own, for tests that change as_of."""
    with DemoWorld(corpus) as running:
        yield running


# ---------------------------------------------------------------- loading

def test_load_corpus_fields(tmp_path: Path) -> None:
    """load_corpus reads outlets, articles (sorted, with paths) and gold files."""
    corpus = load_corpus(make_corpus(tmp_path))
    assert [o.id for o in corpus.outlets][:2] == ["meridian", "hpr"]
    assert {o.id: o.feed_format for o in corpus.outlets}["messager"] == "atom"
    assert corpus.outlet("ledger").feed_paths == ("/rss/markets.xml", "/rss/world.xml")
    assert [a.published for a in corpus.articles] == sorted(a.published for a in corpus.articles)
    article = corpus.article("ledger-20240122-paywalled-story")
    assert article.path == "/2024/01/22/paywalled-story.html" and article.paywalled
    assert article.published.tzinfo is not None and len(article.body_paragraphs) == 6
    assert corpus.article("clarion-20240123-syndicated").syndicated_from
    assert corpus.gold["demo-event"]["articles"][0] == "meridian-20240110-story-0"


@pytest.mark.parametrize("damage, message", [
    (lambda t: t.replace("+++\n", "", 1), "front matter"),
    (lambda t: t.replace('id = "meridian-20240110-story-0"', 'id = "meridian-20240110-x"'),
     "differs from the file name"),
    (lambda t: t.replace('outlet = "meridian"', 'outlet = "nowhere"'), "unknown outlet"),
])
def test_bad_article_names_the_file(tmp_path: Path, damage: Callable[[str], str],
                                    message: str) -> None:
    """A malformed article raises a ValueError that names its file."""
    root = make_corpus(tmp_path)
    path = root / "articles" / "meridian-20240110-story-0.md"
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        load_corpus(root)
    assert path.name in str(info.value)


# ---------------------------------------------------------------- feeds and pages

def test_every_article_is_reachable_from_the_feeds(world: DemoWorld) -> None:
    """Following the feed entries reaches every article page, and nothing else."""
    links = all_feed_links(world)
    assert set(links) == {(a.outlet, a.path) for a in world.corpus.articles}
    for (outlet_id, _), link in links.items():
        assert link.startswith(world.bases[outlet_id] + "/")
        status, headers, _ = fetch(link)
        assert status == 200 and headers["content-type"] == "text/html; charset=utf-8", link


def test_feeds_are_well_formed_with_tracking_for_some(world: DemoWorld) -> None:
    """Every feed parses cleanly; entry links carry tracking parameters only where styled."""
    feedparser = pytest.importorskip("feedparser")
    for outlet in world.corpus.outlets:
        for feed_path in outlet.feed_paths:
            _, headers, body = fetch(world.bases[outlet.id] + feed_path)
            assert headers["content-type"].startswith(f"application/{outlet.feed_format}+xml")
            assert body.startswith(b'<?xml version="1.0" encoding=')
            parsed = feedparser.parse(body)
            assert not parsed.bozo, (outlet.id, parsed.get("bozo_exception"))
            for entry in parsed.entries:
                assert entry.published_parsed and entry.title and entry.summary and entry.id
                assert ("?" in entry.link) == bool(style_of(outlet).tracking)


def test_ledger_splits_markets_from_world(world: DemoWorld) -> None:
    """The business daily's markets feed carries business sections, its world feed the rest."""
    ledger = world.corpus.outlet("ledger")
    markets, rest = (fetch(world.bases["ledger"] + p)[2] for p in ledger.feed_paths)
    for article in world.corpus.articles_of("ledger"):
        in_markets = article.path.encode() in markets
        assert in_markets != (article.path.encode() in rest)
        assert in_markets == (article.section.lower() in FEED_SECTIONS["markets"])


def test_pages_carry_title_and_every_paragraph(world: DemoWorld) -> None:
    """Each page has its <h1> title and every paragraph (only the first behind a paywall)."""
    for article in world.corpus.articles:
        status, _, raw = fetch(world.url_of(article))
        page = raw.decode("utf-8")
        assert status == 200 and f"<h1>{html.escape(article.title, quote=False)}</h1>" in page
        outlet = world.corpus.outlet(article.outlet)
        assert f'<html lang="{outlet.language}"' in page
        shown = article.body_paragraphs[:1] if article.paywalled else article.body_paragraphs
        for paragraph in shown:
            assert f"<p>{html.escape(paragraph, quote=False)}</p>" in page, article.id
        if article.paywalled:
            assert style_of(outlet).wall_title in page
            assert all(html.escape(p, quote=False) not in page
                       for p in article.body_paragraphs[1:])


def test_trafilatura_recovers_bodies_without_boilerplate(world: DemoWorld) -> None:
    """trafilatura gets >= 90% of each free body and no cookie, newsletter or comment text."""
    trafilatura = pytest.importorskip("trafilatura")
    for article in world.corpus.articles:
        if article.paywalled:
            continue
        outlet = world.corpus.outlet(article.outlet)
        page = fetch(world.url_of(article))[2].decode("utf-8")
        text = trafilatura.extract(page, include_comments=False) or ""
        score = recall("\n".join(article.body_paragraphs), text)
        assert score >= 0.9, f"{article.id}: trafilatura recovered {score:.0%} of the body"
        for marker in boilerplate_markers(outlet):
            assert marker not in text, f"{article.id}: boilerplate leaked: {marker[:40]}"


def test_metadata_variants(world: DemoWorld) -> None:
    """JSON-LD, Open Graph article times, or nothing but the URL date, by outlet."""
    for article in world.corpus.articles:
        page = fetch(world.url_of(article))[2].decode("utf-8")
        kind = style_of(world.corpus.outlet(article.outlet)).meta
        assert ('"@type": "NewsArticle"' in page) == (kind == "jsonld"), article.id
        assert ('property="article:published_time"' in page) == (kind == "og"), article.id
        assert ("<time " in page) == (kind != "url"), article.id
        canonical = f'<link rel="canonical" href="{world.url_of(article)}">'
        assert (canonical in page) == (kind != "url"), article.id
        if kind == "jsonld":
            match = re.search(r'ld\+json">(.*?)</script>', page, re.S)
            assert match is not None
            data = json.loads(match.group(1))
            assert data["headline"] == article.title
            assert datetime.fromisoformat(data["datePublished"]) == article.published


def test_comments_only_for_clarion_and_volga(world: DemoWorld) -> None:
    """Two to four reader comments on clarion and volga pages, none elsewhere."""
    for article in world.corpus.articles:
        page = fetch(world.url_of(article))[2].decode("utf-8")
        chosen = pick_comments(article, style_of(world.corpus.outlet(article.outlet)))
        assert bool(chosen) == (article.outlet in {"clarion", "volga"})
        assert 2 <= len(chosen) <= 4 or not chosen
        assert all(html.escape(text, quote=False) in page for _, text in chosen)


def test_rendering_is_deterministic(world: DemoWorld) -> None:
    """The same corpus renders to the same bytes, loaded twice or fetched twice."""
    again = load_corpus(world.corpus.root)
    now = datetime(2024, 2, 1, tzinfo=timezone.utc)
    for outlet in world.corpus.outlets:
        arts, arts2 = world.corpus.articles_of(outlet.id), again.articles_of(outlet.id)
        base = "http://127.0.0.1:1"
        assert render_feed(outlet, arts, base, now) == render_feed(outlet, arts2, base, now)
        if arts:
            assert render_page(outlet, arts[-1], base) == render_page(outlet, arts2[-1], base)
    article = world.corpus.articles[-1]
    assert fetch(world.url_of(article))[2] == fetch(world.url_of(article))[2]


# ---------------------------------------------------------------- HTTP behaviour

def test_conditional_get_answers_304(world: DemoWorld) -> None:
    """ETag and Last-Modified validators give 304 with an empty body on a repeat request."""
    outlet = world.corpus.outlets[0]
    article = world.corpus.articles_of(outlet.id)[-1]
    for url in (world.bases[outlet.id] + outlet.feed_paths[0], world.url_of(article)):
        status, headers, body = fetch(url)
        assert status == 200 and headers["etag"].startswith('"') and headers["last-modified"]
        status, again, empty = fetch(url, {"If-None-Match": headers["etag"]})
        assert (status, empty, again["etag"]) == (304, b"", headers["etag"])
        assert fetch(url, {"If-Modified-Since": headers["last-modified"]})[0] == 304
        older = format_datetime(datetime(2023, 1, 1, tzinfo=timezone.utc), usegmt=True)
        assert fetch(url, {"If-Modified-Since": older})[0] == 200
        assert fetch(url, {"If-None-Match": '"nope"'})[2] == body


def test_gzip_when_asked(world: DemoWorld) -> None:
    """Accept-Encoding: gzip gets a gzipped body with Content-Encoding and Vary."""
    article = world.corpus.articles[0]
    _, plain_headers, plain = fetch(world.url_of(article))
    status, headers, packed = fetch(world.url_of(article), {"Accept-Encoding": "gzip, br"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers["vary"].lower() and "content-encoding" not in plain_headers
    assert gzip.decompress(packed) == plain and int(headers["content-length"]) == len(packed)


def test_routing_queries_and_404(world: DemoWorld) -> None:
    """Query strings are ignored, unknown paths 404, the homepage lists articles, HEAD works."""
    article = world.corpus.articles[0]
    base = world.bases[article.outlet]
    assert fetch(world.url_of(article) + "?utm_source=x&print=1")[0] == 200
    assert fetch(base + "/no/such/page.html")[0] == 404
    assert fetch(base + "/private/secret.html")[0] == 404
    status, _, home = fetch(base + "/")
    assert status == 200 and article.path.encode() in home
    assert fetch(world.url_of(article), method="HEAD")[2] == b""


def test_as_of_hides_later_articles(fresh_world: DemoWorld) -> None:
    """Articles published after as_of are in no feed, on no homepage, and 404."""
    articles = fresh_world.corpus.articles
    cutoff = articles[len(articles) // 2].published
    fresh_world.as_of = cutoff
    visible = {(a.outlet, a.path) for a in articles if a.published <= cutoff}
    assert set(all_feed_links(fresh_world)) == visible
    later = [a for a in articles if a.published > cutoff]
    assert later and fetch(fresh_world.url_of(later[0]))[0] == 404
    assert later[0].path.encode() not in fetch(fresh_world.bases[later[0].outlet] + "/")[2]
    fresh_world.as_of = cutoff + timedelta(days=365)
    assert fetch(fresh_world.url_of(later[0]))[0] == 200


def test_robots_txt(world: DemoWorld) -> None:
    """robots.txt disallows /private/ everywhere and print views on the clarion."""
    for outlet in world.corpus.outlets:
        status, headers, body = fetch(world.bases[outlet.id] + "/robots.txt")
        assert status == 200 and headers["content-type"].startswith("text/plain")
        assert b"User-agent: *\nDisallow: /private/\n" in body
        assert (b"Disallow: /*?print=" in body) == (outlet.id == "clarion")


def test_request_log_records_requests(world: DemoWorld) -> None:
    """Each request is logged with outlet, method, path, headers and a monotonic time."""
    outlet = world.corpus.outlets[-1]
    fetch(world.bases[outlet.id] + "/robots.txt", {"User-Agent": "demo-test/1"})
    record = world.requests_snapshot()[-1]
    assert record[:3] == (outlet.id, "GET", "/robots.txt")
    assert record.headers["user-agent"] == "demo-test/1" and record.at > 0


def test_write_config(world: DemoWorld, tmp_path: Path) -> None:
    """The written config parses, has no placeholder left and points at live feeds."""
    path = world.write_config(tmp_path / "outlets.toml", min_gap_s=0.25)
    text = path.read_text(encoding="utf-8")
    assert "{base:" not in text
    config = tomllib.loads(text)
    assert config["fetch"] == {"allowed_hosts": ["127.0.0.1"], "per_host_min_gap_s": 0.25}
    assert [o["id"] for o in config["outlets"]] == [o.id for o in world.corpus.outlets]
    for table in config["outlets"]:
        base = world.bases[table["id"]]
        assert table["homepage"] == base + "/"
        assert all(feed.startswith(base + "/") for feed in table["feeds"])
        assert fetch(table["feeds"][0])[0] == 200
