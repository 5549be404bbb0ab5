"""Crash consistency: kill -9 of real runs at random points, and at named points inside load transactions.

Two harnesses, both subprocesses running the real code against a demo world served on 127.0.0.1:

* NIGHT runs one night exactly as flows/nightly.py does (writer lock, open_run, fetch_feeds,
  fetch_pages, extract_articles, match_events, close_run) without Prefect, so that a night takes a
  few seconds. It prints `STAGE s` as a stage starts and `ACK load {keys}` once a load has returned,
  i.e. after its COMMIT. Small page and extraction batches give several commits per stage.
  The test SIGKILLs it at seeded random moments spread over the stages (offsets drawn from the
  stage durations of a clean run measured first), reopens the warehouse read-only as a reader
  would, checks every acknowledged row is there and nothing is partial or duplicated, runs the
  next night to completion, and compares the warehouse with the clean run's.
* REPLAY replays the load calls recorded during the clean run on a fresh warehouse through a
  connection wrapper that SIGKILLs the process at a named statement: inside each migration
  (DDL), between the statements of each load transaction, just before and just after COMMIT,
  and while CHECKPOINT runs.

One more test kills the real `parallax run` (Prefect flow) during extraction and reruns it.

Set PARALLAX_CRASH_SEED to replay a given random schedule; the figures are printed (pytest -s).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from demo.server import DemoWorld
from demo.world import load_corpus

REPO = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("PARALLAX_CRASH_SEED", "20261125"))
KILLS = 20
STAGES = ("open", "feeds", "pages", "extract", "match", "close")
SMALL_WORLD = ("meridian", "clarion", "hpr")   # 27 articles, RSS and Atom, one syndicating outlet
EARLIER_NIGHT = datetime(2024, 1, 16, 23, 59, tzinfo=timezone.utc)

# What each table is keyed by, as the loads acknowledge it.
KEYS = {"runs": ("run_id",), "outlets": ("outlet_id",), "fetch_attempts": ("attempt_id",),
        "feed_entries": ("entry_id",), "pages": ("url",), "articles": ("article_id",),
        "extractions": ("page_url", "run_id"), "event_assignments": ("article_id",),
        "article_origins": ("article_id",), "run_stages": ("run_id", "stage"), "feeds": ("feed_id",)}

# The business content that must come out the same whatever crashed on the way.
BUSINESS = {
    "articles by url": "SELECT url, text_hash, outlet_id FROM articles",
    "pages by url": "SELECT url, content_hash FROM pages",
    "feed_entries by entry_id": "SELECT entry_id, url FROM feed_entries",
    "event_assignments by article_id": "SELECT article_id FROM event_assignments",
    "article_origins by article_id": "SELECT article_id FROM article_origins",
    "extraction outcomes by page": "SELECT page_url, outcome, article_id FROM extractions WHERE outcome <> 'failed'",
    "outlets": "SELECT outlet_id, active FROM outlets",
    "feeds": "SELECT feed_id, url, active FROM feeds",
}

# Prelude shared by both harnesses: ACK lines carry the keys a load wrote, computed from its arguments.
PRELUDE = r'''
import json, logging, os, signal, sys, time
from pathlib import Path
logging.disable(logging.CRITICAL)
from warehouse import load

def emit(*parts):
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
    sys.stdout.flush()

def keys(name, kw):
    run_id = kw.get("run_id")
    if name == "start_run" or name == "finish_run":
        return {"runs": [[run_id]]}
    if name == "sync_outlets":
        return {"outlets": [[o.id] for o in kw["config"].outlets],
                "feeds": [[fid] for o in kw["config"].outlets for fid, _ in o.feed_ids()]}
    if name == "load_feed_harvests":
        hs = kw["harvests"]
        return {"fetch_attempts": [[load._feed_attempt_row(run_id, h)["attempt_id"]] for h in hs],
                "feed_entries": [[e.entry_id] for h in hs if h.parsed for e in h.parsed.entries]}
    if name == "load_page_harvests":
        hs = kw["harvests"]
        return {"fetch_attempts": [[load._attempt_row(run_id, "page", h.target.entry_id, h.target.outlet_id,
                                                      h.result)["attempt_id"]] for h in hs],
                "pages": [[h.page.url] for h in hs if h.page is not None]}
    if name == "load_robots_attempts":
        return {"fetch_attempts": [[load._attempt_row(run_id, "robots", None, None, r)["attempt_id"]]
                                   for r in kw["results"]]}
    if name == "load_extractions":
        urls = ([a.page_url for a in kw["articles"]] + [a.page_url for a, _ in kw["duplicates"]]
                + [u for u, _ in kw["failures"]])
        return {"articles": [[a.article_id] for a in kw["articles"]], "extractions": [[u, run_id] for u in urls]}
    if name == "load_matches":
        return {"event_assignments": [[a.article_id] for a in kw["assignments"]],
                "article_origins": [[o.article_id] for o in kw["origins"]]}
    if name == "record_stage":
        return {"run_stages": [[run_id, kw["stage"]]]}
    return {}

LOADS = ("start_run", "sync_outlets", "load_feed_harvests", "load_page_harvests", "load_robots_attempts",
         "load_extractions", "load_matches", "record_stage", "finish_run")

def normalised(name, args, kw):
    if args:  # sync_outlets(con, config, run_id=...)
        kw = {**dict(zip(("config",), args)), **kw}
    for field in ("harvests", "results"):
        if field in kw:
            kw = {**kw, field: list(kw[field])}
    return kw
'''

NIGHT = PRELUDE + r'''
import argparse, pickle
from datetime import datetime, timezone
from flows import stages
from pipeline.ids import new_run_id
from warehouse import read
from warehouse.lock import writer_lock

ap = argparse.ArgumentParser()
ap.add_argument("db"); ap.add_argument("config"); ap.add_argument("reports")
ap.add_argument("--record"); ap.add_argument("--batch", type=int, default=12)
opts = ap.parse_args()
db, config, reports = Path(opts.db), Path(opts.config), Path(opts.reports)
stages.PAGE_BATCH = opts.batch                      # several page commits per night
_pending = read.pending_extractions
read.pending_extractions = lambda con, *, max_attempts, batch=200: _pending(con, max_attempts=max_attempts,
                                                                            batch=opts.batch)
recorded = []

def acked(name, fn):
    def wrapper(con, *args, **kw):
        kw = normalised(name, args, kw)
        result = fn(con, **kw)
        emit("ACK", name, json.dumps(keys(name, kw)))
        if opts.record:
            recorded.append((name, kw))
        return result
    return wrapper

for name in LOADS:
    setattr(load, name, acked(name, getattr(load, name)))

started = datetime.now(timezone.utc)
run_id = new_run_id(started)
emit("RUN", run_id)
with writer_lock(db, run_id):
    emit("STAGE", "open")
    stages.open_run(run_id, db, config)
    counts = []
    try:
        for name, stage in (("feeds", stages.fetch_feeds), ("pages", stages.fetch_pages),
                            ("extract", stages.extract_articles), ("match", stages.match_events)):
            emit("STAGE", name)
            counts.append(stage(run_id, db, config))
    except Exception as exc:
        stages.close_run(run_id, db, reports, started, counts, error=f"{type(exc).__name__}: {exc}")
        raise
    emit("STAGE", "close")
    summary = stages.close_run(run_id, db, reports, started, counts)
if opts.record:
    Path(opts.record).write_bytes(pickle.dumps(recorded))
emit("DONE", summary.status)
'''

REPLAY = PRELUDE + r'''
import pickle, threading
import warehouse.connect as connect
from warehouse.lock import writer_lock
from warehouse.migrate import Migration, bundled_migrations

db, calls_file, point = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
calls = pickle.loads(calls_file.read_bytes())
state = {"call": None, "invocation": {}, "seen": 0}

def die():
    os.kill(os.getpid(), signal.SIGKILL)

class Killer:
    """A connection whose execute() SIGKILLs the process before or after the named statement."""
    def __init__(self, con):
        self._con = con
    def execute(self, sql, *args, **kw):
        self._check("before", sql)
        result = self._con.execute(sql, *args, **kw)
        self._check("after", sql)
        return result
    def _check(self, when, sql):
        p = point.get("at")
        if not p or state["call"] != p["call"] or state["invocation"].get(p["call"]) != p.get("invocation", 1):
            return
        if p["needle"] in sql and when == p["when"]:
            state["seen"] += 1
            if state["seen"] == p.get("occurrence", 1):
                die()
    def __getattr__(self, name):
        return getattr(self._con, name)

def entering(name):
    state["call"] = name
    state["invocation"][name] = state["invocation"].get(name, 0) + 1

extra = [Migration(**m) for m in point.get("extra_migrations", [])]
_migrate, _views = connect.migrate, connect.rebuild_views
def migrate(con, migrations=None):
    entering("migrate")
    return _migrate(Killer(con), (migrations or bundled_migrations()) + extra)
def rebuild_views(con):
    entering("rebuild_views")
    return _views(Killer(con))
connect.migrate, connect.rebuild_views = migrate, rebuild_views

with writer_lock(db, "replay"), connect.writer(db) as con:
    for name, kw in calls:
        entering(name)
        getattr(load, name)(Killer(con), **kw)
        state["call"] = None
        emit("ACK", name, json.dumps(keys(name, kw)))
    if "checkpoint_kill_after_s" in point:
        threading.Timer(point["checkpoint_kill_after_s"], die).start()
        emit("CHECKPOINT")
        con.execute("CHECKPOINT")
        emit("CHECKPOINTED")
        time.sleep(5)
emit("DONE")
'''


# ---------------------------------------------------------------- harness plumbing


@dataclasses.dataclass
class Outcome:
    """What a harness process printed and how it ended."""

    returncode: int
    lines: list[tuple[float, str]]
    started: float
    ended: float
    stderr: str
    killed_at: float | None = None

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL

    @property
    def run_id(self) -> str | None:
        return next((line.split()[1] for _, line in self.lines if line.startswith("RUN ")), None)

    @property
    def acks(self) -> list[tuple[str, dict]]:
        found = []
        for _, line in self.lines:
            if line.startswith("ACK "):
                _, name, payload = line.split(" ", 2)
                found.append((name, json.loads(payload)))
        return found

    def stage_times(self) -> dict[str, float]:
        return {line.split()[1]: t for t, line in self.lines if line.startswith("STAGE ")}

    def landed(self) -> str:
        """The stage the kill landed in (the last one started)."""
        stages = [line.split()[1] for t, line in self.lines if line.startswith("STAGE ")]
        return stages[-1] if stages else "startup"


def run_script(script: str, args: list[str], tmp: Path, *, kill_after_stage: tuple[str, float] | None = None,
               timeout: float = 180) -> Outcome:
    """Run a harness script; optionally SIGKILL it `offset` seconds after it prints `STAGE stage`."""
    tmp.mkdir(parents=True, exist_ok=True)
    err = tmp / f"stderr-{time.monotonic_ns()}.txt"
    with err.open("w") as err_file:
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", script, *args], cwd=REPO, stdout=subprocess.PIPE,
                                stderr=err_file, text=True, start_new_session=True)
        lines: list[tuple[float, str]] = []
        reader = threading.Thread(target=lambda: lines.extend((time.monotonic(), l.rstrip("\n")) for l in proc.stdout),
                                  daemon=True)
        reader.start()
        killed_at = None
        try:
            if kill_after_stage:
                stage, offset = kill_after_stage
                marker = f"STAGE {stage}"
                while proc.poll() is None and not any(l == marker for _, l in list(lines)):
                    if time.monotonic() - started > timeout:
                        break
                    time.sleep(0.002)
                seen = next((t for t, l in list(lines) if l == marker), None)
                if seen is not None and proc.poll() is None:
                    time.sleep(max(0.0, seen + offset - time.monotonic()))
                    if proc.poll() is None:
                        os.kill(proc.pid, signal.SIGKILL)
                        killed_at = time.monotonic()
            proc.wait(timeout=timeout)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            _end_group(proc.pid)
        reader.join(5)
    return Outcome(proc.returncode, lines, started, time.monotonic(), err.read_text(errors="replace"), killed_at)


def _end_group(pgid: int) -> None:
    """Extraction workers of a killed run exit on their own (their pipe closes); make sure of it."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def night(db: Path, world: dict, **kw) -> Outcome:
    args = [str(db), str(world["config"]), str(db.parent / "reports")]
    if kw.pop("record", None):
        args += ["--record", str(world["calls"])]
    return run_script(NIGHT, args, db.parent, **kw)


