"""Read queries the flows need: what to fetch, what to extract, how runs went."""
from __future__ import annotations

import gzip
from datetime import datetime
from typing import Any
from collections.abc import Iterator

import duckdb

from pipeline.records import ArticleText, FeedEntry, FeedTarget, Page, PageTarget, Validators


def feed_targets(con: duckdb.DuckDBPyConnection) -> list[FeedTarget]:
    """Active feeds with the validators of their last successful fetch."""
    rows = con.execute("""
        WITH good AS (
            SELECT target_id, etag, last_modified, body_hash,
                   row_number() OVER (PARTITION BY target_id ORDER BY started_at DESC) AS n
            FROM fetch_attempts WHERE kind = 'feed' AND outcome IN ('ok', 'not_modified'))
        SELECT f.feed_id, f.outlet_id, f.url, g.etag, g.last_modified, g.body_hash
        FROM feeds f LEFT JOIN good g ON g.target_id = f.feed_id AND g.n = 1
        WHERE f.active ORDER BY f.outlet_id, f.url""").fetchall()
    return [FeedTarget(feed_id=r[0], outlet_id=r[1], url=r[2],
                       validators=Validators(etag=r[3], last_modified=r[4], body_hash=r[5])) for r in rows]


def pending_pages(con: duckdb.DuckDBPyConnection, *, max_attempts: int) -> list[PageTarget]:
    """Entry URLs not fetched yet, not failed for good, not failed transiently too often."""
    rows = con.execute("""
        WITH tries AS (
            SELECT url, count(*) FILTER (WHERE outcome = 'permanent') AS permanent,
                        count(*) FILTER (WHERE outcome = 'transient') AS transient
            FROM fetch_attempts WHERE kind = 'page' GROUP BY url)
        SELECT e.url, arg_min(e.outlet_id, e.first_seen_at), arg_min(e.entry_id, e.first_seen_at)
        FROM feed_entries e
        LEFT JOIN pages p ON p.url = e.url
        LEFT JOIN tries t ON t.url = e.url
        WHERE p.url IS NULL AND coalesce(t.permanent, 0) = 0 AND coalesce(t.transient, 0) < ?
        GROUP BY e.url ORDER BY e.url""", [max_attempts]).fetchall()
    return [PageTarget(url=r[0], outlet_id=r[1], entry_id=r[2]) for r in rows]


_PENDING_EXTRACTIONS = """
    WITH tries AS (
        SELECT page_url, count(*) FILTER (WHERE outcome IN ('ok', 'duplicate')) AS done,
                         count(*) FILTER (WHERE outcome = 'failed') AS failed
        FROM extractions GROUP BY page_url)
    SELECT p.url FROM pages p LEFT JOIN tries t ON t.page_url = p.url
    WHERE coalesce(t.done, 0) = 0 AND coalesce(t.failed, 0) < ? ORDER BY p.url"""


def count_pending_extractions(con: duckdb.DuckDBPyConnection, *, max_attempts: int) -> int:
    """How many pages still wait for extraction."""
    return con.execute(f"SELECT count(*) FROM ({_PENDING_EXTRACTIONS})", [max_attempts]).fetchone()[0]


def pending_extractions(con: duckdb.DuckDBPyConnection, *, max_attempts: int,
                        batch: int = 200) -> Iterator[list[tuple[Page, FeedEntry | None]]]:
    """Pages with no article yet, with their feed entries, in batches."""
    urls = [r[0] for r in con.execute(_PENDING_EXTRACTIONS, [max_attempts]).fetchall()]
    for start in range(0, len(urls), batch):
        yield _pages_with_entries(con, urls[start:start + batch])


def _pages_with_entries(con: duckdb.DuckDBPyConnection, urls: list[str]) -> list[tuple[Page, FeedEntry | None]]:
    rows = con.execute("""
        SELECT p.url, p.final_url, p.outlet_id, p.entry_id, p.http_status, p.fetched_at, p.html_gz, p.content_hash,
               e.feed_id, e.entry_key, e.url, e.title, e.summary, e.content, e.authors, e.published_at
        FROM pages p LEFT JOIN feed_entries e ON e.entry_id = p.entry_id
        WHERE p.url IN (SELECT unnest(?)) ORDER BY p.url""", [urls]).fetchall()
    return [(_page(r), _entry(r)) for r in rows]


