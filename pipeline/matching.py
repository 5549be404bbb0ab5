"""Event matching: clustering articles into events night by night, explainable and incremental.

Articles are taken one publication day at a time (UTC), oldest first. Every article of the day is
compared with the articles of the quiet window (the day itself and the `quiet_days` before it):
- in the same language, by TF-IDF cosine of its content terms and of its title, and by its
  evidence: the IDF-weighted overlap of the names, numbers and calendar dates both mention;
- across languages by that evidence alone (names, places, numbers and dates carry over).
The day's articles are then clustered by average linkage (the mean similarity of all pairs of
articles across two clusters), best pair first, until no pair of clusters reaches the threshold.
Events of earlier days take part as fixed clusters: the day's articles may join them, but two
earlier events never merge, so an event keeps the id of its first article (`event_id_for`).

Only articles of the window are indexed (blocking: an article meets only those that share a
term or an evidence token with it), so the cost grows with the day and the window, never with
the history. Running the days one call at a time, each with the earlier days' assignments as
`members`, gives the same events as one call over all the days.
"""
from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from pipeline.features import ArticleFeatures, features
from pipeline.ids import stable_id


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchSettings:
    """The knobs of matching (all documented in the README)."""

    threshold: float = 0.2          # average pair similarity two clusters need to merge
    content_weight: float = 0.5     # same language: cosine of content terms ...
    title_weight: float = 0.2       # ... cosine of title terms; the rest: evidence overlap
    cross_weight: float = 1.3       # across languages: evidence overlap times this
    quiet_days: float = 7.0         # the window: how far back an article is compared
    pair_floor: float = 0.02        # pair similarities below this count as 0
    common_share: float = 0.05      # terms and evidence in more than this share of the window's articles are ignored
    common_floor: int = 50          # ... but only once they are in more than this many
    vector_terms: int = 64          # an article's content vector keeps its heaviest terms
    idf_mode: str = "day"           # day: document frequencies over the window | batch: over all articles given


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchItem:
    """An article as matching sees it."""

    article_id: str
    outlet_id: str
    published_at: datetime
    title: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Member:
    """An article already assigned to an event (from earlier nights)."""

    item: MatchItem
    event_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    """Where an article went, and why (all similarities are averages over the event's other articles)."""

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


def event_id_for(first_article_id: str) -> str:
    """An event's id derives from its first article, so reruns give the same ids."""
    return "ev-" + stable_id("event", first_article_id)[:12]


@dataclass(slots=True, eq=False)
class _Doc:
    item: MatchItem
    feats: ArticleFeatures
    language: str
    key: tuple[datetime, str]
    vector: dict[str, float] = field(default_factory=dict)
    title: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    mass: float = 0.0
    event: str = ""


@dataclass(frozen=True, slots=True)
class _Pair:
    score: float
    content: float
    title: float
    evidence: float
    cross: bool


def _doc(item: MatchItem) -> _Doc:
    feats = features(item.title, item.text, published=item.published_at.date())
    return _Doc(item, feats, feats.language, (item.published_at, item.article_id))


def _day_of(when: datetime) -> date:
    return (when.astimezone(timezone.utc) if when.tzinfo else when).date()


