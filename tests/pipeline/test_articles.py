"""build_article, dedupe and assemble: ids from canonical URLs, deterministic duplicates."""
from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from pipeline.articles import article_id_for, assemble, build_article, dedupe, text_fingerprint
from pipeline.ids import content_hash
from pipeline.isolation import Failed
from pipeline.records import Article, Extraction, Page

FETCHED = datetime(2024, 7, 1, tzinfo=timezone.utc)
STORY = "The council approved the new bridge on Tuesday. Work starts in May and ends next spring."


def page(url: str, outlet: str = "courier", entry: str = "entry-1") -> Page:
    """A fetched page."""
    html = f"<html><body><p>{url}</p></body></html>".encode()
    return Page(url=url, final_url=url, outlet_id=outlet, entry_id=entry, status=200, fetched_at=FETCHED,
                html=html, content_hash=content_hash(html))


def extraction(canonical: str, text: str = STORY, **fields: object) -> Extraction:
    """What extract_article would return for a page."""
    values: dict = dict(title="Bridge approved", text=text, authors=("A. Writer",), language="en",
                        published_at=datetime(2024, 6, 30, tzinfo=timezone.utc), date_source="markup",
                        canonical_url=canonical, partial=False, extractor="trafilatura test")
    return Extraction(**(values | fields))


def article(url: str, outlet: str = "courier", text: str = STORY, canonical: str | None = None) -> Article:
    """An article built from a page at url (canonical defaults to url)."""
    return build_article(page(url, outlet), extraction(canonical or url, text))


# --- build_article -----------------------------------------------------------------------------------


def test_build_article_takes_identity_from_the_canonical_url() -> None:
    built = build_article(page("https://courier.example/a?utm_source=rss", entry="e9"),
                          extraction("https://courier.example/a", partial=True, partial_reason="teaser"))
    assert built.article_id == article_id_for("https://courier.example/a")
    assert built.url == "https://courier.example/a" and built.page_url == "https://courier.example/a?utm_source=rss"
    assert (built.outlet_id, built.entry_id) == ("courier", "e9")
    assert (built.partial, built.partial_reason, built.date_source) == (True, "teaser", "markup")
    assert built.text == STORY and built.text_hash == text_fingerprint(STORY)
    assert built.extractor == "trafilatura test" and built.authors == ("A. Writer",)


def test_article_id_is_stable_and_distinct() -> None:
    assert article_id_for("https://a.example/x") == article_id_for("https://a.example/x")
    assert article_id_for("https://a.example/x") != article_id_for("https://a.example/y")


def test_text_fingerprint_folds_case_and_whitespace_only() -> None:
    assert text_fingerprint("The  Bridge\n\nopens") == text_fingerprint("the bridge opens")
    assert text_fingerprint("the bridge opens") != text_fingerprint("the bridge opened")


# --- dedupe ------------------------------------------------------------------------------------------


def test_same_article_id_twice_keeps_one_deterministically() -> None:
    canonical = "https://courier.example/a"
    first = article("https://courier.example/a?utm_source=rss", canonical=canonical)
    second = article("https://courier.example/a#comments", canonical=canonical)
    for batch in ([first, second], [second, first]):
        kept, dupes = dedupe(batch, {})
        assert kept == [second]  # the earliest page URL in sort order ('#' < '?')
        assert dupes == [(first, second.article_id)]


def test_same_text_same_outlet_is_a_duplicate_of_the_first() -> None:
    a = article("https://courier.example/a")
    b = article("https://courier.example/b")
    c = article("https://courier.example/c", text="  THE council approved the new bridge on tuesday. "
                                                   "Work starts in May and ends next spring.  ")
    for batch in itertools.permutations([a, b, c]):
        kept, dupes = dedupe(batch, {})
        assert kept == [a]
        assert dupes == [(b, a.article_id), (c, a.article_id)]


def test_same_text_different_outlets_is_syndication_not_duplication() -> None:
    courier = article("https://courier.example/a", outlet="courier")
    ledger = article("https://ledger.example/wire/a", outlet="ledger")
    kept, dupes = dedupe([ledger, courier], {})
    assert sorted(a.outlet_id for a in kept) == ["courier", "ledger"] and dupes == []