# ---------------------------------------------------------------- checks


def consistency(con: duckdb.DuckDBPyConnection) -> Counter:
    """Counts of partial rows (orphans) and duplicates; every count must be 0 (nothing to count before migrating)."""
    found: Counter = Counter()
    if not set(KEYS) <= _tables(con):
        return found
    for table, key in KEYS.items():
        cols = ", ".join(key)
        found[f"duplicate {table} keys"] += con.execute(
            f"SELECT count(*) - count(DISTINCT ({cols})) FROM {table}").fetchone()[0]
    checks = {
        "duplicate articles by url": "SELECT count(*) - count(DISTINCT url) FROM articles",
        "duplicate articles by outlet text": "SELECT count(*) - count(DISTINCT (outlet_id, text_hash)) FROM articles",
        "pages extracted twice": """SELECT count(*) FROM (SELECT page_url FROM extractions
                                    WHERE outcome <> 'failed' GROUP BY 1 HAVING count(*) > 1)""",
        "pages with several ok fetches": """SELECT count(*) FROM (SELECT url FROM fetch_attempts
                                    WHERE kind = 'page' AND outcome = 'ok' GROUP BY 1 HAVING count(*) > 1)""",
        "orphan articles (no extraction row of their run)": """SELECT count(*) FROM articles a WHERE NOT EXISTS (
            SELECT 1 FROM extractions x WHERE x.article_id = a.article_id AND x.page_url = a.page_url
            AND x.run_id = a.run_id AND x.outcome = 'ok')""",
        "orphan ok extractions (no article)": """SELECT count(*) FROM extractions x WHERE x.outcome = 'ok'
            AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = x.article_id)""",
        "orphan pages (no ok attempt of their run)": """SELECT count(*) FROM pages p WHERE NOT EXISTS (
            SELECT 1 FROM fetch_attempts f WHERE f.kind = 'page' AND f.url = p.url AND f.run_id = p.run_id
            AND f.outcome = 'ok')""",
        "orphan ok page attempts (no page)": """SELECT count(*) FROM fetch_attempts f WHERE f.kind = 'page'
            AND f.outcome = 'ok' AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.url = f.url)""",
        "orphan feed entries (no feed attempt of their run)": """SELECT count(*) FROM feed_entries e WHERE NOT EXISTS (
            SELECT 1 FROM fetch_attempts f WHERE f.kind = 'feed' AND f.target_id = e.feed_id
            AND f.run_id = e.first_run_id)""",
        "orphan event assignments": """SELECT count(*) FROM event_assignments x
            WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = x.article_id)""",
        "orphan article origins": """SELECT count(*) FROM article_origins x
            WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = x.article_id)""",
        "rows of unknown runs": """SELECT (SELECT count(*) FROM run_stages s WHERE s.run_id NOT IN (SELECT run_id FROM runs))
            + (SELECT count(*) FROM fetch_attempts s WHERE s.run_id NOT IN (SELECT run_id FROM runs))
            + (SELECT count(*) FROM articles s WHERE s.run_id NOT IN (SELECT run_id FROM runs))""",
    }
    for name, sql in checks.items():
        found[name] += con.execute(sql).fetchone()[0]
    return +found


