"""The loads: the only code that writes rows. Bulk, idempotent, deduplicated per batch.

Every load that writes more than one statement runs in one explicit transaction (`_transaction`):
a crash or a storage failure leaves all of it or none of it, and a storage failure is raised as a
typed one-line error (warehouse.connect.storage_error).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import duckdb
import pyarrow as pa

from pipeline.config import Config
from pipeline.records import Article, FeedHarvest, FetchResult, NewOutlet, Page, PageHarvest
from warehouse.connect import storage_error

log = logging.getLogger(__name__)


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN … COMMIT; on any failure ROLLBACK (if DuckDB has not already) and re-raise, storage errors typed."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException as exc:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # a failed COMMIT has rolled back already; an invalidated instance cannot roll back
        mapped = storage_error(exc) if isinstance(exc, duckdb.Error) else None
        if mapped is None:
            raise
        raise mapped from exc


def insert_new(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]],
               keys: Sequence[str]) -> int:
    """Insert the rows whose key is not stored yet; the first row of a repeated key wins."""
    unique = _first_per_key(rows, keys)
    if not unique:
        return 0
    batch = pa.Table.from_pylist([_clean_row(r) for r in unique])
    match = " AND ".join(f"t.{k} IS NOT DISTINCT FROM b.{k}" for k in keys)
    name = f"batch_{table}"
    con.register(name, batch)
    try:
        before = _count(con, table)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name} b "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {match})")
        return _count(con, table) - before
    finally:
        con.unregister(name)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _first_per_key(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(tuple(row[k] for k in keys), row)
    return list(seen.values())


def _clean_row(row: dict[str, Any]) -> dict[str, Any]:
    """Strings made storable: one lone surrogate would fail the whole insert."""
    return {k: _clean_value(v) for k, v in row.items()}


def _storable(text: str) -> str:
    """Text DuckDB accepts: lone surrogates replaced, NUL removed."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return _storable(value)
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], str):
        return [_storable(v) for v in value]
    if isinstance(value, tuple):
        return list(value)
    return value


def start_run(con: duckdb.DuckDBPyConnection, *, run_id: str, kind: str, config_path: str,
              config_hash: str, started_at: datetime) -> list[str]:
    """Record a run as running; earlier runs still marked running are crashed. Returns those."""
    stale = [r[0] for r in con.execute("SELECT run_id FROM runs WHERE status = 'running'").fetchall()]
    with _transaction(con):
        con.execute("UPDATE runs SET status = 'crashed', finished_at = coalesce(finished_at, now()), "
                    "error = coalesce(error, 'the process ended without closing the run') WHERE status = 'running'")
        insert_new(con, "runs", [dict(run_id=run_id, kind=kind, started_at=started_at, status="running",
                                      config_path=config_path, config_hash=config_hash, pid=os.getpid(),
                                      host=socket.gethostname())], ["run_id"])
    return stale


def finish_run(con: duckdb.DuckDBPyConnection, *, run_id: str, status: str, summary: dict[str, Any],
               error: str | None = None) -> None:
    """Close a run with its final status and summary."""
    con.execute("UPDATE runs SET status = ?, finished_at = ?, summary = ?, error = ? WHERE run_id = ?",
                [status, datetime.now(timezone.utc), json.dumps(summary, default=str), error, run_id])


def record_stage(con: duckdb.DuckDBPyConnection, *, run_id: str, stage: str, started_at: datetime,
                 items_in: int, items_ok: int, items_failed: int, note: str = "") -> None:
    """Record one stage's counts and duration (replacing an earlier record of the same stage)."""
    finished = datetime.now(timezone.utc)
    with _transaction(con):
        con.execute("DELETE FROM run_stages WHERE run_id = ? AND stage = ?", [run_id, stage])
        insert_new(con, "run_stages", [dict(run_id=run_id, stage=stage, started_at=started_at, finished_at=finished,
                                            seconds=(finished - started_at).total_seconds(), items_in=items_in,
                                            items_ok=items_ok, items_failed=items_failed, note=note)],
                   ["run_id", "stage"])


def sync_outlets(con: duckdb.DuckDBPyConnection, config: Config, *, run_id: str) -> None:
    """Make outlets and feeds match the config; those that left it stay, marked inactive."""
    first_seen = dict(con.execute("SELECT outlet_id, first_run_id FROM outlets").fetchall())
    feeds = [(o.id, fid, url) for o in config.outlets for fid, url in o.feed_ids()]
    with _transaction(con):
        con.execute("DELETE FROM outlets WHERE outlet_id IN (SELECT unnest(?))", [[o.id for o in config.outlets]])
        con.execute("UPDATE outlets SET active = false")
        insert_new(con, "outlets", [_outlet_row(o, first_seen.get(o.id, run_id), run_id) for o in config.outlets],
                   ["outlet_id"])
        con.execute("UPDATE feeds SET active = list_contains(?, feed_id)", [[fid for _, fid, _ in feeds]])
        insert_new(con, "feeds", [dict(feed_id=fid, outlet_id=oid, url=url, active=True, first_run_id=run_id)
                                  for oid, fid, url in feeds], ["feed_id"])


