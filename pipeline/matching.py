"""Event matching: which articles, across outlets and nights, report the same event.

Articles are clustered one publication day (UTC) at a time, oldest day first.

Similarity of two articles of the window (the day and the `quiet_days` before it):
- in one language: weighted TF-IDF cosine of their content terms and of their titles, plus the
  overlap of their evidence: the IDF-weighted names, numbers and calendar dates both mention
  (`features`), relative to the article with less of it;
- in two languages: that evidence overlap alone (names, places, numbers and dates carry over);
- discounted when both come from one outlet (a house style is not an event), and when they share
  no specific evidence (no run of names such as "Claus Weselsky", no number other than a year).
Document frequencies are those of the window, per language, as if `idf_pseudo_docs` unrelated
articles were in it too (a small window otherwise makes every word look rare).

Clustering: average linkage, best pair of clusters first, while the link reaches `threshold`.
The link is the mean similarity of all pairs of articles across the two clusters, minus
`background` times the articles' background similarity: how similar each is, on average, to the
window's articles other than its most similar ones. The threshold is thus relative to how alike
the day's candidates are (one week of coverage of one country, or of one election, is alike).
Events of earlier days take part as fixed clusters: the day's articles join them or form new
events, but two earlier events never merge, so an event keeps the id of its first article
(`event_id_for`) for good.

Blocking: only the window's articles are indexed, and an article meets only those that share a
term or an evidence token with it; terms in more than `common_share` of the window are not
indexed. The cost grows with the day and the window, not with the history.

Incremental: calling `match` night by night (UTC days), with the earlier articles and their
events as `members`, gives the same result as one call over all the nights. Members from the
last `quiet_days` are enough for the events; for identical scores they must reach back
2 × `quiet_days`, since each member's weights were computed over its own window. Members may
carry their `Assignment.background`, and items their `features`, to skip recomputing them.
Deterministic: the order of the input does not matter.

Explainable: each Assignment records the average similarity to the event's other articles
(`score`) and, over its closest ones, content, title and evidence similarity and what they share.
"""
from __future__ import annotations

import bisect
import heapq
import math
import multiprocessing
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from pipeline.features import ArticleFeatures, features
from pipeline.ids import stable_id


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchSettings:
    """The knobs of matching (see the module docstring)."""

    # the decision: two clusters merge while their link reaches the threshold, where the link is
    # the mean pair similarity minus `background` times the mean background of their articles
    threshold: float = 0.125
    background: float = 1.5
    # a pair of articles in one language: weighted cosine of content terms and of title terms,
    # and the rest for the overlap of their evidence; in two languages: the evidence overlap only
    content_weight: float = 0.5
    title_weight: float = 0.2
    cross_weight: float = 1.3
    same_outlet_weight: float = 0.5   # two articles of one outlet share a house style
    weak_pair_weight: float = 0.6     # two articles sharing no specific evidence (a run of names, a number)
    single_name_weight: float = 0.5   # evidence weight of a one-word name or a year (specific evidence: 1)
    date_weight: float = 0.5          # evidence weight of a calendar date (events of one day share it)
    # the window and the statistics over it
    quiet_days: float = 7.0           # an article is compared with those of its day and this many days before
    idf_pseudo_docs: float = 200.0    # rarity as if the window also held this many unrelated articles
    common_share: float = 0.03        # content terms in more than this share of the window are ignored ...
    common_floor: int = 50            # ... once they are in more than this many articles
    evidence_common_share: float = 0.05  # ... and evidence in more than this share
    pair_floor: float = 0.02          # pair similarities below this count as 0
    background_trim: int = 10         # an article's background leaves out its most similar articles ...
    background_prior: float = 0.03    # ... and is shrunk towards this value ...
    background_weight: float = 10.0   # ... with the weight of this many articles
    workers: int = 0                  # processes extracting features of large batches (0: one per core)


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchItem:
    """An article as matching sees it."""

    article_id: str
    outlet_id: str
    published_at: datetime
    title: str
    text: str
    features: ArticleFeatures | None = None   # precomputed `features(title, text, published=...)`, if kept