def missing(con: duckdb.DuckDBPyConnection, written: dict[str, list[list]]) -> list[str]:
    """The acknowledged keys that are not in the warehouse."""
    gone = []
    tables = _tables(con)
    for table, rows in written.items():
        if not rows:
            continue
        if table not in tables:
            gone += [f"{table}{tuple(r)}" for r in rows]
            continue
        key = KEYS[table]
        stored = {tuple(r) for r in con.execute(f"SELECT {', '.join(key)} FROM {table}").fetchall()}
        gone += [f"{table}{tuple(r)}" for r in rows if tuple(r) not in stored]
    return gone


def present(con: duckdb.DuckDBPyConnection, written: dict[str, list[list]]) -> list[str]:
    """The keys of a load that are in the warehouse (for loads killed before their COMMIT: none)."""
    there = []
    tables = _tables(con)
    for table, rows in written.items():
        if table not in tables:
            continue
        key = KEYS[table]
        stored = {tuple(r) for r in con.execute(f"SELECT {', '.join(key)} FROM {table}").fetchall()}
        there += [f"{table}{tuple(r)}" for r in rows if tuple(r) in stored]
    return there


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def business(con: duckdb.DuckDBPyConnection) -> dict[str, set[tuple]]:
    return {name: set(con.execute(sql).fetchall()) for name, sql in BUSINESS.items()}


