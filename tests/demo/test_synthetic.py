"""The synthetic world generator: determinism, sizes, gold consistency, disk round trip, serving."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import feedparser
import pytest
import trafilatura

from demo.server import DemoWorld
from demo.synthetic import article_text, generate_world, main, toml_document, write_corpus
from demo.world import DemoCorpus, load_corpus

REPO = Path(__file__).resolve().parents[2]
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
KINDS = {"wire", "public_broadcaster", "state_controlled", "private", "party_press",
         "official_source"}
LOOSENESS = {"exact", "approximate", "lower_bound", "upper_bound", "range"}


def words(article_paragraphs: tuple[str, ...]) -> int:
    """Whitespace-separated words of a body."""
    return sum(len(p.split()) for p in article_paragraphs)


def fetch(url: str) -> bytes:
    """GET a loopback URL (no proxies)."""
    with OPENER.open(url, timeout=10) as resp:
        return resp.read()


def first_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph."""
    return re.split(r"(?<=[.!?])\s+", paragraph, maxsplit=1)[0]


@pytest.fixture(scope="module")
def medium() -> DemoCorpus:
    """A world large enough for every designed difference to occur."""
    return generate_world(seed=11, outlets=20, events=150, articles=600)


# ---------------------------------------------------------------- determinism and sizes

def test_same_arguments_same_corpus() -> None:
    a = generate_world(seed=5, outlets=9, events=25)
    b = generate_world(seed=5, outlets=9, events=25)
    assert a == b
    assert [article_text(x) for x in a.articles] == [article_text(x) for x in b.articles]
    assert ([toml_document(g) for g in a.gold.values()]
            == [toml_document(g) for g in b.gold.values()])


def test_different_seeds_differ() -> None:
    a = generate_world(seed=5, outlets=9, events=25)
    b = generate_world(seed=6, outlets=9, events=25)
    assert [x.id for x in a.articles] != [x.id for x in b.articles]
    assert [x.body_paragraphs for x in a.articles] != [x.body_paragraphs for x in b.articles]


def test_deterministic_across_processes_and_hash_seeds() -> None:
    """String hashing differs between processes; the corpus must not."""
    code = ("import hashlib; from demo.synthetic import generate_world, article_text, "
            "toml_document; c = generate_world(seed=4, outlets=8, events=30, articles=90); "
            "h = hashlib.sha256(); [h.update(article_text(a).encode()) for a in c.articles]; "
            "[h.update(toml_document(g).encode()) for g in c.gold.values()]; print(h.hexdigest())")
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True,
                             capture_output=True, text=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


@pytest.mark.parametrize("outlets,events,articles", [(6, 10, None), (20, 100, 2000), (3, 40, 40),
                                                     (30, 200, 700)])
def test_counts(outlets: int, events: int, articles: int | None) -> None:
    corpus = generate_world(seed=2, outlets=outlets, events=events, articles=articles)
    assert len(corpus.outlets) == outlets
    assert [o.id for o in corpus.outlets] == [f"s{i:03d}" for i in range(1, outlets + 1)]
    assert len(corpus.gold) == events
    if articles is not None:
        assert len(corpus.articles) == articles
    assert sorted(a.id for a in corpus.articles) == sorted(
        aid for g in corpus.gold.values() for aid in g["articles"])
    for gold in corpus.gold.values():
        covering = {corpus.article(aid).outlet for aid in gold["articles"]}
        assert 1 <= len(covering) <= min(7, outlets)


def test_about_three_articles_per_event_by_default() -> None:
    corpus = generate_world(seed=8, outlets=25, events=400)
    assert 2.6 * 400 <= len(corpus.articles) <= 3.6 * 400
    spread = Counter(len({corpus.article(a).outlet for a in g["articles"]})
                     for g in corpus.gold.values())
    assert spread[1] + spread[2] > spread[6] + spread[7] > 0  # skewed: few events by many


def test_rejects_fewer_articles_than_events() -> None:
    with pytest.raises(ValueError):
        generate_world(seed=1, outlets=5, events=10, articles=9)


# ---------------------------------------------------------------- outlets and articles

def test_outlets_are_varied(medium: DemoCorpus) -> None:
    assert {o.ownership for o in medium.outlets} == KINDS
    assert {o.language for o in medium.outlets} >= {"en", "de", "fr"}
    assert Counter(o.language for o in medium.outlets).most_common(1)[0][0] == "en"
    assert {o.feed_format for o in medium.outlets} == {"rss", "atom"}
    assert {len(o.feeds) for o in medium.outlets} == {1, 2}
    assert len({o.name for o in medium.outlets}) == len(medium.outlets)
    for o in medium.outlets:
        assert set(o.tags) == {"bloc", "leaning"}
        assert re.fullmatch(r"[A-Z]{2}", o.country)
        assert all(f.startswith(f"{{base:{o.id}}}/") for f in o.feeds)