@dataclass(frozen=True, slots=True, kw_only=True)
class Member:
    """An article already assigned to an event (from earlier nights)."""

    item: MatchItem
    event_id: str
    background: float | None = None   # its Assignment.background, if kept (else recomputed)


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    """Where an article went, and why.

    `score`: the mean pair similarity with the event's other articles of the window (0 for an
    article alone); `content_`, `title_` and `evidence_similarity` and the `shared_*` lists: with
    (up to three of) its closest articles in the event; `gap_days`: since the event's previous
    article; `runner_up_*`: the best other event by mean pair similarity; `candidates`: the other
    events it shares anything with; `background`: its mean similarity to the window's articles
    (the merge decision is the mean pair similarity minus `MatchSettings.background` times the
    articles' mean background, against `MatchSettings.threshold`).
    """

    article_id: str
    event_id: str
    new_event: bool
    score: float
    content_similarity: float
    evidence_similarity: float
    shared_names: tuple[str, ...]
    shared_numbers: tuple[str, ...]
    shared_terms: tuple[str, ...]
    gap_days: float
    runner_up_event: str | None
    runner_up_score: float
    candidates: int
    shared_dates: tuple[str, ...] = ()
    title_similarity: float = 0.0
    language: str = ""
    cross_language: bool = False
    background: float = 0.0


def event_id_for(first_article_id: str) -> str:
    """An event's id derives from its first article, so reruns give the same ids."""
    return "ev-" + stable_id("event", first_article_id)[:12]


@dataclass(slots=True, eq=False)
class _Doc:
    item: MatchItem
    feats: ArticleFeatures
    language: str
    key: tuple[datetime, str]
    outlet: str
    vector: dict[str, float] = field(default_factory=dict)
    title: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    mass: float = 0.0
    background: float = 0.0
    known: bool = False          # background given with the member: not recomputed
    strong: frozenset[str] = frozenset()
    event: str = ""


