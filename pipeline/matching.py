"""Event matching: online clustering of articles over time, explainable and incremental.

Each new article, in publication order, is compared with the events still open at its time
(blocking: only events seen within the quiet window that share a term or a name with it).
The score mixes TF-IDF cosine of content terms with the IDF-weighted share of the article's
names and numbers found in the event (language-independent evidence). The best event at or
above the threshold wins; otherwise the article starts a new event.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pipeline.features import ArticleFeatures, features
from pipeline.ids import stable_id


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchSettings:
    """The knobs of matching (all documented in the README)."""

    threshold: float = 0.25
    content_weight: float = 0.5
    quiet_days: float = 7.0
    max_candidates: int = 50
    blocking_tokens: int = 25


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
    """Where an article went, and why."""

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


@dataclass(slots=True)
class _Event:
    event_id: str
    first_seen: datetime
    last_seen: datetime
    terms: Counter[str] = field(default_factory=Counter)
    evidence: Counter[str] = field(default_factory=Counter)
    size: int = 0


@dataclass(frozen=True, slots=True)
class _Doc:
    item: MatchItem
    feats: ArticleFeatures

    @property
    def evidence(self) -> frozenset[str]:
        return self.feats.names | {f"#{n}" for n in self.feats.numbers}


class _Idf:
    """Inverse document frequencies over the working set (window members and new articles)."""

    def __init__(self, docs: Iterable[_Doc]) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for doc in docs:
            self.n += 1
            self.df.update(set(doc.feats.terms) | doc.evidence)

    def __call__(self, token: str) -> float:
        return math.log((self.n + 1) / (self.df.get(token, 0) + 1)) + 1.0


def event_id_for(first_article_id: str) -> str:
    """An event's id derives from its first article, so reruns give the same ids."""
    return "ev-" + stable_id("event", first_article_id)[:12]


def match(new: Sequence[MatchItem], members: Sequence[Member], settings: MatchSettings = MatchSettings()) -> list[Assignment]:
    """Assign every new article to an event, in publication order."""
    docs = {m.item.article_id: _Doc(m.item, features(m.item.title, m.item.text)) for m in members}
    fresh = [_Doc(i, features(i.title, i.text)) for i in sorted(new, key=lambda i: (i.published_at, i.article_id))]
    idf = _Idf(list(docs.values()) + fresh)
    events = _rebuild(members, docs, idf)
    index = _index(events)
    out = []
    for doc in fresh:
        assignment = _assign(doc, events, index, idf, settings)
        _absorb(events, index, assignment.event_id, doc, idf)
        out.append(assignment)
    return out


def _vector(terms: Counter[str], idf: _Idf) -> dict[str, float]:
    weights = {t: (1 + math.log(c)) * idf(t) for t, c in terms.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def _rebuild(members: Sequence[Member], docs: dict[str, _Doc], idf: _Idf) -> dict[str, _Event]:
    events: dict[str, _Event] = {}
    for member in sorted(members, key=lambda m: (m.item.published_at, m.item.article_id)):
        doc = docs[member.item.article_id]
        event = events.setdefault(member.event_id, _Event(member.event_id, doc.item.published_at, doc.item.published_at))
        _add(event, doc, idf)
    return events


def _add(event: _Event, doc: _Doc, idf: _Idf) -> None:
    for term, weight in _vector(doc.feats.terms, idf).items():
        event.terms[term] += weight
    event.evidence.update(doc.evidence)
    event.size += 1
    event.first_seen = min(event.first_seen, doc.item.published_at)
    event.last_seen = max(event.last_seen, doc.item.published_at)


def _index(events: dict[str, _Event]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for event in events.values():
        for token in list(event.evidence) + list(event.terms):
            index[token].add(event.event_id)
    return index


def _absorb(events: dict[str, _Event], index: dict[str, set[str]], event_id: str, doc: _Doc, idf: _Idf) -> None:
    event = events.setdefault(event_id, _Event(event_id, doc.item.published_at, doc.item.published_at))
    _add(event, doc, idf)
    for token in set(doc.feats.terms) | doc.evidence:
        index[token].add(event_id)


def _candidates(doc: _Doc, events: dict[str, _Event], index: dict[str, set[str]], idf: _Idf,
                settings: MatchSettings) -> list[_Event]:
    shared = [t for t in set(doc.feats.terms) | doc.evidence if idf.df.get(t, 0) >= 2]
    tokens = sorted(shared, key=lambda t: (-idf(t), t))[:settings.blocking_tokens]
    hits: Counter[str] = Counter(e for t in tokens for e in index.get(t, ()))
    window = timedelta(days=settings.quiet_days)
    open_events = [events[e] for e, _ in hits.most_common() if _open(events[e], doc.item.published_at, window)]
    return open_events[:settings.max_candidates]


def _open(event: _Event, when: datetime, window: timedelta) -> bool:
    return event.last_seen >= when - window and event.first_seen <= when + window


def _assign(doc: _Doc, events: dict[str, _Event], index: dict[str, set[str]], idf: _Idf,
            settings: MatchSettings) -> Assignment:
    scored = sorted(((_score(doc, e, idf, settings), e) for e in _candidates(doc, events, index, idf, settings)),
                    key=lambda se: (-se[0][0], se[1].event_id))
    best = scored[0] if scored and scored[0][0][0] >= settings.threshold else None
    runner = scored[1] if best and len(scored) > 1 else (scored[0] if scored and not best else None)
    event_id = best[1].event_id if best else event_id_for(doc.item.article_id)
    (score, content, evidence), target = best if best else ((0.0, 0.0, 0.0), None)
    return Assignment(
        article_id=doc.item.article_id, event_id=event_id, new_event=best is None, score=round(score, 4),
        content_similarity=round(content, 4), evidence_similarity=round(evidence, 4),
        **_shared(doc, target, idf), gap_days=_gap(doc, target),
        runner_up_event=runner[1].event_id if runner else None,
        runner_up_score=round(runner[0][0], 4) if runner else 0.0, candidates=len(scored))


def _score(doc: _Doc, event: _Event, idf: _Idf, settings: MatchSettings) -> tuple[float, float, float]:
    vector = _vector(doc.feats.terms, idf)
    norm = math.sqrt(sum(w * w for w in event.terms.values())) or 1.0
    content = sum(w * event.terms.get(t, 0.0) for t, w in vector.items()) / norm
    weights = {t: idf(t) for t in doc.evidence}
    total = sum(weights.values()) or 1.0
    evidence = sum(w for t, w in weights.items() if t in event.evidence) / total
    score = settings.content_weight * content + (1 - settings.content_weight) * evidence
    return score, content, evidence


def _shared(doc: _Doc, event: _Event | None, idf: _Idf) -> dict[str, tuple[str, ...]]:
    if event is None:
        return dict(shared_names=(), shared_numbers=(), shared_terms=())
    names = sorted((t for t in doc.feats.names if t in event.evidence), key=lambda t: (-idf(t), t))
    numbers = sorted(n for n in doc.feats.numbers if f"#{n}" in event.evidence)
    terms = sorted((t for t in doc.feats.terms if t in event.terms), key=lambda t: (-event.terms[t] * idf(t), t))
    return dict(shared_names=tuple(names[:8]), shared_numbers=tuple(numbers[:8]), shared_terms=tuple(terms[:8]))


def _gap(doc: _Doc, event: _Event | None) -> float:
    if event is None:
        return 0.0
    return round(max(0.0, (doc.item.published_at - event.last_seen).total_seconds() / 86400), 3)