def test_word_counts_in_range(medium: DemoCorpus) -> None:
    counts = [words(a.body_paragraphs) for a in medium.articles]
    share = sum(300 <= n <= 900 for n in counts) / len(counts)
    assert share >= 0.95, (share, min(counts), max(counts))


def test_ids_paths_and_order(medium: DemoCorpus) -> None:
    assert len({a.id for a in medium.articles}) == len(medium.articles)
    assert list(medium.articles) == sorted(medium.articles, key=lambda a: (a.published, a.id))
    for a in medium.articles:
        day = a.published.strftime("%Y%m%d")
        assert a.id.startswith(f"{a.outlet}-{day}-")
        assert a.path == f"/{a.published:%Y/%m/%d}/{a.id.removeprefix(f'{a.outlet}-{day}-')}.html"
        assert a.published.tzinfo is not None and a.published.second == 0
        assert all(p and "\n" not in p and p == p.strip() for p in a.body_paragraphs)


def test_publication_within_days_of_the_event(medium: DemoCorpus) -> None:
    for gold in medium.gold.values():
        lags = [(medium.article(a).published.date() - gold["first_day"]).days
                for a in gold["articles"]]
        assert min(lags) >= 0 and min(lags) <= 3
        assert max(lags) <= 3 + 6  # follow-ups up to six days after a main article


def test_syndicated_copies_point_at_another_outlets_article(medium: DemoCorpus) -> None:
    copies = [a for a in medium.articles if a.syndicated_from]
    assert copies
    for copy in copies:
        original = medium.article(copy.syndicated_from)
        assert original.outlet != copy.outlet
        assert medium.outlet(original.outlet).ownership == "wire"
        assert original.event == copy.event and original.published < copy.published
        assert copy.body_paragraphs == original.body_paragraphs[:len(copy.body_paragraphs)]


def test_some_paywalled_articles(medium: DemoCorpus) -> None:
    walled = [a for a in medium.articles if a.paywalled]
    assert walled and len(walled) < len(medium.articles) / 10


# ---------------------------------------------------------------- gold

def test_gold_statements_are_verbatim(medium: DemoCorpus) -> None:
    for gold in medium.gold.values():
        for fact in gold["facts"]:
            assert fact["statements"], (gold["event"], fact["id"])
            for st in fact["statements"]:
                article = medium.article(st["article"])
                assert article.outlet == st["outlet"] and article.event == gold["event"]
                assert any(st["text"] in p for p in article.body_paragraphs), st


def test_gold_shape(medium: DemoCorpus) -> None:
    for event_id, gold in medium.gold.items():
        assert gold["event"] == event_id
        assert {"label", "first_day", "articles", "hard_cases", "notes", "facts",
                "numeric_conflicts", "omissions", "exclusives", "quote_variants",
                "framing"} <= set(gold)
        facts = {f["id"]: f for f in gold["facts"]}
        assert len(facts) == len(gold["facts"]) and 5 <= len(facts) <= 12
        assert 1 <= sum(f["kind"] == "quote" for f in facts.values()) <= 2
        for fact in facts.values():
            _check_fact(fact)
        for conflict in gold["numeric_conflicts"]:
            assert facts[conflict["fact"]]["kind"] == "quantity" and len(conflict["outlets"]) >= 2
        covering = {medium.article(a).outlet for a in gold["articles"]}
        for item in gold["omissions"] + gold["exclusives"]:
            assert item["fact"] in facts and item["outlet"] in covering
        for variant in gold["quote_variants"]:
            assert facts[variant["fact"]]["kind"] == "quote"
            assert variant["kind"] in {"trimmed", "paraphrased", "reattributed"}
        for framing in gold["framing"]:
            assert set(framing["terms"]) == covering


def _check_fact(fact: dict) -> None:
    """Quantities carry value, unit, looseness and attribution; quotes a speaker."""
    for st in fact["statements"]:
        if fact["kind"] == "quantity":
            assert "referent" in fact
            assert st["looseness"] in LOOSENESS and st["value_high"] >= st["value"] > 0
            assert st["unit"] and "attribution" in st
        if fact["kind"] == "quote":
            assert st["speaker"]