def _page(r: tuple[Any, ...]) -> Page:
    return Page(url=r[0], final_url=r[1], outlet_id=r[2], entry_id=r[3], status=r[4], fetched_at=r[5],
                html=gzip.decompress(r[6]), content_hash=r[7])


def _entry(r: tuple[Any, ...]) -> FeedEntry | None:
    if r[8] is None:
        return None
    return FeedEntry(entry_id=r[3], feed_id=r[8], outlet_id=r[2], entry_key=r[9], url=r[10], title=r[11] or "",
                     summary=r[12] or "", content=r[13] or "", authors=tuple(r[14] or ()), published_at=r[15])


def known_text_hashes(con: duckdb.DuckDBPyConnection, outlet_ids: list[str]) -> dict[tuple[str, str], str]:
    """(outlet, text hash) → article id, for the outlets of a batch."""
    rows = con.execute("SELECT outlet_id, text_hash, min(article_id) FROM articles "
                       "WHERE outlet_id IN (SELECT unnest(?)) GROUP BY ALL", [outlet_ids]).fetchall()
    return {(r[0], r[1]): r[2] for r in rows}


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int = 10) -> list[dict[str, Any]]:
    """The latest runs, newest first, with their stages."""
    runs = con.execute("""SELECT run_id, kind, status, started_at, finished_at,
                                 epoch(finished_at - started_at) AS seconds, summary, error
                          FROM runs ORDER BY started_at DESC LIMIT ?""", [limit]).fetchall()
    stages = con.execute("SELECT run_id, stage, seconds, items_in, items_ok, items_failed FROM run_stages "
                         "ORDER BY started_at").fetchall()
    names = ["run_id", "kind", "status", "started_at", "finished_at", "seconds", "summary", "error"]
    result = [dict(zip(names, r)) for r in runs]
    for run in result:
        run["stages"] = [dict(zip(["stage", "seconds", "in", "ok", "failed"], s[1:])) for s in stages
                         if s[0] == run["run_id"]]
    return result