def differences(got: dict[str, set[tuple]], want: dict[str, set[tuple]]) -> list[str]:
    return [f"{name}: {len(want[name] - got[name])} lost, {len(got[name] - want[name])} extra"
            for name in want if got[name] != want[name]]


def open_read_only(db: Path) -> tuple[duckdb.DuckDBPyConnection | None, float, str]:
    started = time.monotonic()
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        return None, time.monotonic() - started, str(exc).splitlines()[0]
    return con, time.monotonic() - started, ""


# ---------------------------------------------------------------- fixtures


def small_corpus():
    corpus = load_corpus()
    return dataclasses.replace(corpus, outlets=tuple(o for o in corpus.outlets if o.id in SMALL_WORLD),
                               articles=tuple(a for a in corpus.articles if a.outlet in SMALL_WORLD))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    """A small demo world; a clean night of it (timed, its loads recorded); an earlier night's warehouse."""
    tmp = tmp_path_factory.mktemp("crash")
    with DemoWorld(small_corpus()) as demo:
        config = demo.write_config(tmp / "outlets.toml")
        info = dict(demo=demo, config=config, calls=tmp / "calls.pickle")
        demo.as_of = EARLIER_NIGHT
        base = night(tmp / "earlier" / "warehouse.duckdb", info)
        assert base.returncode == 0, base.stderr
        demo.as_of = None
        clean_db = tmp / "clean" / "warehouse.duckdb"
        clean = night(clean_db, info, record=True)
        assert clean.returncode == 0, clean.stderr
        times = clean.stage_times()
        ends = [times[s] for s in STAGES[1:]] + [next(t for t, l in clean.lines if l.startswith("DONE"))]
        durations = {s: end - times[s] for s, end in zip(STAGES, ends)}
        with duckdb.connect(str(clean_db), read_only=True) as con:
            reference = business(con)
            assert not consistency(con)
        assert len(reference["articles by url"]) == len(demo.corpus.articles)
        yield dict(info, earlier=base, earlier_db=tmp / "earlier" / "warehouse.duckdb", clean=clean,
                   clean_db=clean_db, durations=durations, reference=reference,
                   run_seconds=clean.ended - clean.started)


