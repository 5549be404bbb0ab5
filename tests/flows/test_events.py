"""Event matching in the warehouse: incremental nights, explanations, syndication, decisions that last."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from demo.server import DemoWorld
from flows.nightly import nightly
from tests.flows.test_cli import parallax


def _rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _night(world: DemoWorld, config: Path, data: Path, day: int) -> None:
    world.as_of = datetime(2024, 1, day, 23, 59, 59, tzinfo=timezone.utc)
    nightly(config=str(config), data_dir=str(data))


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory):
    """Nights up to 13 January, a user decision, then nights up to 16 January."""
    tmp = tmp_path_factory.mktemp("events")
    data, db = tmp / "data", tmp / "data" / "warehouse.duckdb"
    with DemoWorld() as world:
        config = world.write_config(tmp / "outlets.toml")
        for day in (10, 11, 12, 13):
            _night(world, config, data, day)
        before = dict(_rows(db, "SELECT article_id, event_id FROM article_events"))
        taiwan = _rows(db, "SELECT DISTINCT event_id FROM article_events WHERE title ILIKE '%Taiwan%' OR title ILIKE '%Lai%'")
        red_sea = _rows(db, "SELECT DISTINCT event_id FROM article_events WHERE title ILIKE '%Houthi%'")
        keep, other = taiwan[0][0], red_sea[0][0]
        merged = parallax("events", "merge", keep, other, "--data-dir", str(data), cwd=tmp)
        for day in (14, 15, 16):
            _night(world, config, data, day)
    return dict(db=db, data=data, tmp=tmp, before=before, keep=keep, other=other, merged=merged)


def test_every_article_is_placed_once(nights) -> None:
    db = nights["db"]
    assert _rows(db, "SELECT count(*) FROM articles") == _rows(db, "SELECT count(*) FROM article_events")
    assert _rows(db, "SELECT count(*) - count(DISTINCT article_id) FROM article_events") == [(0,)]


def test_assignments_are_never_rewritten_by_later_nights(nights) -> None:
    placed = dict(_rows(nights["db"], "SELECT article_id, event_id FROM event_assignments"))
    raw_before = {a: e for a, e in nights["before"].items()}
    assert all(placed[a] == e or e == nights["keep"] for a, e in raw_before.items())


def test_explanations_are_stored(nights) -> None:
    rows = _rows(nights["db"], "SELECT score, content_similarity, evidence_similarity, shared_names, candidates, "
                               "runner_up_event FROM event_assignments WHERE NOT new_event")
    assert rows and all(r[0] > 0 and r[3] for r in rows)
    assert any(r[5] is not None for r in rows)


def test_merge_decision_survives_later_nights(nights) -> None:
    assert nights["merged"].returncode == 0, nights["merged"].stderr
    events = {e for (e,) in _rows(nights["db"], "SELECT DISTINCT event_id FROM article_events")}
    assert nights["other"] not in events and nights["keep"] in events
    decisions = _rows(nights["db"], "SELECT kind, event_id, into_event_id FROM event_decisions")
    assert decisions == [("merge", nights["other"], nights["keep"])]


def test_syndicated_copies_point_at_the_wire(nights) -> None:
    rows = _rows(nights["db"], "SELECT outlet, originator, origin_method FROM article_events "
                               "WHERE origin_method <> 'own' ORDER BY outlet")
    assert ("clarion", "meridian", "near_duplicate") in rows and ("ledger", "meridian", "near_duplicate") in rows


def test_events_view_counts_originators_not_outlets(nights) -> None:
    rows = _rows(nights["db"], "SELECT outlets, originators FROM events WHERE event_id = ?", [nights["keep"]])
    assert rows and rows[0][0] > rows[0][1]


def test_split_moves_articles_to_a_new_event(nights) -> None:
    db, data = nights["db"], nights["data"]
    article, event = _rows(db, "SELECT article_id, event_id FROM article_events WHERE event_id = ? LIMIT 1",
                           [nights["keep"]])[0]
    out = parallax("events", "split", event, article, "--data-dir", str(data), cwd=nights["tmp"])
    assert out.returncode == 0, out.stderr
    new_event = out.stdout.strip().rsplit(" ", 1)[-1]
    assert _rows(db, "SELECT event_id FROM article_events WHERE article_id = ?", [article]) == [(new_event,)]
    unknown = parallax("events", "split", event, "no-such-article", "--data-dir", str(data), cwd=nights["tmp"])
    assert unknown.returncode == 2 and "unknown article" in unknown.stderr


def test_events_listing_and_show(nights) -> None:
    listing = parallax("events", "--data-dir", str(nights["data"]), cwd=nights["tmp"])
    assert listing.returncode == 0 and nights["keep"] in listing.stdout
    shown = parallax("events", "show", nights["keep"], "--data-dir", str(nights["data"]), cwd=nights["tmp"])
    assert shown.returncode == 0 and "started the event" in shown.stdout and "score" in shown.stdout
