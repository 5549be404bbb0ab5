"""Ingestion benchmark: a synthetic demo world served on loopback, one real nightly run.

    python bench/ingest.py --articles 2000 --outlets 20 --events 200 [--seed 1] [--json FILE]

The world comes from demo.synthetic.generate_world (invented outlets, events and articles).
Prints measured figures (never pass/fail): pages, per-stage seconds, pages/s fetched and
extracted, and peak RSS of this process and of its largest child (extraction workers).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="world seed")
    parser.add_argument("--outlets", type=int, default=20, help="number of outlets")
    parser.add_argument("--events", type=int, default=200, help="number of events")
    parser.add_argument("--articles", type=int, default=None,
                        help="exact number of articles (default: about 3 per event)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    return parser.parse_args()


def main() -> None:
    """Generate the world, serve it, run one night against it and print the figures."""
    args = _parse_args()
    work = Path(tempfile.mkdtemp(prefix="parallax-bench-"))
    os.environ.update(PREFECT_HOME=str(work / "prefect"), DO_NOT_TRACK="1",
                      PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="WARNING")
    import duckdb

    from demo.server import DemoWorld
    from demo.synthetic import generate_world
    from flows.nightly import nightly

    started = time.perf_counter()
    corpus = generate_world(seed=args.seed, outlets=args.outlets, events=args.events,
                            articles=args.articles)
    generated = time.perf_counter() - started
    with DemoWorld(corpus) as world:
        config = world.write_config(work / "outlets.toml")
        started = time.perf_counter()
        nightly(config=str(config), data_dir=str(work / "data"))
        wall = time.perf_counter() - started
    with duckdb.connect(str(work / "data" / "warehouse.duckdb"), read_only=True) as con:
        stages = dict(con.execute("SELECT stage, seconds FROM run_stages").fetchall())
        pages = con.execute("SELECT count(*) FROM pages").fetchone()[0]
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    result = dict(world=dict(seed=args.seed, outlets=len(corpus.outlets), events=len(corpus.gold),
                             articles=len(corpus.articles), generate_s=round(generated, 2)),
                  articles=articles, pages=pages, wall_s=round(wall, 2),
                  stages={k: round(v, 2) for k, v in stages.items()},
                  pages_per_s=round(pages / (stages["pages"] + stages["extract"]), 1),
                  peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  peak_child_rss_mb=round(
                      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
                  cpus=os.cpu_count())
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