class _Df:
    """Document frequencies: of content terms per language (content is only compared within a
    language) and of evidence per language, backed off to all languages while a language has few
    articles (German capitalises every noun, so its 'names' are mostly common words)."""

    prior = 10.0

    def __init__(self) -> None:
        self.terms: dict[str, Counter[str]] = defaultdict(Counter)
        self.n_lang: Counter[str] = Counter()
        self.evidence: Counter[str] = Counter()
        self.evidence_lang: dict[str, Counter[str]] = defaultdict(Counter)
        self.n = 0

    def add(self, doc: _Doc, sign: int = 1) -> None:
        terms, evidence = self.terms[doc.language], self.evidence_lang[doc.language]
        for t in doc.feats.terms:
            terms[t] += sign
        for t in doc.feats.evidence:
            self.evidence[t] += sign
            evidence[t] += sign
        self.n_lang[doc.language] += sign
        self.n += sign

    def term(self, token: str, lang: str) -> float:
        return math.log((self.n_lang[lang] + 1) / (self.terms[lang].get(token, 0) + 1)) + 1.0

    def evidence_in(self, token: str, lang: str) -> float:
        overall = (self.evidence.get(token, 0) + 1) / (self.n + 1)
        p = (self.evidence_lang[lang].get(token, 0) + self.prior * overall) / (self.n_lang[lang] + self.prior)
        return math.log(1 / p) + 1.0


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def match(new: Sequence[MatchItem], members: Sequence[Member], settings: MatchSettings = MatchSettings()) -> list[Assignment]:
    """Assign every new article to an event, a publication day at a time."""
    entries = [(_doc(m.item), m.event_id) for m in members] + [(_doc(i), None) for i in new]
    entries.sort(key=lambda e: e[0].key)
    days: dict[date, list[tuple[_Doc, str | None]]] = defaultdict(list)
    for doc, event_id in entries:
        days[_day_of(doc.item.published_at)].append((doc, event_id))
    state = _State(settings)
    if settings.idf_mode == "batch":
        for doc, _ in entries:
            state.df.add(doc)
    out: dict[str, Assignment] = {}
    for day in sorted(days):
        out.update(state.run_day(day, days[day]))
    return [out[i.article_id] for i in sorted(new, key=lambda i: (i.published_at, i.article_id))]


class _State:
    """The window's articles, their postings and events, and the document frequencies."""

    def __init__(self, settings: MatchSettings) -> None:
        self.s = settings
        self.df = _Df()
        self.window: list[_Doc] = []                  # articles of the window, oldest first
        self.content: dict[str, dict[str, dict[_Doc, float]]] = defaultdict(dict)
        self.titles: dict[str, dict[str, dict[_Doc, float]]] = defaultdict(dict)
        self.evidence: dict[str, dict[_Doc, float]] = {}
        self.events: dict[str, list[_Doc]] = defaultdict(list)   # window members of each event
        self.seen: dict[str, datetime] = {}           # latest member of each event, window or not

    # ------------------------------------------------------------------ the window

    def run_day(self, day: date, entries: list[tuple[_Doc, str | None]]) -> dict[str, Assignment]:
        start = datetime.combine(day, time.min, tzinfo=timezone.utc)
        self.expire(start - timedelta(days=self.s.quiet_days))
        if self.s.idf_mode == "day":
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
        if not fresh:
            return {}
        return _Day(self, fresh).cluster()

    def expire(self, horizon: datetime) -> None:
        keep = 0
        while keep < len(self.window) and self.window[keep].item.published_at < horizon:
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
            if self.s.idf_mode == "day":
                self.df.add(doc, -1)
            keep += 1
        del self.window[:keep]

    def weigh(self, doc: _Doc) -> None:
        idf, lang, s = self.df, doc.language, self.s
        terms, evidence = idf.terms[lang], idf.evidence
        cap = max(s.common_floor, s.common_share * idf.n_lang[lang])
        weights = {t: (1 + math.log(c)) * idf.term(t, lang) for t, c in doc.feats.terms.items() if terms[t] <= cap}
        if s.vector_terms and len(weights) > s.vector_terms:
            weights = dict(sorted(weights.items(), key=lambda tw: (-tw[1], tw[0]))[:s.vector_terms])
        doc.vector = _unit(weights)
        doc.title = _unit({t: idf.term(t, lang) for t in doc.feats.title_terms if terms[t] <= cap})
        cap = max(s.common_floor, s.common_share * idf.n)
        doc.weights = {t: idf.evidence_in(t, lang) for t in doc.feats.evidence if evidence[t] <= cap}
        doc.mass = sum(doc.weights.values())

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
        if doc.item.published_at > self.seen.get(event_id, doc.item.published_at - timedelta(1)):
            self.seen[event_id] = doc.item.published_at

    # ------------------------------------------------------------------ similarities

    def pairs(self, doc: _Doc) -> dict[_Doc, _Pair]:
        """Similarities of `doc` with every other article of the window that shares a token with it."""
        s = self.s
        content = _accumulate(doc.vector, self.content[doc.language])
        title = _accumulate(doc.title, self.titles[doc.language])
        shared: dict[_Doc, float] = defaultdict(float)
        evidence = self.evidence
        for t, w in doc.weights.items():
            for other, v in evidence[t].items():
                shared[other] += w + v
        w_e = 1 - s.content_weight - s.title_weight
        out = {}
        for other in content.keys() | shared.keys():
            if other is doc:
                continue
            evidence = shared.get(other, 0.0) / 2 / (min(doc.mass, other.mass) or 1.0)
            if other.language == doc.language:
                c, t = content.get(other, 0.0), title.get(other, 0.0)
                score = s.content_weight * c + s.title_weight * t + w_e * evidence
                pair = _Pair(score, c, t, evidence, False)
            else:
                pair = _Pair(s.cross_weight * evidence, 0.0, 0.0, evidence, True)
            if pair.score >= s.pair_floor:
                out[other] = pair
        return out