# ---------------------------------------------------------------- kill -9 at random points


@pytest.mark.slow
def test_kill_9_at_random_points_then_the_next_run_completes(world, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    plan = [STAGES[i % len(STAGES)] for i in range(KILLS + 10)]
    rng.shuffle(plan)
    figures = dict(seed=SEED, kills=0, missed=0, acked_batches=0, acked_rows=0, rows_lost=0, rows_duplicated=0,
                   rows_orphaned=0, failed_reopens=0, crashed_marked=0, landed=Counter(), reopen_s=[],
                   recovery_s=[], clean_run_s=round(world["run_seconds"], 2),
                   stage_s={s: round(d, 2) for s, d in world["durations"].items()})
    problems: list[str] = []
    for attempt, stage in enumerate(plan):
        if figures["kills"] >= KILLS:
            break
        offset = rng.uniform(0.0, world["durations"][stage])
        db = tmp_path / f"kill{attempt:02d}" / "warehouse.duckdb"
        if attempt % 2:  # every other kill hits a warehouse that already holds an earlier night
            db.parent.mkdir(parents=True)
            shutil.copy(world["earlier_db"], db)
        killed = night(db, world, kill_after_stage=(stage, offset))
        if not killed.killed:
            assert killed.returncode == 0, killed.stderr
            figures["missed"] += 1
            continue
        figures["kills"] += 1
        figures["landed"][killed.landed()] += 1
        acks = killed.acks
        figures["acked_batches"] += len(acks)
        figures["acked_rows"] += sum(len(rows) for _, keys in acks for rows in keys.values())
        where = f"kill {attempt} ({stage} +{offset:.3f}s, landed in {killed.landed()}, seed {SEED})"

        con, seconds, error = open_read_only(db)
        if con is None:
            figures["failed_reopens"] += 1
            problems.append(f"{where}: read-only reopen failed: {error}")
        else:
            with con:
                figures["reopen_s"].append(seconds)
                lost = missing(con, {t: [r for _, k in acks for r in k.get(t, [])] for t in KEYS})
                bad = consistency(con)
            figures["rows_lost"] += len(lost)
            problems += [f"{where}: acknowledged row lost: {x}" for x in lost[:5]]
            problems += [f"{where}: after the kill: {n} {what}" for what, n in bad.items()]

        rerun = night(db, world)
        figures["recovery_s"].append(rerun.ended - rerun.started)
        if rerun.returncode != 0:
            problems.append(f"{where}: the next run failed: {rerun.stderr[-500:]}")
            continue
        with duckdb.connect(str(db), read_only=True) as con:
            bad = consistency(con)
            diff = differences(business(con), world["reference"])
            status = con.execute("SELECT status FROM runs WHERE run_id = ?", [killed.run_id]).fetchall()
        figures["rows_duplicated"] += sum(n for what, n in bad.items() if "duplicate" in what or "twice" in what
                                          or "several" in what)
        figures["rows_orphaned"] += sum(n for what, n in bad.items() if "orphan" in what or "unknown" in what)
        problems += [f"{where}: after the next run: {n} {what}" for what, n in bad.items()]
        problems += [f"{where}: differs from a clean run: {d}" for d in diff]
        finished = any(name == "finish_run" for name, _ in acks)
        if status and not finished:
            if status[0][0] == "crashed":
                figures["crashed_marked"] += 1
            else:
                problems.append(f"{where}: killed run {killed.run_id} is {status[0][0]!r}, not 'crashed'")

    figures["reopen_median_s"] = round(statistics.median(figures.pop("reopen_s") or [0]), 3)
    recovery = figures.pop("recovery_s")
    figures["recovery_median_s"] = round(statistics.median(recovery or [0]), 2)
    figures["landed"] = dict(figures["landed"])
    print(f"\ncrash figures (random kills): {json.dumps(figures)}")
    assert figures["kills"] >= KILLS, figures
    assert len(figures["landed"]) >= 4, f"kills not spread over the stages: {figures['landed']}"
    assert not problems, "\n".join(problems[:40])


# ---------------------------------------------------------------- kill -9 at named points


def _tables_of(sql: str) -> set[str]:
    return set(re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", sql))


def _point(call: str, when: str, needle: str, *, invocation: int = 1, occurrence: int = 1, committed: bool) -> dict:
    return dict(at=dict(call=call, when=when, needle=needle, invocation=invocation, occurrence=occurrence),
                committed=committed)


NAMED = {
    # migrations (DDL): inside one, between two, after the last COMMIT while the DDL is only in the WAL
    "migration 0001 DDL run, version row not yet written": _point("migrate", "after", "CREATE TABLE runs", committed=False),
    "migration 0002 before COMMIT": _point("migrate", "before", "COMMIT", occurrence=2, committed=False),
    "migration 0002 committed, 0003 not begun": _point("migrate", "after", "COMMIT", occurrence=2, committed=True),
    "migrations committed, before the checkpoint": _point("migrate", "after", "COMMIT", occurrence=3, committed=True),
    "views DDL before COMMIT": _point("rebuild_views", "before", "COMMIT", committed=False),
    "views DDL committed (WAL only)": _point("rebuild_views", "after", "COMMIT", committed=True),
    # every load transaction: between statements, just before COMMIT, just after COMMIT (before the ACK)
    "start_run between UPDATE and INSERT": _point("start_run", "after", "UPDATE runs", committed=False),
    "start_run before COMMIT": _point("start_run", "before", "COMMIT", committed=False),
    "start_run after COMMIT": _point("start_run", "after", "COMMIT", committed=True),
    "sync_outlets between outlets and feeds": _point("sync_outlets", "after", "INSERT INTO outlets", committed=False),
    "sync_outlets before COMMIT": _point("sync_outlets", "before", "COMMIT", committed=False),
    "sync_outlets after COMMIT": _point("sync_outlets", "after", "COMMIT", committed=True),
    "feeds load between attempts and entries": _point("load_feed_harvests", "after", "INSERT INTO fetch_attempts", committed=False),
    "feeds load before COMMIT": _point("load_feed_harvests", "before", "COMMIT", committed=False),
    "feeds load after COMMIT": _point("load_feed_harvests", "after", "COMMIT", committed=True),
    "page batch 2 between attempts and pages": _point("load_page_harvests", "after", "INSERT INTO fetch_attempts", invocation=2, committed=False),
    "page batch 2 before COMMIT": _point("load_page_harvests", "before", "COMMIT", invocation=2, committed=False),
    "page batch 2 after COMMIT": _point("load_page_harvests", "after", "COMMIT", invocation=2, committed=True),
    "extraction batch 2 between articles and extractions": _point("load_extractions", "after", "INSERT INTO articles", invocation=2, committed=False),
    "extraction batch 2 before COMMIT": _point("load_extractions", "before", "COMMIT", invocation=2, committed=False),
    "extraction batch 2 after COMMIT": _point("load_extractions", "after", "COMMIT", invocation=2, committed=True),
    "matches between assignments and origins": _point("load_matches", "after", "INSERT INTO event_assignments", committed=False),
    "matches before COMMIT": _point("load_matches", "before", "COMMIT", committed=False),
    "matches after COMMIT": _point("load_matches", "after", "COMMIT", committed=True),
    "stage record between DELETE and INSERT": _point("record_stage", "after", "DELETE FROM run_stages", invocation=2, committed=False),
    "run close before its UPDATE": _point("finish_run", "before", "UPDATE runs", committed=False),
    "run close after its UPDATE": _point("finish_run", "after", "UPDATE runs", committed=True),
}


def _calls(world) -> list[tuple[str, dict]]:
    return pickle.loads(world["calls"].read_bytes())


def _keys_of(world, call: str, invocation: int) -> dict:
    """The keys the n-th recorded call of a load writes (from the clean run's ACK lines)."""
    acks = [keys for name, keys in world["clean"].acks if name == call]
    return acks[invocation - 1] if call in {n for n, _ in world["clean"].acks} else {}


def _replay_to_completion(db: Path, calls: list[tuple[str, dict]]) -> None:
    """The next run, as far as the warehouse is concerned: reopen read-write and load everything again."""
    from warehouse import load
    from warehouse.connect import writer
    from warehouse.lock import writer_lock

    with writer_lock(db, "recovery"), writer(db) as con:
        for name, kw in calls:
            getattr(load, name)(con, **kw)


@pytest.mark.parametrize("name", list(NAMED))
def test_kill_9_at_a_named_point(world, tmp_path: Path, name: str) -> None:
    from warehouse.migrate import bundled_migrations

    point = NAMED[name]
    db = tmp_path / "warehouse.duckdb"
    killed = run_script(REPLAY, [str(db), str(world["calls"]), json.dumps(point)], tmp_path)
    assert killed.killed, f"the point was never reached: rc {killed.returncode}: {killed.stderr[-800:]}"

    con, seconds, error = open_read_only(db)
    assert con is not None, f"reopen after a kill at {name!r} failed: {error}"
    with con:
        acks = killed.acks
        assert not missing(con, {t: [r for _, k in acks for r in k.get(t, [])] for t in KEYS})
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "schema_migrations" in tables:
            applied = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
            for m in bundled_migrations():  # a migration is all there (tables and version row) or not at all
                assert (_tables_of(m.sql) <= tables) == (m.version in applied), (m.name, applied)
                assert (_tables_of(m.sql) & tables == set()) == (m.version not in applied), (m.name, applied)
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        if point["at"]["call"] == "rebuild_views":
            assert bool(views) == point["committed"]
        if set(KEYS) <= tables:
            assert not consistency(con)
        call, invocation = point["at"]["call"], point["at"]["invocation"]
        if call not in ("migrate", "rebuild_views"):
            written = _keys_of(world, call, invocation)
            if point["committed"]:
                assert not missing(con, written), "a load killed just after its COMMIT lost rows"
            elif call == "finish_run":
                status = con.execute("SELECT status FROM runs").fetchall()
                assert status == [("running",)]
            else:
                assert not present(con, written), "a load killed before its COMMIT left rows behind"

    _replay_to_completion(db, _calls(world))
    with duckdb.connect(str(db), read_only=True) as con:
        assert not consistency(con)
        assert not differences(business(con), world["reference"])
    print(f"\nnamed point {name!r}: killed, {len(killed.acks)} acked loads kept, reopen {seconds * 1000:.0f} ms")


def test_kill_9_during_checkpoints(world, tmp_path: Path) -> None:
    """SIGKILL while CHECKPOINT moves a whole night from the WAL into the file, at several moments."""
    landed = Counter()
    for i, after in enumerate((0.0, 0.002, 0.005, 0.01, 0.02)):
        db = tmp_path / f"c{i}" / "warehouse.duckdb"
        db.parent.mkdir()
        killed = run_script(REPLAY, [str(db), str(world["calls"]), json.dumps({"checkpoint_kill_after_s": after})],
                            db.parent)
        assert killed.killed, killed.stderr[-500:]
        lines = [l for _, l in killed.lines]
        landed["after CHECKPOINT returned" if "CHECKPOINTED" in lines else "before CHECKPOINT returned"] += 1
        con, _, error = open_read_only(db)
        assert con is not None, error
        with con:
            assert not missing(con, {t: [r for _, k in killed.acks for r in k.get(t, [])] for t in KEYS})
            assert not consistency(con)
            assert not differences(business(con), world["reference"])
    print(f"\ncheckpoint kills: {dict(landed)}")
    assert landed["before CHECKPOINT returned"] >= 1


# ---------------------------------------------------------------- a known DuckDB WAL-replay bug after DDL

BAD_DDL = dict(version=99, name="0099_add_column_with_default.sql",
               sql="ALTER TABLE runs ADD COLUMN checked_at TIMESTAMPTZ DEFAULT now();")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_unreplayable_wal_after_ddl_is_refused_clearly_and_kept(world, tmp_path: Path) -> None:
    """DuckDB 1.5.5 cannot replay `ADD COLUMN … DEFAULT now()` from the WAL (duckdb/duckdb#18259).

    Killed after such a migration's COMMIT and before the checkpoint Parallax runs right after it,
    the warehouse cannot be opened: Parallax says so in one line and leaves both files untouched.
    """
    from warehouse.connect import WarehouseWalUnreplayable, reader, wal_path, writer
    from warehouse.lock import writer_lock

    db = tmp_path / "warehouse.duckdb"
    point = dict(_point("migrate", "after", "COMMIT", occurrence=4, committed=True), extra_migrations=[BAD_DDL])
    killed = run_script(REPLAY, [str(db), str(world["calls"]), json.dumps(point)], tmp_path)
    assert killed.killed, killed.stderr[-500:]
    wal = wal_path(db)
    assert wal.exists()
    before = (_digest(db), _digest(wal))
    try:
        with writer_lock(db, "after-bad-ddl"), writer(db):
            pass
    except WarehouseWalUnreplayable as exc:
        message = str(exc)
        assert "\n" not in message and "write-ahead log" in message and "#18259" in message
        assert "left untouched" in message
        with pytest.raises(WarehouseWalUnreplayable):
            with reader(db):
                pass
        assert wal.exists() and (_digest(db), _digest(wal)) == before
        print(f"\nDuckDB {duckdb.__version__}: {message}")
    else:
        assert duckdb.__version__ != "1.5.5", "DuckDB 1.5.5 was expected to fail this replay (#18259)"


def test_the_same_ddl_is_safe_once_checkpointed(world, tmp_path: Path) -> None:
    """Parallax checkpoints right after applying migrations: a kill after that replays nothing risky."""
    db = tmp_path / "warehouse.duckdb"
    point = dict(_point("rebuild_views", "after", "COMMIT", committed=True), extra_migrations=[BAD_DDL])
    killed = run_script(REPLAY, [str(db), str(world["calls"]), json.dumps(point)], tmp_path)
    assert killed.killed, killed.stderr[-500:]
    with duckdb.connect(str(db), read_only=True) as con:
        columns = {r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'runs'").fetchall()}
    assert "checked_at" in columns


# ---------------------------------------------------------------- the real command line, killed once


@pytest.mark.slow
def test_kill_9_of_the_real_cli_run_during_extraction(world, tmp_path: Path) -> None:
    """`parallax run` (the Prefect flow) SIGKILLed once its extraction began; the next `parallax run` completes."""
    env = {k: v for k, v in os.environ.items() if k not in ("PARALLAX_HOME", "PARALLAX_DB")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    args = [sys.executable, "-m", "flows.cli", "run", "--config", str(world["config"]), "--data-dir",
            str(tmp_path / "data"), "-v"]
    db = tmp_path / "data" / "warehouse.duckdb"
    proc = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        for line in proc.stderr:                      # -v: the stage log lines
            if "stage pages:" in line:
                break
        time.sleep(0.3)                               # inside extract_articles
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        _end_group(proc.pid)                          # Prefect's temporary API server, extraction workers
    assert proc.returncode == -signal.SIGKILL
    with duckdb.connect(str(db), read_only=True) as con:
        killed_run = con.execute("SELECT run_id FROM runs WHERE status = 'running'").fetchone()[0]
        assert not consistency(con)
    again = subprocess.run(args[:-1], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
    assert again.returncode == 0, again.stderr[-2000:]
    with duckdb.connect(str(db), read_only=True) as con:
        assert not consistency(con)
        assert not differences(business(con), world["reference"])
        status = con.execute("SELECT status FROM runs WHERE run_id = ?", [killed_run]).fetchone()[0]
    assert status == "crashed"