def test_stored_text_makes_a_duplicate() -> None:
    stored_id = article_id_for("https://courier.example/yesterday")
    today = article("https://courier.example/today")
    kept, dupes = dedupe([today], {("courier", today.text_hash): stored_id})
    assert kept == [] and dupes == [(today, stored_id)]


def test_stored_text_of_another_outlet_is_not_a_duplicate() -> None:
    today = article("https://courier.example/today")
    kept, dupes = dedupe([today], {("ledger", today.text_hash): article_id_for("https://ledger.example/x")})
    assert kept == [today] and dupes == []


def test_the_stored_article_itself_is_kept_on_a_rerun() -> None:
    again = article("https://courier.example/a")
    kept, dupes = dedupe([again], {("courier", again.text_hash): again.article_id})
    assert kept == [again] and dupes == []


def test_seen_is_not_modified() -> None:
    seen = {("ledger", "h"): "id-1"}
    dedupe([article("https://courier.example/a"), article("https://courier.example/b")], seen)
    assert seen == {("ledger", "h"): "id-1"}


def test_different_texts_are_all_kept() -> None:
    batch = [article(f"https://courier.example/{i}", text=f"{STORY} Part {i}.") for i in range(5)]
    kept, dupes = dedupe(batch, {})
    assert sorted(a.page_url for a in kept) == sorted(a.page_url for a in batch) and dupes == []


def test_empty_text_is_never_a_text_duplicate() -> None:
    a, b = article("https://courier.example/a", text=""), article("https://courier.example/b", text="")
    kept, dupes = dedupe([a, b], {("courier", a.text_hash): "stored"})
    assert len(kept) == 2 and dupes == []


# --- assemble ----------------------------------------------------------------------------------------


def test_assemble_turns_results_into_articles_and_failures() -> None:
    pages = [page(f"https://courier.example/{name}") for name in ("ok", "slow", "empty", "missing", "blank")]
    results = {
        "https://courier.example/ok": extraction("https://courier.example/ok"),
        "https://courier.example/slow": Failed("deadline"),
        "https://courier.example/empty": extraction("https://courier.example/empty", text=""),
        "https://courier.example/blank": extraction("https://courier.example/blank", text=" \n\t "),
    }
    articles, failures = assemble([(p, None) for p in pages], results)
    assert [a.page_url for a in articles] == ["https://courier.example/ok"]
    assert articles[0] == build_article(pages[0], results["https://courier.example/ok"])
    assert failures == [("https://courier.example/slow", "deadline"),
                        ("https://courier.example/empty", "no text on page or in feed"),
                        ("https://courier.example/missing", "no text on page or in feed"),
                        ("https://courier.example/blank", "no text on page or in feed")]


@pytest.mark.parametrize("reason", ["memory_limit", "worker_died", "error: ValueError: bad"])
def test_assemble_keeps_the_failure_reason(reason: str) -> None:
    p = page("https://courier.example/x")
    assert assemble([(p, None)], {p.url: Failed(reason)}) == ([], [(p.url, reason)])


def test_assemble_then_dedupe_is_order_independent() -> None:
    urls = [f"https://courier.example/{i}" for i in range(4)]
    batch = [(page(u), None) for u in urls]
    results = {u: extraction(u, text=STORY if i % 2 else f"unique {i}") for i, u in enumerate(urls)}
    outcomes = set()
    for order in itertools.permutations(batch):
        articles, failures = assemble(list(order), results)
        kept, dupes = dedupe(articles, {})
        outcomes.add((tuple(sorted(a.page_url for a in kept)), tuple(sorted((d.page_url, o) for d, o in dupes))))
        assert failures == []
    assert len(outcomes) == 1
    (kept_urls, dupes_found), = outcomes
    assert kept_urls == tuple(urls[:2] + [urls[2]]) and dupes_found == ((urls[3], article_id_for(urls[1])),)


def test_replace_keeps_records_frozen() -> None:
    built = article("https://courier.example/a")
    with pytest.raises(AttributeError):
        built.text = "changed"  # type: ignore[misc]
    assert replace(built, text="changed").text == "changed" and built.text == STORY