def test_gold_has_every_designed_difference(medium: DemoCorpus) -> None:
    golds = list(medium.gold.values())
    assert sum(len(g["numeric_conflicts"]) for g in golds) > 10
    assert sum(len(g["omissions"]) for g in golds) > 10
    assert sum(len(g["exclusives"]) for g in golds) > 10
    kinds = Counter(v["kind"] for g in golds for v in g["quote_variants"])
    assert set(kinds) == {"trimmed", "paraphrased", "reattributed"}
    looseness = Counter(st["looseness"] for g in golds for f in g["facts"]
                        if f["kind"] == "quantity" for st in f["statements"])
    assert set(looseness) == LOOSENESS
    attributed = [st["attribution"] for g in golds for f in g["facts"] if f["kind"] == "quantity"
                  for st in f["statements"]]
    assert any(a.startswith("according to") for a in attributed) and "" in attributed
    terms = {t for g in golds for fr in g["framing"] for t in fr["terms"].values()}
    assert {"exercise", "provocation", "war game", "strike", "riot"} <= terms
    cases = Counter(c for g in golds for c in g["hard_cases"])
    assert {"single-outlet", "syndicated", "follow-up", "agree"} <= set(cases)


def test_conflicting_figures_really_disagree(medium: DemoCorpus) -> None:
    for gold in medium.gold.values():
        facts = {f["id"]: f for f in gold["facts"]}
        for conflict in gold["numeric_conflicts"]:
            values = {st["outlet"]: (st["value"], st["value_high"])
                      for st in facts[conflict["fact"]]["statements"]}
            assert len({values[o] for o in conflict["outlets"]}) >= 2


# ---------------------------------------------------------------- disk round trip

def test_cli_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "world"
    assert main(["--seed", "1", "--outlets", "12", "--events", "40", "--articles", "150",
                 "--out", str(out)]) == 0
    assert "150 articles" in capsys.readouterr().out
    loaded = load_corpus(out)
    generated = generate_world(seed=1, outlets=12, events=40, articles=150)
    assert loaded.outlets == generated.outlets
    assert loaded.articles == generated.articles
    assert dict(loaded.gold) == dict(generated.gold)
    assert len(list((out / "gold").glob("*.toml"))) == 40


def test_writer_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "stray.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_corpus(generate_world(seed=1, outlets=3, events=3), tmp_path)


def test_module_entry_point(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "demo.synthetic", "--seed", "2", "--outlets", "4",
                    "--events", "5", "--out", str(tmp_path / "w")], cwd=REPO, check=True,
                   capture_output=True)
    assert load_corpus(tmp_path / "w").articles == generate_world(seed=2, outlets=4,
                                                                  events=5).articles


# ---------------------------------------------------------------- served on loopback

@pytest.fixture(scope="module")
def served() -> Iterator[DemoWorld]:
    """generate_world(seed=3, outlets=6, events=10) on loopback."""
    with DemoWorld(generate_world(seed=3, outlets=6, events=10)) as world:
        yield world


def test_feeds_parse_and_reach_every_article(served: DemoWorld) -> None:
    reached: set[tuple[str, str]] = set()
    for outlet in served.corpus.outlets:
        for feed_path in outlet.feed_paths:
            parsed = feedparser.parse(fetch(served.bases[outlet.id] + feed_path))
            assert not parsed.bozo, (outlet.id, feed_path, parsed.get("bozo_exception"))
            assert parsed.version == ("atom10" if outlet.feed_format == "atom" else "rss20")
            reached |= {(outlet.id, urlsplit(e.link).path) for e in parsed.entries}
    assert {(a.outlet, a.path) for a in served.corpus.articles} <= reached


def test_pages_extract_to_their_first_sentence(served: DemoWorld) -> None:
    for article in served.corpus.articles:
        html = fetch(served.url_of(article)).decode("utf-8")
        text = trafilatura.extract(html, include_comments=False) or ""
        assert first_sentence(article.body_paragraphs[0]) in text, article.id


# ---------------------------------------------------------------- speed (information only)

def test_generation_speed_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    started = time.perf_counter()
    corpus = generate_world(seed=1, outlets=40, events=3300, articles=10_000)
    elapsed = time.perf_counter() - started
    assert len(corpus.articles) == 10_000
    digest = hashlib.sha256(corpus.articles[-1].id.encode()).hexdigest()[:8]
    with capsys.disabled():
        print(f"\n[info] generate_world: 10,000 articles in {elapsed:.2f} s (last id #{digest})")
