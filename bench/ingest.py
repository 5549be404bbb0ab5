"""Ingestion benchmark: the demo world multiplied, served on loopback, one real nightly run.

    python bench/ingest.py --copies 20 [--json FILE]

Prints measured figures (never pass/fail): pages, per-stage seconds, pages/s fetched and
extracted, and peak RSS of this process and of its largest child (extraction workers).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def multiplied_corpus(copies: int):
    """The demo corpus with `copies` variants of every article (new ids, paths and text)."""
    from demo.world import load_corpus

    corpus = load_corpus()
    articles = []
    for k in range(copies):
        for a in corpus.articles:
            stem, _, _ = a.path.rpartition(".")
            body = (a.body_paragraphs[0] + f" (Edition {k}.)",) + a.body_paragraphs[1:]
            articles.append(dataclasses.replace(a, id=f"{a.id}-e{k}", path=f"{stem}-e{k}.html",
                                                published=a.published + timedelta(minutes=k),
                                                body_paragraphs=body))
    return dataclasses.replace(corpus, articles=tuple(sorted(articles, key=lambda x: x.published)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="parallax-bench-"))
    os.environ.update(PREFECT_HOME=str(work / "prefect"), DO_NOT_TRACK="1",
                      PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="WARNING")
    import duckdb

    from demo.server import DemoWorld
    from flows.nightly import nightly

    with DemoWorld(multiplied_corpus(args.copies)) as world:
        config = world.write_config(work / "outlets.toml")
        started = time.perf_counter()
        nightly(config=str(config), data_dir=str(work / "data"))
        wall = time.perf_counter() - started
    with duckdb.connect(str(work / "data" / "warehouse.duckdb"), read_only=True) as con:
        stages = dict(con.execute("SELECT stage, seconds FROM run_stages").fetchall())
        pages = con.execute("SELECT count(*) FROM pages").fetchone()[0]
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    result = dict(articles=articles, pages=pages, wall_s=round(wall, 2),
                  stages={k: round(v, 2) for k, v in stages.items()},
                  pages_per_s=round(pages / (stages["pages"] + stages["extract"]), 1),
                  peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  peak_child_rss_mb=round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
                  cpus=os.cpu_count())
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