def feed_health(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Per active feed: last outcome and reason, last success, failures in a row."""
    rows = con.execute("""
        WITH a AS (
            SELECT target_id, outcome, reason, http_status, started_at,
                   row_number() OVER (PARTITION BY target_id ORDER BY started_at DESC) AS n
            FROM fetch_attempts WHERE kind = 'feed'),
        streak AS (
            SELECT target_id, count(*) AS failures FROM a
            WHERE n < coalesce((SELECT min(n) FROM a a2 WHERE a2.target_id = a.target_id
                                 AND a2.outcome IN ('ok', 'not_modified')), 1e9)
            GROUP BY target_id)
        SELECT f.outlet_id, f.url, l.outcome, l.reason, l.http_status, l.started_at,
               (SELECT max(started_at) FROM a WHERE a.target_id = f.feed_id AND outcome IN ('ok','not_modified')),
               coalesce(s.failures, 0)
        FROM feeds f LEFT JOIN a l ON l.target_id = f.feed_id AND l.n = 1
        LEFT JOIN streak s ON s.target_id = f.feed_id
        WHERE f.active ORDER BY f.outlet_id, f.url""").fetchall()
    names = ["outlet", "url", "outcome", "reason", "status", "last_fetch", "last_ok", "failures_in_a_row"]
    return [dict(zip(names, r)) for r in rows]


def articles_by_outlet(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple[str, int, int]]:
    """(outlet, new articles, partial ones) written by a run."""
    return [tuple(r) for r in con.execute(
        "SELECT outlet_id, count(*), count(*) FILTER (WHERE is_partial) FROM articles WHERE run_id = ? "
        "GROUP BY outlet_id ORDER BY outlet_id", [run_id]).fetchall()]


def outlet_keys(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Lower-cased outlet ids and names → outlet id."""
    keys: dict[str, str] = {}
    for outlet_id, name in con.execute("SELECT outlet_id, name FROM outlets ORDER BY outlet_id").fetchall():
        keys.setdefault(name.lower(), outlet_id)
        keys[outlet_id.lower()] = outlet_id
    return keys


def stored_article_urls(con: duckdb.DuckDBPyConnection, urls: list[str]) -> set[str]:
    """Which of these canonical URLs already have an article or a page."""
    rows = con.execute("SELECT url FROM articles WHERE url IN (SELECT unnest(?)) "
                       "UNION SELECT url FROM pages WHERE url IN (SELECT unnest(?))", [urls, urls]).fetchall()
    return {r[0] for r in rows}


def unmatched_articles(con: duckdb.DuckDBPyConnection) -> list[ArticleText]:
    """Articles not yet placed in an event (publication time, else extraction time)."""
    rows = con.execute("""
        SELECT a.article_id, a.outlet_id, coalesce(a.published_at, a.extracted_at), coalesce(a.title, ''), a.text
        FROM articles a ANTI JOIN event_assignments x USING (article_id)
        ORDER BY 3, 1""").fetchall()
    return [ArticleText(article_id=r[0], outlet_id=r[1], published_at=r[2], title=r[3], text=r[4]) for r in rows]


def window_articles(con: duckdb.DuckDBPyConnection, since: datetime) -> list[ArticleText]:
    """Placed articles published since a time, with their event after the user's decisions."""
    rows = con.execute("""
        SELECT a.article_id, a.outlet_id, coalesce(a.published_at, a.extracted_at), coalesce(a.title, ''), a.text,
               e.event_id
        FROM articles a JOIN article_events e USING (article_id)
        WHERE coalesce(a.published_at, a.extracted_at) >= ?
        ORDER BY 3, 1""", [since]).fetchall()
    return [ArticleText(article_id=r[0], outlet_id=r[1], published_at=r[2], title=r[3], text=r[4], event_id=r[5])
            for r in rows]


def outlet_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Outlet id → name."""
    return dict(con.execute("SELECT outlet_id, name FROM outlets").fetchall())


def event_list(con: duckdb.DuckDBPyConnection, *, since: datetime | None, limit: int) -> list[dict[str, Any]]:
    """Events newest first: id, label, first and last seen, articles, outlets, originators."""
    rows = con.execute("""SELECT event_id, label, first_seen, last_seen, articles, outlets, originators, outlet_ids
                          FROM events WHERE ? IS NULL OR last_seen >= ?
                          ORDER BY last_seen DESC NULLS LAST, event_id LIMIT ?""", [since, since, limit]).fetchall()
    names = ["event_id", "label", "first_seen", "last_seen", "articles", "outlets", "originators", "outlet_ids"]
    return [dict(zip(names, r)) for r in rows]


def event_members(con: duckdb.DuckDBPyConnection, event_id: str) -> list[dict[str, Any]]:
    """The articles of an event with why each was placed there."""
    rows = con.execute("""
        SELECT e.article_id, e.outlet, e.published_at, e.title, e.originator, e.origin_method, x.new_event, x.score,
               x.content_similarity, x.evidence_similarity, x.shared_names, x.shared_numbers, x.gap_days,
               x.runner_up_event, x.runner_up_score, e.url
        FROM article_events e JOIN event_assignments x USING (article_id)
        WHERE e.event_id = ? ORDER BY e.published_at, e.article_id""", [event_id]).fetchall()
    names = ["article_id", "outlet", "published_at", "title", "originator", "origin_method", "new_event", "score",
             "content", "evidence", "shared_names", "shared_numbers", "gap_days", "runner_up_event",
             "runner_up_score", "url"]
    return [dict(zip(names, r)) for r in rows]


def resolve_article_ids(con: duckdb.DuckDBPyConnection, keys: list[str]) -> dict[str, str | None]:
    """Article ids for keys given as article ids or URLs (None when unknown)."""
    rows = con.execute("SELECT article_id, url FROM articles WHERE article_id IN (SELECT unnest(?)) "
                       "OR url IN (SELECT unnest(?))", [keys, keys]).fetchall()
    found = {k: aid for aid, url in rows for k in (aid, url)}
    return {k: found.get(k) for k in keys}


_RUN_FIELDS = ["run_id", "kind", "status", "started_at", "finished_at", "seconds", "summary", "error", "pid", "host"]
_RUN_SELECT = ("SELECT run_id, kind, status, started_at, finished_at, epoch(finished_at - started_at), summary, "
               "error, pid, host FROM runs")


def latest_runs(con: duckdb.DuckDBPyConnection, limit: int = 5) -> list[dict[str, Any]]:
    """The latest runs, newest first, with their process (pid, host) and their stages (with notes)."""
    rows = con.execute(f"{_RUN_SELECT} ORDER BY started_at DESC, run_id DESC LIMIT ?", [limit]).fetchall()
    return _with_stages(con, [dict(zip(_RUN_FIELDS, r)) for r in rows])


def runs_started_between(con: duckdb.DuckDBPyConnection, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Runs started in [start, end), oldest first, in the same form as latest_runs."""
    rows = con.execute(f"{_RUN_SELECT} WHERE started_at >= ? AND started_at < ? ORDER BY started_at, run_id",
                       [start, end]).fetchall()
    return _with_stages(con, [dict(zip(_RUN_FIELDS, r)) for r in rows])


def _with_stages(con: duckdb.DuckDBPyConnection, runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Attach each run's stages (in the order they ran) as dicts: stage, seconds, in, ok, failed, note."""
    rows = con.execute("SELECT run_id, stage, seconds, items_in, items_ok, items_failed, note FROM run_stages "
                       "WHERE run_id IN (SELECT unnest(?)) ORDER BY started_at, stage",
                       [[r["run_id"] for r in runs]]).fetchall()
    for run in runs:
        run["stages"] = [dict(zip(["stage", "seconds", "in", "ok", "failed", "note"], s[1:])) for s in rows
                         if s[0] == run["run_id"]]
    return runs


def run_failures(con: duckdb.DuckDBPyConnection, run_ids: list[str],
                 first: int = 3) -> dict[str, dict[str, tuple[int, list[tuple[str, str, str]]]]]:
    """Per run, per kind (feed, page, extract, archive): how many failed, and the first few (outlet, url, reason).

    Read from the rows each failure left (fetch attempts, extractions, archive rejects), so a run
    that crashed before closing shows its failures too.
    """
    rows = con.execute("""
        WITH f AS (
            SELECT run_id, kind, coalesce(outlet_id, '') AS outlet, url, reason, started_at AS ts
            FROM fetch_attempts
            WHERE run_id IN (SELECT unnest($ids)) AND kind IN ('feed', 'page') AND outcome IN ('transient', 'permanent')
            UNION ALL
            SELECT e.run_id, 'extract', coalesce(p.outlet_id, ''), e.page_url, coalesce(e.reason, ''), e.extracted_at
            FROM extractions e LEFT JOIN pages p ON p.url = e.page_url
            WHERE e.run_id IN (SELECT unnest($ids)) AND e.outcome = 'failed'
            UNION ALL
            SELECT run_id, 'archive', '', 'line ' || line, reason, NULL
            FROM archive_rejects WHERE run_id IN (SELECT unnest($ids)))
        SELECT run_id, kind, count(*), list([outlet, url, reason] ORDER BY ts NULLS LAST, url)[1:$first]
        FROM f GROUP BY run_id, kind ORDER BY run_id, kind""", {"ids": run_ids, "first": first}).fetchall()
    result: dict[str, dict[str, tuple[int, list[tuple[str, str, str]]]]] = {}
    for run_id, kind, count, examples in rows:
        result.setdefault(run_id, {})[kind] = (count, [tuple(e) for e in examples])
    return result


def warehouse_totals(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """(articles, active outlets, runs) in the warehouse."""
    return con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM outlets WHERE active), "
                       "(SELECT count(*) FROM runs)").fetchone()
