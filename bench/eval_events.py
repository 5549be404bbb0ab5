"""Event-matching quality: pairwise P/R/F1 (Miranda et al. 2018) and B-cubed F1 on labelled sets.

    python bench/eval_events.py [--sets demo,basil,newswcl50,uci,synthetic] [--set NAME=VALUE ...]
    python bench/eval_events.py --speed            # 10,000 synthetic articles: articles/s, peak RSS
    python bench/eval_events.py --languages        # how each German and French demo article fares

Reads ../shared/data/events/*.jsonl when present (skips cleanly otherwise), the demo gold and a
synthetic world (demo.synthetic) with its gold.

Orders and dates, so that no set hands the matcher its gold grouping:
- NewsWCL50 rows have no dates and the file lists each event's five articles together. All its
  articles get the same day, in an order shuffled with a fixed seed (`--orders N` reports the
  mean and the worst of N seeds). File order would feed each event's articles consecutively.
- UCI rows carry the aggregator's timestamps, and each story's headlines were stamped within a
  minute or two of each other, so date order groups them: `uci` is that order as given,
  `uci-shuffled` spreads the same timestamps over the rows in a seeded random order.
- BASIL and the demo have real publication dates (BASIL: days only).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data" / "events"
FILES = {"basil": "basil-2010-2014.jsonl", "newswcl50": "newswcl50.jsonl", "uci": "uci-headlines-2014.jsonl",
         "uci-shuffled": "uci-headlines-2014.jsonl"}
NEWSWCL50_DAY = datetime(2018, 5, 1, tzinfo=timezone.utc)


def pairwise(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """Precision, recall and F1 over all article pairs (counted per cluster, not per pair)."""
    both: dict[tuple[str, str], int] = defaultdict(int)
    by_gold: dict[str, int] = defaultdict(int)
    by_pred: dict[str, int] = defaultdict(int)
    for a in gold:
        both[gold[a], pred[a]] += 1
        by_gold[gold[a]] += 1
        by_pred[pred[a]] += 1
    pairs = lambda n: n * (n - 1) // 2  # noqa: E731
    tp = sum(pairs(n) for n in both.values())
    fp = sum(pairs(n) for n in by_pred.values()) - tp
    fn = sum(pairs(n) for n in by_gold.values()) - tp
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


def _date(value) -> datetime:
    if str(value).isdigit():
        return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc)
    return datetime.fromisoformat(str(value)[:10]).replace(tzinfo=timezone.utc)


def load_set(name: str, seed: int = 0):
    """(items, gold) of one labelled set, or None when its data is absent."""
    from pipeline.matching import MatchItem

    if name == "demo":
        from demo.world import load_corpus
        return _corpus_items(load_corpus())
    if name == "synthetic":
        return _synthetic(seed=7, outlets=24, events=300, articles=1500)
    path = DATA / FILES[name]
    if not path.exists():
        return None
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    if name == "newswcl50":
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)
        dates = [NEWSWCL50_DAY + timedelta(minutes=order[i]) for i in range(len(rows))]
    elif name == "uci-shuffled":
        dates = sorted(_date(r["date"]) for r in rows)
        random.Random(seed).shuffle(dates)
    else:
        dates = [_date(r["date"]) for r in rows]
    items = [MatchItem(article_id=r["doc_id"], outlet_id=r["outlet"], published_at=dates[i],
                       title=r.get("title") or "", text=r.get("text") or "") for i, r in enumerate(rows)]
    return items, {r["doc_id"]: r["cluster_id"] for r in rows}


def _corpus_items(corpus):
    from pipeline.matching import MatchItem

    items = [MatchItem(article_id=a.id, outlet_id=a.outlet, published_at=a.published, title=a.title,
                       text="\n\n".join(a.body_paragraphs)) for a in corpus.articles]
    return items, {a.id: a.event for a in corpus.articles}


def _synthetic(**kwargs):
    try:
        from demo.synthetic import generate_world
    except ImportError:
        return None
    return _corpus_items(generate_world(**kwargs))


def score(gold: dict[str, str], pred: dict[str, str]) -> dict:
    p, r, f = pairwise(gold, pred)
    return dict(precision=round(p, 4), recall=round(r, 4), f1=round(f, 4), bcubed_f1=round(bcubed(gold, pred), 4))


def evaluate(name: str, settings, seed: int = 0) -> dict | None:
    from pipeline.matching import match

    loaded = load_set(name, seed)
    if loaded is None:
        print(f"{name}: data not found (under {DATA} or demo.synthetic), skipped")
        return None
    items, gold = loaded
    started = time.perf_counter()
    assignments = match(items, [], settings)
    seconds = time.perf_counter() - started
    pred = {a.article_id: a.event_id for a in assignments}
    return dict(set=name, articles=len(items), gold_events=len(set(gold.values())), events=len(set(pred.values())),
                **score(gold, pred), seconds=round(seconds, 2))


def demo_languages(settings) -> dict:
    """How the German and French demo articles fare: joined to their event's English coverage or not."""
    from pipeline.matching import match

    items, gold = load_set("demo")
    assignments = match(items, [], settings)
    pred = {a.article_id: a.event_id for a in assignments}
    by = {a.article_id: a for a in assignments}
    english = defaultdict(set)
    for i in items:
        if i.outlet_id not in ("rundblick", "messager"):
            english[gold[i.article_id]].add(pred[i.article_id])
    rows = []
    for i in items:
        if i.outlet_id in ("rundblick", "messager"):
            event = gold[i.article_id]
            ok = pred[i.article_id] in english[event] and len(english[event]) == 1
            wrong = {gold[j.article_id] for j in items if pred[j.article_id] == pred[i.article_id]} - {event}
            a = by[i.article_id]
            rows.append(dict(article=i.article_id, joined=ok, with_other_events=sorted(wrong), score=a.score,
                             evidence=a.evidence_similarity, names=a.shared_names[:4], numbers=a.shared_numbers[:4],
                             dates=a.shared_dates[:3]))
    return dict(joined=sum(r["joined"] for r in rows), of=len(rows), articles=rows)


