"""End to end: the real Prefect flow over a loopback site with faults, run twice."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.nightly import RunFailed, nightly
from tests.flows.site import build_site, expected_pages, write_config
from tests.support.server import ScriptedServer

GOOD_FEEDS = ["/feeds/rss2.xml", "/feeds/atom.xml", "/feeds/broken.xml", "/feeds/moved.xml", "/feeds/extra.xml"]
BAD_FEEDS = ["/feeds/gone.xml", "/feeds/error.xml", "/feeds/stall.xml", "/feeds/trickle.xml"]


def _counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("outlets", "feeds", "feed_entries", "pages", "articles", "extractions")}


def _rows(db: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory: pytest.TempPathFactory):
    """Run the nightly flow twice against the same site; keep what each run saw."""
    tmp = tmp_path_factory.mktemp("nightly")
    with ScriptedServer() as server:
        build_site(server)
        config = write_config(server, tmp / "outlets.toml", GOOD_FEEDS + BAD_FEEDS)
        db = tmp / "data" / "warehouse.duckdb"
        failures = []
        for _ in range(2):
            try:
                nightly(config=str(config), db=str(db), data_dir=str(tmp / "data"))
            except RunFailed as exc:  # half the feeds are broken on purpose: the verdict is failure
                failures.append(str(exc))
            failures.append(_counts(db))
        hits = list(server.hits)
    return dict(db=db, data=tmp / "data", results=failures, hits=hits, server_base=server.base)


def test_both_runs_end_failed_because_half_the_feeds_fail(two_nights):
    verdicts = [r for r in two_nights["results"] if isinstance(r, str)]
    assert len(verdicts) == 2
    assert all("4 of 9 feeds failed" in v for v in verdicts)
    statuses = _rows(two_nights["db"], "SELECT status FROM runs ORDER BY started_at")
    assert [s for (s,) in statuses] == ["failed", "failed"]


def test_second_run_adds_nothing(two_nights):
    first, second = [r for r in two_nights["results"] if isinstance(r, dict)]
    assert first == second
    assert first["articles"] >= 6
    assert first["outlets"] == 1 and first["feeds"] == 9


def test_every_usable_fixture_page_became_one_article(two_nights):
    titles = {t for (t,) in _rows(two_nights["db"], "SELECT title FROM articles")}
    for spec in expected_pages().values():
        assert spec["title"] in titles


def test_no_duplicate_keys(two_nights):
    db = two_nights["db"]
    assert _rows(db, "SELECT count(*) - count(DISTINCT url) FROM articles") == [(0,)]
    assert _rows(db, "SELECT count(*) - count(DISTINCT entry_id) FROM feed_entries") == [(0,)]


def test_tracking_parameters_dropped_from_article_urls(two_nights):
    urls = [u for (u,) in _rows(two_nights["db"], "SELECT url FROM articles")]
    assert urls and not any("utm_" in u for u in urls)


def test_failures_are_recorded_with_classified_reasons(two_nights):
    rows = _rows(two_nights["db"], """
        SELECT regexp_extract(url, '/feeds/(.*)$', 1), outcome, reason FROM fetch_attempts
        WHERE kind = 'feed' AND outcome IN ('transient', 'permanent')""")
    by_feed = {}
    for feed, outcome, reason in rows:
        by_feed.setdefault(feed, set()).add((outcome, reason))
    assert by_feed["gone.xml"] == {("permanent", "http_404")}
    assert by_feed["error.xml"] == {("transient", "http_500")}
    assert by_feed["stall.xml"] == {("transient", "read_timeout")}
    assert by_feed["trickle.xml"] == {("transient", "deadline")}


def test_conditional_get_on_the_second_night(two_nights):
    rows = _rows(two_nights["db"], """
        SELECT r.rn, a.outcome, a.reason FROM fetch_attempts a
        JOIN (SELECT run_id, row_number() OVER (ORDER BY started_at) rn FROM runs) r USING (run_id)
        WHERE a.kind = 'feed' AND a.url LIKE '%/rss2.xml' ORDER BY r.rn""")
    assert rows == [(1, "ok", "ok"), (2, "not_modified", "http_304")]
    conditional = [h for h in two_nights["hits"] if h.path == "/feeds/rss2.xml" and "if-none-match" in h.headers]
    assert len(conditional) == 1


def test_redirect_and_malformed_feed_recorded(two_nights):
    moved = _rows(two_nights["db"], "SELECT final_url, redirects FROM fetch_attempts "
                                     "WHERE url LIKE '%/moved.xml' ORDER BY started_at LIMIT 1")
    assert moved[0][0].endswith("/feeds/atom.xml") and moved[0][1][0].endswith("/feeds/moved.xml")
    problems = _rows(two_nights["db"], "SELECT parse_problem, entries FROM fetch_attempts "
                                        "WHERE url LIKE '%/broken.xml' AND outcome = 'ok'")
    assert problems and problems[0][0].startswith("malformed") and problems[0][1] >= 2


def test_partial_pages_fall_back_and_are_flagged(two_nights):
    partial = _rows(two_nights["db"], "SELECT title, partial_reason FROM articles WHERE is_partial")
    unusable = {s["title"] for s in expected_pages().values() if not s["usable"]}
    assert unusable and unusable <= {t for t, _ in partial}


def test_wrong_charset_header_does_not_garble_text(two_nights):
    texts = [t for (t,) in _rows(two_nights["db"], "SELECT text FROM articles WHERE url LIKE '%food-fair%'")]
    assert texts and "\ufffd" not in texts[0] and "Ã" not in texts[0]


def test_raw_html_kept_compressed_for_reextraction(two_nights):
    import gzip

    rows = _rows(two_nights["db"], "SELECT bytes, html_gz FROM pages")
    assert rows and all(len(gzip.decompress(blob)) == size for size, blob in rows)


def test_stage_counts_and_report_written(two_nights):
    stages = _rows(two_nights["db"], "SELECT stage, items_in FROM run_stages ORDER BY started_at LIMIT 3")
    assert [s for s, _ in stages] == ["feeds", "pages", "extract"]
    reports = list((two_nights["data"] / "reports").glob("*.md"))
    latest = (two_nights["data"] / "reports" / "latest.md").read_text(encoding="utf-8")
    assert len(reports) == 3 and "http_404" in latest and "read_timeout" in latest


def test_robots_disallowed_page_is_never_fetched(two_nights):
    assert not [h for h in two_nights["hits"] if h.path.startswith("/private/")]
    reasons = _rows(two_nights["db"], "SELECT DISTINCT reason FROM fetch_attempts WHERE url LIKE '%/private/%'")
    assert reasons == [("robots_disallowed",)]


def test_page_redirect_to_known_article_is_deduplicated(two_nights):
    rows = _rows(two_nights["db"], "SELECT outcome, reason FROM extractions WHERE page_url LIKE '%short-link%'")
    assert rows and rows[0][0] == "duplicate"


def test_robots_fetched_once_per_run_at_most(two_nights):
    robots = [h for h in two_nights["hits"] if h.path == "/robots.txt"]
    assert 1 <= len(robots) <= 2
