"""Event-matching quality: pairwise P/R/F1 (Miranda et al. 2018) and B-cubed F1 on labelled sets.

    python bench/eval_events.py [--threshold T] [--sets basil,newswcl50,uci,demo]

Reads ../shared/data/events/*.jsonl when present (skips cleanly otherwise) and the demo gold.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data" / "events"


def pairwise(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """Precision, recall and F1 over all article pairs."""
    ids = sorted(gold)
    tp = fp = fn = 0
    for a, b in itertools.combinations(ids, 2):
        same_gold, same_pred = gold[a] == gold[b], pred[a] == pred[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> float:
    """B-cubed F1."""
    by_gold, by_pred = defaultdict(set), defaultdict(set)
    for a in gold:
        by_gold[gold[a]].add(a)
        by_pred[pred[a]].add(a)
    p = sum(len(by_gold[gold[a]] & by_pred[pred[a]]) / len(by_pred[pred[a]]) for a in gold) / len(gold)
    r = sum(len(by_gold[gold[a]] & by_pred[pred[a]]) / len(by_gold[gold[a]]) for a in gold) / len(gold)
    return 2 * p * r / (p + r)


def _date(value, index: int) -> datetime:
    if value is None:
        return datetime(2018, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=index)
    if str(value).isdigit():
        return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc)
    return datetime.fromisoformat(str(value)[:10]).replace(tzinfo=timezone.utc)


def load_set(name: str):
    """(items, gold) of one labelled set."""
    from pipeline.matching import MatchItem

    if name == "demo":
        return _demo()
    path = DATA / {"basil": "basil-2010-2014.jsonl", "newswcl50": "newswcl50.jsonl", "uci": "uci-headlines-2014.jsonl"}[name]
    if not path.exists():
        return None
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    items = [MatchItem(article_id=r["doc_id"], outlet_id=r["outlet"], published_at=_date(r.get("date"), i),
                       title=r.get("title") or "", text=r.get("text") or "") for i, r in enumerate(rows)]
    return items, {r["doc_id"]: r["cluster_id"] for r in rows}


def _demo():
    from demo.world import load_corpus
    from pipeline.matching import MatchItem

    corpus = load_corpus()
    items = [MatchItem(article_id=a.id, outlet_id=a.outlet, published_at=a.published, title=a.title,
                       text="\n\n".join(a.body_paragraphs)) for a in corpus.articles]
    return items, {a.id: a.event for a in corpus.articles}


def evaluate(name: str, settings) -> dict | None:
    from pipeline.matching import match

    loaded = load_set(name)
    if loaded is None:
        print(f"{name}: data not found under {DATA}, skipped")
        return None
    items, gold = loaded
    started = time.perf_counter()
    assignments = match(items, [], settings)
    seconds = time.perf_counter() - started
    pred = {a.article_id: a.event_id for a in assignments}
    p, r, f = pairwise(gold, pred)
    return dict(set=name, articles=len(items), gold_events=len(set(gold.values())), events=len(set(pred.values())),
                precision=round(p, 4), recall=round(r, 4), f1=round(f, 4), bcubed_f1=round(bcubed(gold, pred), 4),
                seconds=round(seconds, 2))


def main() -> None:
    from pipeline.matching import MatchSettings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=MatchSettings().threshold)
    parser.add_argument("--content-weight", type=float, default=MatchSettings().content_weight)
    parser.add_argument("--quiet-days", type=float, default=MatchSettings().quiet_days)
    parser.add_argument("--sets", default="demo,basil,newswcl50,uci")
    args = parser.parse_args()
    settings = MatchSettings(threshold=args.threshold, content_weight=args.content_weight, quiet_days=args.quiet_days)
    for name in args.sets.split(","):
        result = evaluate(name, settings)
        if result:
            print(json.dumps(result))


if __name__ == "__main__":
    main()
