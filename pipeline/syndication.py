"""Syndication: which articles are copies of another outlet's story (wire copy, light edits, credits)."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from pipeline.features import fold

SHINGLE = 5
COPY_CONTAINMENT = 0.6
_WORDS = re.compile(r"\w+", re.UNICODE)
_CREDIT_PAREN = re.compile(r"^[^\n]{0,80}?\(([A-Z][\w&.' -]{0,38}[\w.])\)\s*[-–—:]")
_CREDIT_DASH = re.compile(r"^\s*([A-Z][A-Za-z&.]{1,20})\s+[-–—]\s")
WIRE_AGENCIES = frozenset("ap afp reuters dpa ansa efe pa upi xinhua tass ria bloomberg kyodo yonhap anadolu".split())


@dataclass(frozen=True, slots=True, kw_only=True)
class SyndicationItem:
    """An article as syndication detection sees it."""

    article_id: str
    outlet_id: str
    event_id: str
    published_at: datetime
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """Who first published an article's story: itself, or another outlet it copies or credits."""

    article_id: str
    originator_outlet_id: str
    originator_article_id: str | None
    method: str            # own | near_duplicate | credit
    credit: str
    containment: float


def credit_of(text: str) -> str:
    """The wire credit opening a story ('BRUSSELS (Reuters) -', 'AP —'), or ''."""
    head = text.lstrip()[:200]
    match = _CREDIT_PAREN.match(head) or _CREDIT_DASH.match(head)
    return match.group(1).strip() if match else ""


def shingles(text: str, size: int = SHINGLE) -> frozenset[int]:
    """Hashes of the runs of `size` folded words."""
    words = [fold(w) for w in _WORDS.findall(text)]
    return frozenset(hash(" ".join(words[i:i + size])) for i in range(max(0, len(words) - size + 1)))


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller shingle set found in the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def origins(new: Sequence[SyndicationItem], earlier: Sequence[SyndicationItem],
            outlet_names: Mapping[str, str]) -> list[Origin]:
    """The origin of each new article, comparing it with earlier articles of its event only."""
    by_event: dict[str, list[tuple[SyndicationItem, frozenset[int]]]] = {}
    for item in sorted(earlier, key=_order):
        by_event.setdefault(item.event_id, []).append((item, shingles(item.text)))
    known: dict[str, Origin] = {}
    result = []
    for item in sorted(new, key=_order):
        own = shingles(item.text)
        origin = _copied(item, own, by_event.get(item.event_id, []), known) or _credited(item, outlet_names)
        origin = origin or Origin(article_id=item.article_id, originator_outlet_id=item.outlet_id,
                                  originator_article_id=None, method="own", credit="", containment=0.0)
        known[item.article_id] = origin
        by_event.setdefault(item.event_id, []).append((item, own))
        result.append(origin)
    return result


def _order(item: SyndicationItem) -> tuple[datetime, str]:
    return item.published_at, item.article_id


def _copied(item: SyndicationItem, own: frozenset[int], peers: list[tuple[SyndicationItem, frozenset[int]]],
            known: dict[str, Origin]) -> Origin | None:
    for peer, theirs in peers:
        if peer.outlet_id == item.outlet_id or peer.published_at > item.published_at:
            continue
        share = containment(own, theirs)
        if share >= COPY_CONTAINMENT:
            root = known.get(peer.article_id)
            outlet = root.originator_outlet_id if root else peer.outlet_id
            article = (root.originator_article_id if root and root.originator_article_id else peer.article_id)
            return Origin(article_id=item.article_id, originator_outlet_id=outlet, originator_article_id=article,
                          method="near_duplicate", credit=credit_of(item.text), containment=round(share, 3))
    return None


def _credited(item: SyndicationItem, outlet_names: Mapping[str, str]) -> Origin | None:
    credit = credit_of(item.text)
    if not credit:
        return None
    outlet = _outlet_for(credit, outlet_names)
    if outlet == item.outlet_id or (outlet is None and fold(credit) not in WIRE_AGENCIES):
        return None
    return Origin(article_id=item.article_id, originator_outlet_id=outlet or f"credit:{credit}",
                  originator_article_id=None, method="credit", credit=credit, containment=0.0)


def _outlet_for(credit: str, outlet_names: Mapping[str, str]) -> str | None:
    wanted = fold(credit)
    for outlet_id, name in sorted(outlet_names.items()):
        folded = fold(name)
        if wanted in (outlet_id, folded) or folded.startswith(wanted + " ") or folded.split()[0] == wanted:
            return outlet_id
    return None