def _outlet_row(outlet: Any, first_run_id: str, run_id: str) -> dict[str, Any]:
    return dict(outlet_id=outlet.id, name=outlet.name, homepage=outlet.homepage, language=outlet.language,
                country=outlet.country, ownership=outlet.ownership.value, tags=json.dumps(outlet.tags),
                active=outlet.active, first_run_id=first_run_id, updated_run_id=run_id)


def _attempt_row(run_id: str, kind: str, target_id: str | None, outlet_id: str | None,
                 result: FetchResult, **extra: Any) -> dict[str, Any]:
    key = f"{run_id}|{kind}|{result.url}|{result.started_at.isoformat()}"
    return dict(attempt_id=hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:32], run_id=run_id, kind=kind, target_id=target_id,
                outlet_id=outlet_id, url=result.url, final_url=result.final_url, started_at=result.started_at,
                elapsed_s=result.elapsed_s, outcome=result.outcome.value, http_status=result.status,
                reason=result.reason, bytes=result.bytes_read, tries=result.tries,
                redirects=list(result.redirects), **extra)


def load_feed_harvests(con: duckdb.DuckDBPyConnection, *, run_id: str, harvests: Iterable[FeedHarvest]) -> int:
    """Record every feed attempt and insert the new entries, in one transaction. Returns new entries."""
    harvests = list(harvests)
    attempts = [_feed_attempt_row(run_id, h) for h in harvests]
    entries = [_entry_row(run_id, e, h.result.started_at) for h in harvests if h.parsed for e in h.parsed.entries]
    with _transaction(con):
        insert_new(con, "fetch_attempts", attempts, ["attempt_id"])
        added = insert_new(con, "feed_entries", entries, ["entry_id"])
    return added


def _feed_attempt_row(run_id: str, harvest: FeedHarvest) -> dict[str, Any]:
    v = harvest.result.validators
    parsed = harvest.parsed
    return _attempt_row(run_id, "feed", harvest.target.feed_id, harvest.target.outlet_id, harvest.result,
                        etag=v.etag, last_modified=v.last_modified, body_hash=v.body_hash,
                        parse_problem=(parsed.problem or None) if parsed else None,
                        entries=len(parsed.entries) if parsed else None)


def _entry_row(run_id: str, entry: Any, seen_at: datetime) -> dict[str, Any]:
    return dict(entry_id=entry.entry_id, feed_id=entry.feed_id, outlet_id=entry.outlet_id,
                entry_key=entry.entry_key, url=entry.url, title=entry.title, summary=entry.summary,
                content=entry.content, authors=list(entry.authors), published_at=entry.published_at,
                first_run_id=run_id, first_seen_at=seen_at)


def load_robots_attempts(con: duckdb.DuckDBPyConnection, *, run_id: str, results: Iterable[FetchResult]) -> None:
    """Record the robots.txt fetches of a run."""
    insert_new(con, "fetch_attempts", [_attempt_row(run_id, "robots", None, None, r) for r in results],
               ["attempt_id"])


def load_page_harvests(con: duckdb.DuckDBPyConnection, *, run_id: str, harvests: Sequence[PageHarvest]) -> int:
    """Record page attempts and store the fresh pages (HTML gzip-compressed). Returns new pages."""
    attempts = [_attempt_row(run_id, "page", h.target.entry_id, h.target.outlet_id, h.result) for h in harvests]
    pages = [_page_row(run_id, h) for h in harvests if h.page is not None]
    with _transaction(con):
        insert_new(con, "fetch_attempts", attempts, ["attempt_id"])
        added = insert_new(con, "pages", pages, ["url"])
    return added


def _page_row(run_id: str, harvest: PageHarvest) -> dict[str, Any]:
    assert harvest.page is not None
    return _page_record(run_id, harvest.page)


def _page_record(run_id: str, page: Page) -> dict[str, Any]:
    return dict(url=page.url, final_url=page.final_url, outlet_id=page.outlet_id, entry_id=page.entry_id,
                http_status=page.status, fetched_at=page.fetched_at, content_hash=page.content_hash,
                bytes=len(page.html), html_gz=gzip.compress(page.html, compresslevel=6), run_id=run_id)