def _accumulate(vector: dict[str, float], postings: dict[str, dict[_Doc, float]]) -> dict[_Doc, float]:
    acc: dict[_Doc, float] = defaultdict(float)
    for t, w in vector.items():
        for other, v in postings[t].items():
            acc[other] += w * v
    return acc


def _discard(postings: dict[str, dict[_Doc, float]], token: str, doc: _Doc) -> None:
    posting = postings.get(token)
    if posting is not None:
        posting.pop(doc, None)
        if not posting:
            del postings[token]


class _Day:
    """Average-linkage clustering of one day's new articles, with the open events as fixed clusters."""

    def __init__(self, state: _State, fresh: list[_Doc]) -> None:
        self.state = state
        self.fresh = fresh
        self.pair: dict[_Doc, dict[_Doc, _Pair]] = {doc: state.pairs(doc) for doc in fresh}
        # clusters: open events keep their ids; each new article starts as its own cluster
        self.members: dict[str, list[_Doc]] = {e: list(m) for e, m in state.events.items()}
        self.fixed = set(self.members)
        for doc in fresh:
            doc.event = "new:" + doc.item.article_id
            self.members[doc.event] = [doc]
        self.version: Counter[str] = Counter()
        self.links: dict[str, dict[str, float]] = defaultdict(dict)   # cluster -> cluster -> sum of pair scores
        for doc in fresh:
            for other, p in self.pair[doc].items():
                a, b = doc.event, other.event
                if a == b or (a in self.fixed and b in self.fixed):
                    continue
                if other in self.pair and other.event < a:
                    continue  # a pair of two new articles: counted once, from the later key
                self.links[a][b] = self.links[a].get(b, 0.0) + p.score
                self.links[b][a] = self.links[b].get(a, 0.0) + p.score

    def average(self, a: str, b: str) -> float:
        return self.links[a].get(b, 0.0) / (len(self.members[a]) * len(self.members[b]))

    def cluster(self) -> dict[str, Assignment]:
        threshold = self.state.s.threshold
        heap = []
        for a, row in self.links.items():
            for b in row:
                if a < b:
                    heap.append((-self.average(a, b), a, b, 0, 0))
        heapq.heapify(heap)
        while heap:
            negative, a, b, va, vb = heapq.heappop(heap)
            if -negative < threshold:
                break
            if a not in self.members or b not in self.members or self.version[a] != va or self.version[b] != vb:
                continue
            keep, gone = (a, b) if a in self.fixed or (b not in self.fixed and len(self.members[a]) >= len(self.members[b])) else (b, a)
            self.merge(keep, gone)
            for other in self.links[keep]:
                if other in self.fixed and keep in self.fixed:
                    continue
                x, y = sorted((keep, other))
                heapq.heappush(heap, (-self.average(x, y), x, y, self.version[x], self.version[y]))
        return self.explain()

    def merge(self, keep: str, gone: str) -> None:
        for doc in self.members[gone]:
            doc.event = keep
        self.members[keep].extend(self.members.pop(gone))
        if gone in self.fixed:
            self.fixed.add(keep)
        row = self.links.pop(gone, {})
        for other, total in row.items():
            self.links[other].pop(gone, None)
            if other == keep:
                continue
            self.links[keep][other] = self.links[keep].get(other, 0.0) + total
            self.links[other][keep] = self.links[other].get(keep, 0.0) + total
        self.links[keep].pop(gone, None)
        self.version[keep] += 1

    def explain(self) -> dict[str, Assignment]:
        state = self.state
        names: dict[str, str] = {}
        for cluster, docs in self.members.items():
            if cluster.startswith("new:"):
                first = min(docs, key=lambda d: d.key)
                names[cluster] = event_id_for(first.item.article_id)
            else:
                names[cluster] = cluster
        self.members = {names[c]: docs for c, docs in self.members.items()}
        for docs in self.members.values():
            for doc in docs:
                doc.event = names.get(doc.event, doc.event)
        self.profiles = {e: _Profile(docs) for e, docs in self.members.items()
                         if any(d in self.pair for d in docs)}
        out = {doc.item.article_id: self.assignment(doc) for doc in sorted(self.fresh, key=lambda d: d.key)}
        for doc in self.fresh:
            state.join(doc, doc.event)
        return out

    def assignment(self, doc: _Doc) -> Assignment:
        totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
        for other, p in self.pair[doc].items():
            row = totals[other.event]
            row[0] += p.score
            row[1] += p.evidence
            if not p.cross:
                row[2] += p.content
                row[3] += p.title
        own = doc.event
        ranked = sorted(((row[0] / len(self.members[e]), e) for e, row in totals.items() if e != own),
                        key=lambda se: (-se[0], se[1]))
        runner = ranked[0] if ranked else None
        profile = self.profiles[own]
        n = len(self.members[own]) - 1
        n_same = profile.languages[doc.language] - 1
        row = totals.get(own, [0.0, 0.0, 0.0, 0.0])
        earlier = [d.item.published_at for d in self.members[own] if d.key < doc.key]
        last = max(earlier) if earlier else None
        return Assignment(
            article_id=doc.item.article_id, event_id=own, new_event=own == event_id_for(doc.item.article_id),
            score=round(row[0] / n, 4) if n else 0.0, content_similarity=round(row[2] / n_same, 4) if n_same else 0.0,
            evidence_similarity=round(row[1] / n, 4) if n else 0.0,
            title_similarity=round(row[3] / n_same, 4) if n_same else 0.0, **profile.shared(doc),
            gap_days=round(max(0.0, (doc.item.published_at - last).total_seconds() / 86400), 3) if last else 0.0,
            runner_up_event=runner[1] if runner else None, runner_up_score=round(runner[0], 4) if runner else 0.0,
            candidates=len(totals.keys() - {own}), language=doc.language,
            cross_language=n > 0 and n_same == 0)


class _Profile:
    """What an event's articles have in common with one of them: evidence and terms by count."""

    def __init__(self, docs: list[_Doc]) -> None:
        self.evidence: Counter[str] = Counter()
        self.terms: dict[str, Counter[str]] = defaultdict(Counter)
        self.languages: Counter[str] = Counter()
        for d in docs:
            self.evidence.update(d.feats.evidence)
            self.terms[d.language].update(d.vector.keys())
            self.languages[d.language] += 1

    def shared(self, doc: _Doc) -> dict[str, tuple[str, ...]]:
        evidence, terms = self.evidence, self.terms[doc.language]
        names = sorted((t for t in doc.feats.names if evidence[t] > 1), key=lambda t: (-doc.weights.get(t, 0.0), t))
        numbers = sorted(n for n in doc.feats.numbers if evidence[f"#{n}"] > 1)
        dates = sorted(d for d in doc.feats.dates if evidence[d] > 1)
        shared_terms = sorted((t for t in doc.vector if terms[t] > 1), key=lambda t: (-doc.vector[t] * terms[t], t))
        return dict(shared_names=tuple(names[:8]), shared_numbers=tuple(numbers[:8]),
                    shared_terms=tuple(shared_terms[:8]), shared_dates=tuple(dates[:8]))