def _docs(items: list[MatchItem], workers: int) -> list[_Doc]:
    """The articles with their features, extracted in `workers` processes for large batches."""
    todo = [i for i in items if i.features is None]
    jobs = [(i.title, i.text, _utc(i.published_at).date()) for i in todo]
    found = None
    workers = min(workers or os.cpu_count() or 1, len(jobs) // PARALLEL_BATCH)
    # forked workers only: they need no re-import of the caller's main module, and forking is safe
    # only while this process runs a single thread (under a thread pool, extraction stays serial)
    if (workers > 1 and threading.active_count() == 1 and not multiprocessing.current_process().daemon
            and "fork" in multiprocessing.get_all_start_methods()):
        try:
            context = multiprocessing.get_context("fork")
            size = -(-len(jobs) // (workers * 4))
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                chunks = pool.map(_extract, [jobs[k:k + size] for k in range(0, len(jobs), size)])
                found = [f for chunk in chunks for f in chunk]
        except (OSError, RuntimeError, AssertionError, BrokenProcessPool):  # no processes here: extract in this one
            found = None
    if found is None:
        found = _extract(jobs)
    extracted = iter(found)
    return [_Doc(i, f, f.language, (_utc(i.published_at), i.article_id), i.outlet_id)
            for i in items for f in [i.features if i.features is not None else next(extracted)]]


def _extract(jobs: list[tuple[str, str, date]]) -> list[ArticleFeatures]:
    return [features(title, text, published=day) for title, text, day in jobs]


PARALLEL_BATCH = 1000   # articles per extra feature process


def _utc(when: datetime) -> datetime:
    """A publication time in UTC (a naive one is taken to be UTC already)."""
    return when.astimezone(timezone.utc) if when.tzinfo else when.replace(tzinfo=timezone.utc)


class _Df:
    """Document frequencies: of content terms per language (content is only compared within a
    language) and of evidence per language, backed off to all languages while a language has few
    articles (German capitalises every noun, so its 'names' are mostly common words)."""

    prior = 10.0

    def __init__(self, pseudo: float = 0.0) -> None:
        self.pseudo = pseudo
        self.cache: dict[str, dict[str, float]] = {}
        self.terms: dict[str, Counter[str]] = defaultdict(Counter)
        self.n_lang: Counter[str] = Counter()
        self.evidence: Counter[str] = Counter()
        self.evidence_lang: dict[str, Counter[str]] = defaultdict(Counter)
        self.n = 0

    def add(self, doc: _Doc, sign: int = 1) -> None:
        self.cache.clear()
        terms, evidence = self.terms[doc.language], self.evidence_lang[doc.language]
        if sign > 0:  # Counter.update counts an iterable in C
            terms.update(doc.feats.terms.keys())
            evidence.update(doc.feats.evidence)
            self.evidence.update(doc.feats.evidence)
        else:
            terms.subtract(doc.feats.terms.keys())
            evidence.subtract(doc.feats.evidence)
            self.evidence.subtract(doc.feats.evidence)
        self.n_lang[doc.language] += sign
        self.n += sign

    def term(self, token: str, lang: str) -> float:
        return math.log((self.n_lang[lang] + self.pseudo + 1) / (self.terms[lang].get(token, 0) + 1)) + 1.0

    def term_weights(self, lang: str) -> dict[str, float]:
        """A cache of `term` for one language, valid until the frequencies change."""
        cache = self.cache.get(lang)
        if cache is None:
            cache = self.cache[lang] = {}
        return cache

    def evidence_in(self, token: str, lang: str) -> float:
        overall = (self.evidence.get(token, 0) + 1) / (self.n + self.pseudo + 1)
        p = (self.evidence_lang[lang].get(token, 0) + self.prior * overall) / (self.n_lang[lang] + self.prior)
        return math.log(1 / p) + 1.0


_YEAR = re.compile(r"#(?:19|20)\d\d")


def match(new: Sequence[MatchItem], members: Sequence[Member], settings: MatchSettings = MatchSettings()) -> list[Assignment]:
    """Assign every new article to an event, a publication day at a time."""
    items = [m.item for m in members] + list(new)
    labels = [m.event_id for m in members] + [None] * len(new)
    entries = list(zip(_docs(items, settings.workers), labels))
    for (doc, _), member in zip(entries, members):
        if member.background is not None:
            doc.background, doc.known = member.background, True
    entries.sort(key=lambda e: e[0].key)
    days: dict[date, list[tuple[_Doc, str | None]]] = defaultdict(list)
    for doc, event_id in entries:
        days[doc.key[0].date()].append((doc, event_id))
    state = _State(settings)
    out: dict[str, Assignment] = {}
    for day in sorted(days):
        out.update(state.run_day(day, days[day]))
    return [out[i.article_id] for i in sorted(new, key=lambda i: (_utc(i.published_at), i.article_id))]


class _State:
    """The window's articles, their postings and events, and the document frequencies."""

    def __init__(self, settings: MatchSettings) -> None:
        self.s = settings
        self.df = _Df(settings.idf_pseudo_docs)
        self.window: list[_Doc] = []                  # articles of the window, oldest first
        self.content: dict[str, dict[str, dict[_Doc, float]]] = defaultdict(dict)
        self.titles: dict[str, dict[str, dict[_Doc, float]]] = defaultdict(dict)
        self.evidence: dict[str, dict[_Doc, float]] = {}
        self.events: dict[str, list[_Doc]] = defaultdict(list)   # window members of each event

    # ------------------------------------------------------------------ the window

    def run_day(self, day: date, entries: list[tuple[_Doc, str | None]]) -> dict[str, Assignment]:
        start = datetime.combine(day, time.min, tzinfo=timezone.utc)
        self.expire(start - timedelta(days=self.s.quiet_days))
        for doc, _ in entries:
            self.df.add(doc)
        for doc, _ in entries:
            self.weigh(doc)
        fresh = []
        for doc, event_id in entries:
            self.index(doc)
            if event_id is None:
                fresh.append(doc)
            else:
                self.join(doc, event_id)
        pairs = {doc: self.pairs(doc) for doc, _ in entries if not doc.known}
        for doc, found in pairs.items():
            doc.background = self.background(found)
        if not fresh:
            return {}
        return _Day(self, fresh, pairs).cluster()

    def background(self, found: dict[_Doc, float]) -> float:
        """How similar an article is to the window's articles in general (the mean similarity
        without its `background_trim` most similar ones), shrunk towards a prior."""
        s = self.s
        scores = sorted(found.values(), reverse=True)[s.background_trim:]
        others = max(0, len(self.window) - 1 - s.background_trim)
        return (sum(scores) + s.background_prior * s.background_weight) / (others + s.background_weight)

    def expire(self, horizon: datetime) -> None:
        keep = 0
        while keep < len(self.window) and self.window[keep].key[0] < horizon:
            doc = self.window[keep]
            for t in doc.vector:
                _discard(self.content[doc.language], t, doc)
            for t in doc.title:
                _discard(self.titles[doc.language], t, doc)
            for t in doc.weights:
                _discard(self.evidence, t, doc)
            members = self.events.get(doc.event)
            if members is not None:
                members.remove(doc)
                if not members:
                    del self.events[doc.event]
            self.df.add(doc, -1)
            keep += 1
        del self.window[:keep]

    def weigh(self, doc: _Doc) -> None:
        idf, lang, s = self.df, doc.language, self.s
        terms, evidence = idf.terms[lang], idf.evidence
        cap = max(s.common_floor, s.common_share * idf.n_lang[lang])
        known = idf.term_weights(lang)
        weights = {}
        for t, c in doc.feats.terms.items():
            w = known.get(t)
            if w is None:
                w = known[t] = idf.term(t, lang)
            weights[t] = w if c == 1 else (1 + math.log(c)) * w
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        doc.vector = {t: w / norm for t, w in weights.items() if terms[t] <= cap}
        title = {t: known.get(t) or idf.term(t, lang) for t in doc.feats.title_terms}
        norm = math.sqrt(sum(w * w for w in title.values())) or 1.0
        doc.title = {t: w / norm for t, w in title.items() if terms[t] <= cap}
        cap = max(s.common_floor, s.evidence_common_share * idf.n)
        doc.weights = {t: idf.evidence_in(t, lang) * self.kind_weight(t)
                       for t in doc.feats.evidence if evidence[t] <= cap}
        doc.strong = frozenset(t for t in doc.weights if self.kind_weight(t) >= 1.0)
        doc.mass = sum(doc.weights.values())

    def kind_weight(self, token: str) -> float:
        """How specific a kind of evidence is: a run of names, a number or a date (1), one
        capitalised word or a year (`single_name_weight`)."""
        if token[0] == "#":
            return self.s.single_name_weight if _YEAR.fullmatch(token) else 1.0
        if token[0] == "@":
            return self.s.date_weight
        if " " in token:
            return 1.0
        return self.s.single_name_weight

    def index(self, doc: _Doc) -> None:
        self.window.append(doc)
        for t, w in doc.vector.items():
            self.content[doc.language].setdefault(t, {})[doc] = w
        for t, w in doc.title.items():
            self.titles[doc.language].setdefault(t, {})[doc] = w
        for t, w in doc.weights.items():
            self.evidence.setdefault(t, {})[doc] = w

    def join(self, doc: _Doc, event_id: str) -> None:
        doc.event = event_id
        self.events[event_id].append(doc)

    # ------------------------------------------------------------------ similarities

    def pairs(self, doc: _Doc) -> dict[_Doc, float]:
        """Similarities of `doc` with the other articles of the window that share a token with it
        (those below `pair_floor` left out)."""
        s = self.s
        lang, outlet = doc.language, doc.outlet
        content = _accumulate(doc.vector, self.content[lang], s.content_weight)
        if doc.title:
            for other, v in _accumulate(doc.title, self.titles[lang], s.title_weight).items():
                content[other] = content.get(other, 0.0) + v
        shared: dict[_Doc, float] = {}
        strong: set[_Doc] = set()
        evidence, get = self.evidence, shared.get
        for t, w in doc.weights.items():
            posting = evidence[t]
            for other, v in posting.items():
                shared[other] = get(other, 0.0) + w + v
            if t in doc.strong:
                strong.update(posting)
        w_e = (1 - s.content_weight - s.title_weight) / 2
        w_x = s.cross_weight / 2
        floor, same, weak = s.pair_floor, s.same_outlet_weight, s.weak_pair_weight
        mass = doc.mass
        out = {}
        pop = content.pop
        for other, total in shared.items():
            m = other.mass
            e = total / ((m if m < mass else mass) or 1.0)
            score = pop(other, 0.0) + w_e * e if other.language == lang else w_x * e
            if other.outlet == outlet:
                score *= same
            if other not in strong:
                score *= weak
            if score >= floor:
                out[other] = score
        for other, score in content.items():
            score *= weak * (same if other.outlet == outlet else 1.0)
            if score >= floor:
                out[other] = score
        out.pop(doc, None)
        return out

    def components(self, doc: _Doc, other: _Doc) -> tuple[float, float, float]:
        """Content and title cosine (same language only) and evidence overlap of two articles."""
        shared = sum(w + other.weights[t] for t, w in doc.weights.items() if t in other.weights)
        evidence = shared / 2 / (min(doc.mass, other.mass) or 1.0)
        if other.language != doc.language:
            return 0.0, 0.0, evidence
        return _dot(doc.vector, other.vector), _dot(doc.title, other.title), evidence


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum(w * get(t, 0.0) for t, w in a.items())


def _accumulate(vector: dict[str, float], postings: dict[str, dict[_Doc, float]], scale: float) -> dict[_Doc, float]:
    acc: dict[_Doc, float] = {}
    get = acc.get
    for t, w in vector.items():
        w *= scale
        for other, v in postings[t].items():
            acc[other] = get(other, 0.0) + w * v
    return acc


def _discard(postings: dict[str, dict[_Doc, float]], token: str, doc: _Doc) -> None:
    posting = postings.get(token)
    if posting is not None:
        posting.pop(doc, None)
        if not posting:
            del postings[token]


class _Day:
    """Average-linkage clustering of one day's new articles, with the open events as fixed clusters."""

    def __init__(self, state: _State, fresh: list[_Doc], pairs: dict[_Doc, dict[_Doc, float]]) -> None:
        self.state = state
        self.fresh = fresh
        self.pair: dict[_Doc, dict[_Doc, float]] = {doc: pairs[doc] if doc in pairs else state.pairs(doc)
                                                     for doc in fresh}
        self.lam = state.s.background / 2
        # clusters: open events keep their ids; each new article starts as its own cluster
        self.members: dict[str, list[_Doc]] = {e: list(m) for e, m in state.events.items()}
        self.fixed = set(self.members)
        for doc in fresh:
            doc.event = "new:" + doc.item.article_id
            self.members[doc.event] = [doc]
        self.noise = {c: sum(d.background for d in docs) for c, docs in self.members.items()}
        self.version: Counter[str] = Counter()
        self.links: dict[str, dict[str, float]] = defaultdict(dict)   # cluster -> cluster -> sum of pair scores
        for doc in fresh:
            a = doc.event
            row = self.links[a]
            for other, score in self.pair[doc].items():
                b = other.event
                if b in self.fixed or (other in self.pair and b > a):
                    row[b] = row.get(b, 0.0) + score  # a pair of two new articles counts once
                    self.links[b][a] = self.links[b].get(a, 0.0) + score

    def average(self, a: str, b: str) -> float:
        na, nb = len(self.members[a]), len(self.members[b])
        return self.links[a].get(b, 0.0) / (na * nb) - self.lam * (self.noise[a] / na + self.noise[b] / nb)

    def cluster(self) -> dict[str, Assignment]:
        threshold = self.state.s.threshold
        heap = []
        members = self.members
        for a, row in self.links.items():
            na = len(members[a])
            for b, total in row.items():
                if a < b and total >= threshold * na * len(members[b]):
                    link = self.average(a, b)
                    if link >= threshold:  # a merged link averages its parts: one below stays below
                        heap.append((-link, a, b, 0, 0))
        heapq.heapify(heap)
        while heap:
            negative, a, b, va, vb = heapq.heappop(heap)
            if -negative < threshold:
                break
            if a not in self.members or b not in self.members or self.version[a] != va or self.version[b] != vb:
                continue
            if a in self.fixed or (b not in self.fixed and len(self.members[a]) >= len(self.members[b])):
                keep, gone = a, b
            else:
                keep, gone = b, a
            self.merge(keep, gone)
            size = len(self.members[keep])
            for other, total in self.links[keep].items():
                if total < threshold * size * len(self.members[other]) or (other in self.fixed and keep in self.fixed):
                    continue
                x, y = (keep, other) if keep < other else (other, keep)
                link = self.average(x, y)
                if link >= threshold:
                    heapq.heappush(heap, (-link, x, y, self.version[x], self.version[y]))
        return self.explain()

    def merge(self, keep: str, gone: str) -> None:
        for doc in self.members[gone]:
            doc.event = keep
        self.members[keep].extend(self.members.pop(gone))
        self.noise[keep] += self.noise.pop(gone)
        if gone in self.fixed:
            self.fixed.add(keep)
        row = self.links.pop(gone, {})
        kept = self.links[keep]
        for other, total in row.items():
            self.links[other].pop(gone, None)
            if other != keep:
                kept[other] = kept.get(other, 0.0) + total
                self.links[other][keep] = self.links[other].get(keep, 0.0) + total
        kept.pop(gone, None)
        self.version[keep] += 1

    def explain(self) -> dict[str, Assignment]:
        names: dict[str, str] = {}
        for cluster, docs in self.members.items():
            names[cluster] = event_id_for(min(docs, key=lambda d: d.key).item.article_id) \
                if cluster.startswith("new:") else cluster
        self.members = {names[c]: docs for c, docs in self.members.items()}
        for docs in self.members.values():
            for doc in docs:
                doc.event = names.get(doc.event, doc.event)
        touched = {doc.event for doc in self.fresh}
        self.times = {e: sorted(d.key for d in self.members[e]) for e in touched}
        out = {doc.item.article_id: self.assignment(doc) for doc in sorted(self.fresh, key=lambda d: d.key)}
        for doc in self.fresh:
            self.state.join(doc, doc.event)
        return out

    def assignment(self, doc: _Doc) -> Assignment:
        own = doc.event
        pairs = self.pair[doc]
        totals: dict[str, float] = defaultdict(float)
        for other, score in pairs.items():
            totals[other.event] += score
        runner = max(((total / len(self.members[e]), e) for e, total in totals.items() if e != own), default=None)
        n = len(self.members[own]) - 1
        near = heapq.nlargest(EXPLAINED_PEERS, ((score, other.key, other) for other, score in pairs.items()
                                                if other.event == own))
        near = [other for _, _, other in near]
        parts = [self.state.components(doc, d) for d in near]
        same = [p for d, p in zip(near, parts) if d.language == doc.language]
        times = self.times[own]
        before = bisect.bisect_left(times, doc.key)
        return Assignment(
            article_id=doc.item.article_id, event_id=own, new_event=own == event_id_for(doc.item.article_id),
            score=round(totals.get(own, 0.0) / n, 4) if n else 0.0,
            content_similarity=round(sum(p[0] for p in same) / len(same), 4) if same else 0.0,
            title_similarity=round(sum(p[1] for p in same) / len(same), 4) if same else 0.0,
            evidence_similarity=round(sum(p[2] for p in parts) / len(parts), 4) if parts else 0.0,
            **_shared(doc, near),
            gap_days=round(max(0.0, (doc.key[0] - times[before - 1][0]).total_seconds() / 86400), 3)
            if before else 0.0,
            runner_up_event=runner[1] if runner else None, runner_up_score=round(runner[0], 4) if runner else 0.0,
            candidates=len(totals.keys() - {own}), language=doc.language,
            cross_language=bool(near) and all(d.language != doc.language for d in near),
            background=round(doc.background, 6))


def _shared(doc: _Doc, peers: list[_Doc]) -> dict[str, tuple[str, ...]]:
    """What `doc` has in common with its closest peers in its event: names, numbers, dates, terms."""
    evidence: set[str] = set()
    terms: Counter[str] = Counter()
    for d in peers:
        evidence |= d.feats.evidence
        if d.language == doc.language:
            terms.update(d.vector.keys())
    names = sorted((t for t in doc.feats.names if t in evidence), key=lambda t: (-doc.weights.get(t, 0.0), t))
    numbers = sorted(n for n in doc.feats.numbers if f"#{n}" in evidence)
    dates = sorted(d for d in doc.feats.dates if d in evidence)
    shared_terms = sorted((t for t in doc.vector if t in terms), key=lambda t: (-doc.vector[t] * terms[t], t))
    return dict(shared_names=tuple(names[:8]), shared_numbers=tuple(numbers[:8]),
                shared_terms=tuple(shared_terms[:8]), shared_dates=tuple(dates[:8]))


EXPLAINED_PEERS = 3   # the closest articles of its event that an assignment explains itself by