def load_extractions(con: duckdb.DuckDBPyConnection, *, run_id: str, articles: Sequence[Article],
                     duplicates: Sequence[tuple[Article, str]], failures: Sequence[tuple[str, str]]) -> int:
    """Store new articles and one extraction record per page handled. Returns new articles."""
    now = datetime.now(timezone.utc)
    records = ([_extraction_row(run_id, a.page_url, "ok", "", a.article_id, a.extractor, now) for a in articles]
               + [_extraction_row(run_id, a.page_url, "duplicate", f"same as {orig}", orig, a.extractor, now)
                  for a, orig in duplicates]
               + [_extraction_row(run_id, url, "failed", why, None, None, now) for url, why in failures])
    with _transaction(con):
        added = insert_new(con, "articles", [_article_row(run_id, a, now) for a in articles], ["article_id"])
        insert_new(con, "extractions", records, ["page_url", "run_id"])
    return added


def _extraction_row(run_id: str, page_url: str, outcome: str, reason: str, article_id: str | None,
                    extractor: str | None, now: datetime) -> dict[str, Any]:
    return dict(page_url=page_url, run_id=run_id, outcome=outcome, reason=reason, article_id=article_id,
                extractor=extractor, extracted_at=now)


def _article_row(run_id: str, a: Article, now: datetime) -> dict[str, Any]:
    return dict(article_id=a.article_id, url=a.url, outlet_id=a.outlet_id, page_url=a.page_url,
                entry_id=a.entry_id, title=a.title, text=a.text, authors=list(a.authors), language=a.language,
                published_at=a.published_at, date_source=a.date_source, is_partial=a.partial,
                partial_reason=a.partial_reason, text_hash=a.text_hash, word_count=len(a.text.split()),
                extractor=a.extractor, run_id=run_id, extracted_at=now)


def load_new_outlets(con: duckdb.DuckDBPyConnection, *, run_id: str, outlets: Sequence[NewOutlet]) -> int:
    """Create outlets first met in an archive (country ZZ, ownership other, tagged origin=archive)."""
    rows = [dict(outlet_id=o.outlet_id, name=o.name, homepage=o.homepage, language=o.language, country="ZZ",
                 ownership="other", tags=json.dumps({"origin": "archive"}), active=True, first_run_id=run_id,
                 updated_run_id=run_id) for o in outlets]
    return insert_new(con, "outlets", rows, ["outlet_id"])


def load_pages(con: duckdb.DuckDBPyConnection, *, run_id: str, pages: Sequence[Page]) -> int:
    """Store pages that came from an archive rather than a fetch."""
    return insert_new(con, "pages", [_page_record(run_id, p) for p in pages], ["url"])


def load_rejects(con: duckdb.DuckDBPyConnection, *, run_id: str, source: str,
                 problems: Sequence[tuple[int, str]]) -> None:
    """Record archive lines that could not be loaded."""
    insert_new(con, "archive_rejects", [dict(run_id=run_id, source=source, line=line, reason=reason)
                                        for line, reason in problems], ["run_id", "source", "line"])


def load_matches(con: duckdb.DuckDBPyConnection, *, run_id: str, assignments: Sequence[Any],
                 origins: Sequence[Any], settings: str) -> int:
    """Store a night's event assignments and article origins in one transaction. Returns new assignments."""
    now = datetime.now(timezone.utc)
    rows = [dict(article_id=a.article_id, event_id=a.event_id, run_id=run_id, assigned_at=now,
                 new_event=a.new_event, score=a.score, content_similarity=a.content_similarity,
                 evidence_similarity=a.evidence_similarity, shared_names=list(a.shared_names),
                 shared_numbers=list(a.shared_numbers), shared_terms=list(a.shared_terms), gap_days=a.gap_days,
                 runner_up_event=a.runner_up_event, runner_up_score=a.runner_up_score, candidates=a.candidates,
                 settings=settings) for a in assignments]
    found = [dict(article_id=o.article_id, originator_outlet_id=o.originator_outlet_id,
                  originator_article_id=o.originator_article_id, method=o.method, credit=o.credit,
                  containment=o.containment, run_id=run_id) for o in origins]
    with _transaction(con):
        added = insert_new(con, "event_assignments", rows, ["article_id"])
        insert_new(con, "article_origins", found, ["article_id"])
    return added


def record_decision(con: duckdb.DuckDBPyConnection, *, kind: str, event_id: str, into_event_id: str,
                    article_ids: Sequence[str] = (), note: str = "") -> str:
    """Record a user's merge or split; the views apply it now and on every later night."""
    now = datetime.now(timezone.utc)
    decision_id = hashlib.sha256(f"{kind}|{event_id}|{into_event_id}|{now.isoformat()}".encode()).hexdigest()[:16]
    insert_new(con, "event_decisions", [dict(decision_id=decision_id, kind=kind, event_id=event_id,
                                             into_event_id=into_event_id, article_ids=list(article_ids),
                                             decided_at=now, note=note)], ["decision_id"])
    return decision_id