def speed(settings, mode: str) -> dict:
    """Match 10,000 synthetic articles: in one call, or night by night as the nightly flow does
    (each night's articles, with the articles of the quiet window before them as members), either
    recomputing the members' features and backgrounds or getting them back with the members."""
    from pipeline.features import features
    from pipeline.matching import Member, match

    try:
        from demo.synthetic import generate_world
        corpus = generate_world(seed=1, outlets=30, events=2000, articles=10000)
        source = "demo.synthetic.generate_world(seed=1, outlets=30, events=2000, articles=10000)"
        items, gold = _corpus_items(corpus)
    except ImportError:
        source = "the demo corpus replicated with varied names"
        items, gold = _replicated(10000)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    cpu, started = time.process_time(), time.perf_counter()
    if mode != "batch":
        keep = mode == "nights-kept"
        assignments, history = [], []
        by_day = defaultdict(list)
        for item in items:
            by_day[item.published_at.date()].append(item)
        window = timedelta(days=settings.quiet_days)
        for day in sorted(by_day):
            start = min(i.published_at for i in by_day[day]) - window
            tonight = by_day[day]
            if keep:  # extracted once, when the articles arrive, and kept with them
                tonight = [dataclasses.replace(i, features=features(i.title, i.text, published=i.published_at.date()))
                           for i in tonight]
            night = match(tonight, [m for m in history if m.item.published_at >= start], settings)
            assignments += night
            done = {a.article_id: a for a in night}
            history += [Member(item=i, event_id=done[i.article_id].event_id,
                               background=done[i.article_id].background if keep else None) for i in tonight]
    else:
        assignments = match(items, [], settings)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    pred = {a.article_id: a.event_id for a in assignments}
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    label = {"batch": "one call", "nights": "night by night, members recomputed",
             "nights-kept": "night by night, members keep features and background"}[mode]
    return dict(source=source, mode=label, articles=len(items),
                seconds=round(seconds, 2), cpu_seconds_main_process=round(cpu, 2),
                articles_per_s=round(len(items) / seconds), **score(gold, pred),
                peak_rss_mb_before=round(rss_before), peak_rss_mb_after=round(rss_after),
                load_average_at_start=round(load, 2), cores=os.cpu_count())


def _replicated(count: int):
    """The demo corpus copied until `count` articles, each copy with its names and numbers varied."""
    import re

    from pipeline.matching import MatchItem

    items, gold = load_set("demo")
    out, out_gold = [], {}
    for copy in range(count // len(items) + 1):
        shift = timedelta(days=21 * copy)
        salt = lambda s: re.sub(r"\b([A-Z][a-z]+)", lambda m: m.group(1) + f"x{copy}", s)  # noqa: E731
        for i in items:
            aid = f"{i.article_id}-c{copy}"
            out.append(MatchItem(article_id=aid, outlet_id=i.outlet_id, published_at=i.published_at + shift,
                                 title=salt(i.title), text=salt(i.text)))
            out_gold[aid] = f"{gold[i.article_id]}-c{copy}"
    return out[:count], {a.article_id: out_gold[a.article_id] for a in out[:count]}


def _settings(args):
    from pipeline.matching import MatchSettings

    defaults = MatchSettings()
    changes = {}
    for pair in args.set:
        key, value = pair.split("=", 1)
        kind = type(getattr(defaults, key))
        changes[key] = kind(value) if kind is not bool else value.lower() in ("1", "true", "yes")
    return dataclasses.replace(defaults, **changes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="demo,basil,newswcl50,uci,uci-shuffled,synthetic")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a MatchSettings field")
    parser.add_argument("--orders", type=int, default=5, help="NewsWCL50: seeded orders to average (0: one)")
    parser.add_argument("--languages", action="store_true", help="list how each German/French demo article fares")
    parser.add_argument("--speed", action="store_true", help="time 10,000 synthetic articles (in a fresh process)")
    parser.add_argument("--speed-child", choices=["batch", "nights", "nights-kept"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    settings = _settings(args)
    if args.speed_child:
        print(json.dumps(speed(settings, args.speed_child)))
        return
    if args.speed:
        for mode in ("batch", "nights-kept", "nights"):
            command = [sys.executable, __file__, "--speed-child", mode] + [f"--set={s}" for s in args.set]
            print(subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip())
        return
    for name in args.sets.split(","):
        result = evaluate(name, settings)
        if result:
            print(json.dumps(result))
        if result and name == "newswcl50" and args.orders > 1:
            runs = [evaluate(name, settings, seed) for seed in range(args.orders)]
            f1s = [r["f1"] for r in runs]
            print(json.dumps(dict(set=f"newswcl50 ({args.orders} orders)", f1_mean=round(sum(f1s) / len(f1s), 4),
                                  f1_min=min(f1s), f1_max=max(f1s),
                                  bcubed_f1_mean=round(sum(r["bcubed_f1"] for r in runs) / len(runs), 4))))
    if "demo" in args.sets.split(","):
        languages = demo_languages(settings)
        if args.languages:
            print(json.dumps(languages, ensure_ascii=False, indent=1))
        else:
            print(json.dumps(dict(set="demo de/fr articles joined to their event's English coverage",
                                  joined=languages["joined"], of=languages["of"])))


if __name__ == "__main__":
    main()
