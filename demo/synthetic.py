"""A synthetic demo world: invented outlets covering invented events, with gold, from one seed.

    python -m demo.synthetic --seed 1 --outlets 20 --events 100 --articles 2000 --out DIR

`generate_world` returns a DemoCorpus that DemoWorld serves as it is; `write_corpus` writes it
in demo/corpus/FORMAT.md's layout so that `load_corpus(DIR)` reads the same corpus back.
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import random
import re
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from demo import synthetic_text as T
from demo.render import slugify
from demo.world import DemoArticle, DemoCorpus, DemoOutlet

logger = logging.getLogger(__name__)

SYNTHETIC_ROOT = Path("<synthetic>")
LANG_INDEX = {"en": 0, "de": 1, "fr": 2}
KINDS = ("wire", "public_broadcaster", "state_controlled", "private", "party_press",
         "official_source")
KIND_WEIGHTS = (0.08, 0.14, 0.10, 0.46, 0.12, 0.10)
COVER_WEIGHTS = {"wire": 3.0, "public_broadcaster": 1.6, "state_controlled": 1.0,
                 "private": 1.2, "party_press": 0.8, "official_source": 0.6}
OMIT_RATES = {"wire": 0.08, "public_broadcaster": 0.12, "state_controlled": 0.3,
              "private": 0.15, "party_press": 0.25, "official_source": 0.2}
CONFLICT_RATES = {"wire": 0.08, "public_broadcaster": 0.1, "state_controlled": 0.45,
                  "private": 0.15, "party_press": 0.35, "official_source": 0.15}
SPREAD = (0.22, 0.25, 0.20, 0.13, 0.09, 0.06, 0.05)  # share of events covered by 1..7 outlets
DAY_WEIGHTS = (0.55, 0.28, 0.11, 0.06)  # main articles 0..3 days after the first day
LOOSENESS = ("exact", "approximate", "lower_bound", "upper_bound", "range", "band")
LOOSENESS_WEIGHTS = (0.30, 0.35, 0.12, 0.05, 0.06, 0.12)
QUOTE_KINDS_EN = ("full", "trimmed", "paraphrased", "reattributed")
QUOTE_WEIGHTS_EN = (0.55, 0.20, 0.15, 0.10)
WORD_TARGETS = {"en": (330, 880, 520), "de": (310, 640, 430), "fr": (310, 640, 430)}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_ARTICLES_RE = re.compile(r"^(der|die|das|le|la|les) |^l'")


# ---------------------------------------------------------------- records

@dataclass(frozen=True, slots=True)
class _Person:
    """An invented person."""

    name: str
    gender: str  # "m" | "f"


@dataclass(frozen=True, slots=True)
class _Desk:
    """An outlet with what the generator needs to write for it."""

    outlet: DemoOutlet
    kind: str
    stance: str
    staff: tuple[str, ...]
    credit: str


@dataclass(frozen=True, slots=True)
class _Skeleton:
    """Where and when an event happens, decided before its coverage is."""

    index: int
    topic: T.Topic
    first_day: date
    country: str
    place: str
    region: str
    seed: int


@dataclass(frozen=True, slots=True)
class _Fact:
    """One fact of an event."""

    id: str
    kind: str  # quantity | statement | quote
    text: str
    quantity: T.QuantityKind | None = None
    value: int = 0
    statement: T.StatementKind | None = None
    quote: T.QuoteKind | None = None


@dataclass(frozen=True, slots=True)
class _Take:
    """How one outlet states one fact."""

    value: int = 0
    high: int = 0
    looseness: str = ""
    band: str = ""
    source: T.Source | None = None
    variant: int = 0
    lead: bool = False
    quote_kind: str = "full"


@dataclass(slots=True)
class _Event:
    """An event being written: its entities, facts, and each outlet's takes."""

    id: str
    skeleton: _Skeleton
    slots: dict[str, dict[str, str]]
    leader: _Person
    rival: _Person
    facts: list[_Fact]
    takes: dict[str, dict[str, _Take]]


@dataclass(frozen=True, slots=True)
class _Written:
    """One rendered article with the fact statements it contains."""

    article: DemoArticle
    records: tuple[tuple[str, dict[str, Any], str], ...]  # (fact id, statement, quote kind)
    term: str
    copy: bool


# ---------------------------------------------------------------- names

class _Names:
    """Invented names, unique within one world where they must be."""

    def __init__(self, rng: random.Random) -> None:
        """Start with no names used."""
        self.rng = rng
        self.used: set[str] = set(T.COUNTRIES)
        self.capitals: dict[str, tuple[str, str]] = {}
        self.places: dict[str, list[tuple[str, str]]] = {}
        self.people: dict[tuple[str, str, str], _Person] = {}
        self.parties: dict[str, tuple[str, ...]] = {}

    def word(self, ends: Sequence[str], rng: random.Random | None = None) -> str:
        """A new capitalised invented word ending in one of `ends`."""
        r = rng or self.rng
        for _ in range(50):
            end = r.choice(ends)
            middles = T.MIDDLES if end[0] in "aeiouy" else T.SINGLE_MIDDLES
            w = r.choice(T.ONSETS) + r.choice(T.VOWELS) + r.choice(middles) + end
            if w not in self.used and not re.search(r"(.)\1", w):
                self.used.add(w)
                return w
        w = f"{r.choice(T.ONSETS)}{r.choice(T.VOWELS)}{len(self.used)}"  # practically unreachable
        self.used.add(w)
        return w

    def person(self, rng: random.Random) -> _Person:
        """A person with an invented surname."""
        gender = rng.choice("mf")
        first = rng.choice(T.FIRST_F if gender == "f" else T.FIRST_M)
        surname = rng.choice(T.ONSETS) + rng.choice(T.VOWELS) + rng.choice(T.MIDDLES)
        return _Person(f"{first} {surname}{rng.choice(T.SURNAME_ENDS)}", gender)

    def capital(self, country: str) -> tuple[str, str]:
        """The capital of a country and the region it lies in."""
        if country not in self.capitals:
            self.capitals[country] = (self.word(T.PLACE_ENDS), self.word(T.REGION_ENDS))
        return self.capitals[country]

    def holder(self, rng: random.Random, key: tuple[str, str, str]) -> _Person:
        """The one person holding a role (per country, or per place for local roles)."""
        if key not in self.people:
            self.people[key] = self.person(rng)
        return self.people[key]

    def party(self, rng: random.Random, country: str) -> str:
        """One of a country's three parties."""
        if country not in self.parties:
            self.parties[country] = tuple(self.word(("is", "a", "ar", "on",
                                                     "ia")) for _ in range(3))
        return rng.choice(self.parties[country])


# ---------------------------------------------------------------- outlets

def _make_desks(rng: random.Random, count: int, names: _Names) -> list[_Desk]:
    """`count` outlets: the first six cover every kind, the rest are drawn by weight."""
    width = max(3, len(str(count)))
    taken: set[str] = set()
    desks = []
    for i in range(count):
        kind = KINDS[i] if i < len(KINDS) else rng.choices(KINDS, KIND_WEIGHTS)[0]
        lang = _desk_language(rng, kind, i)
        desks.append(_make_desk(rng, f"s{i + 1:0{width}d}", kind, lang, taken, names))
    return desks


def _desk_language(rng: random.Random, kind: str, index: int) -> str:
    """Mostly English; some German and French private and public outlets."""
    if kind in ("wire", "official_source", "state_controlled"):
        return "en"
    if index == 3:
        return "de"
    if index == 7:
        return "fr"
    return rng.choices(("en", "de", "fr"), (0.72, 0.16, 0.12))[0]


def _make_desk(rng: random.Random, oid: str, kind: str, lang: str, taken: set[str],
               names: _Names) -> _Desk:
    """One outlet with its feeds, tags, staff and stance."""
    name = _outlet_name(rng, kind, lang, taken, names)
    fmt = "rss" if kind == "wire" or rng.random() < 0.65 else "atom"
    split = lang == "en" and kind in ("wire", "public_broadcaster", "private")
    paths = T.SPLIT_FEEDS[fmt] if split and rng.random() < 0.3 else (rng.choice(T.FEED_PATHS[fmt]),)
    leaning = rng.choice(T.LEANINGS[kind])
    outlet = DemoOutlet(
        id=oid, name=name, homepage=f"{{base:{oid}}}/",
        feeds=tuple(f"{{base:{oid}}}{p}" for p in paths), language=lang,
        country=rng.choice(T.COUNTRIES_BY_LANG[lang]), ownership=kind,
        tags=MappingProxyType({"bloc": rng.choice(T.BLOCS[kind]), "leaning": leaning}),
        feed_format=fmt)
    staff = tuple(names.person(rng).name for _ in range(rng.randint(3, 8)))
    credit = name.split()[0] if kind == "wire" else ""
    return _Desk(outlet, kind, _stance(kind, leaning), staff, credit)


def _stance(kind: str, leaning: str) -> str:
    """The word choice an outlet makes for loaded referents."""
    return {"official_source": "official", "state_controlled": "state",
            "party_press": "left"}.get(kind, "right" if leaning == "right" else "neutral")


def _outlet_name(rng: random.Random, kind: str, lang: str, taken: set[str],
                 names: _Names) -> str:
    """An invented outlet name, unique in the world."""
    for attempt in range(60):
        if lang == "en":
            stem = rng.choice(T.OUTLET_STEMS) if attempt < 30 else names.word(T.PLACE_ENDS, rng)
            form = rng.choice(T.OUTLET_FORMS[kind])
        else:
            stem = names.word(T.PLACE_ENDS, rng)
            form = rng.choice(T.OUTLET_FORMS_DE if lang == "de" else T.OUTLET_FORMS_FR)
        name = form.format(stem=stem)
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("could not invent a unique outlet name")  # pragma: no cover


# ---------------------------------------------------------------- events: where, when, how many

def _make_skeletons(rng: random.Random, count: int, start: date, days: int,
                    names: _Names) -> list[_Skeleton]:
    """Topic, day, country and place of each event (places are sometimes shared)."""
    out = []
    for i in range(count):
        topic = rng.choice(T.TOPICS)
        country = rng.choice(T.COUNTRIES)
        place, region = _event_place(rng, topic, country, names)
        day = start + timedelta(days=rng.randrange(days))
        out.append(_Skeleton(i, topic, day, country, place, region, rng.getrandbits(64)))
    return out


def _event_place(rng: random.Random, topic: T.Topic, country: str,
                 names: _Names) -> tuple[str, str]:
    """The capital for national topics; else an earlier event's town (sometimes) or a new one."""
    if topic.in_capital:
        return names.capital(country)
    known = names.places.setdefault(country, [])
    if known and rng.random() < 0.12:
        return rng.choice(known)
    place = (names.word(T.PLACE_ENDS), names.word(T.REGION_ENDS))
    known.append(place)
    return place


def _article_counts(rng: random.Random, count: int, cap: int, articles: int | None) -> list[int]:
    """Articles per event: a skewed spread of outlets, scaled to `articles` when given."""
    weights = SPREAD[:cap]
    base = rng.choices(range(1, cap + 1), weights, k=count)
    if articles is None:
        return [b + (1 if rng.random() < 0.1 else 0) for b in base]
    return _scale(base, articles)


def _scale(base: list[int], total: int) -> list[int]:
    """Scale counts proportionally so that they sum to `total`, each at least 1."""
    exact = [b * total / sum(base) for b in base]
    counts = [max(1, int(x)) for x in exact]
    order = sorted(range(len(base)), key=lambda i: (int(exact[i]) - exact[i], i))
    step = 0
    while sum(counts) < total:
        counts[order[step % len(order)]] += 1
        step += 1
    by_size = sorted(range(len(base)), key=lambda i: (-counts[i], i))
    step = 0
    while sum(counts) > total:
        i = by_size[step % len(by_size)]
        if counts[i] > 1:
            counts[i] -= 1
        step += 1
    return counts


def _same_country_week(skeletons: list[_Skeleton]) -> set[int]:
    """Indexes of events with another event in the same country less than a week apart."""
    by_country: dict[str, list[_Skeleton]] = {}
    for s in skeletons:
        by_country.setdefault(s.country, []).append(s)
    found: set[int] = set()
    for group in by_country.values():
        group.sort(key=lambda s: (s.first_day, s.index))
        for a, b in zip(group, group[1:]):
            if (b.first_day - a.first_day).days < 7:
                found.update((a.index, b.index))
    return found


def _shared_places(skeletons: list[_Skeleton]) -> set[int]:
    """Indexes of events whose place another event shares."""
    seen: dict[str, int] = {}
    for s in skeletons:
        seen[s.place] = seen.get(s.place, 0) + 1
    return {s.index for s in skeletons if seen[s.place] > 1}


# ---------------------------------------------------------------- events: entities and facts

def _make_event(rng: random.Random, sk: _Skeleton, names: _Names, width: int) -> _Event:
    """Entities, slots and facts of one event (takes are added per outlet later)."""
    topic = sk.topic
    raw = _raw_slots(rng, sk, names)
    local = sk.place if topic.leader.local else ""
    leader = names.holder(rng, (sk.country, topic.leader.en.format_map(raw), local))
    rival_local = sk.place if topic.rival.local else ""
    rival = names.holder(rng, (sk.country, topic.rival.en.format_map(raw), rival_local))
    slots = {lang: _lang_slots(rng, sk, raw, lang, leader, rival, names) for lang in T.LANGS}
    event_id = f"{slugify(sk.place)}-{topic.key}-{sk.index + 1:0{width}d}"
    event = _Event(event_id, sk, slots, leader, rival, [], {})
    event.facts = _make_facts(rng, event)
    return event


def _raw_slots(rng: random.Random, sk: _Skeleton, names: _Names) -> dict[str, str]:
    """Language-independent names used to fill roles, organisations and templates."""
    capital, _ = names.capital(sk.country)
    neighbour = rng.choice([c for c in T.COUNTRIES if c != sk.country])
    company = f"{names.word(T.PLACE_ENDS, rng)} {rng.choice(T.COMPANY_ENDS)}"
    return {"place": sk.place, "region": sk.region, "country": sk.country, "capital": capital,
            "adj": sk.country + "n", "neighbour": neighbour, "company": company,
            "party": names.party(rng, sk.country), "storm": rng.choice(T.STORM_NAMES),
            "cause_index": str(rng.randrange(len(T.CAUSES))),
            "case_index": str(rng.randrange(len(T.CASES))),
            "expert": names.person(rng).name,
            "institute": rng.choice(T.INSTITUTE_FORMS).format(stem=capital, region=sk.region)}


def _lang_slots(rng: random.Random, sk: _Skeleton, raw: dict[str, str], lang: str,
                leader: _Person, rival: _Person, names: _Names) -> dict[str, str]:
    """All template slots of an event in one language (the outlet's term is added later)."""
    li = LANG_INDEX[lang]
    topic, slots = sk.topic, dict(raw)
    slots["org"] = topic.org[li].format_map(raw)
    slots["cause"] = T.CAUSES[int(raw["cause_index"])][li]
    slots["case"] = T.CASES[int(raw["case_index"])][li]
    slots["leader"], slots["rival"] = leader.name, rival.name
    slots["leader_role"] = _role(topic.leader, lang, leader.gender).format_map(raw)
    slots["rival_role"] = _role(topic.rival, lang, rival.gender).format_map(raw)
    days = T.WEEKDAYS[lang]
    slots["weekday"] = days[sk.first_day.weekday()]
    slots["next_day"] = days[(sk.first_day.weekday() + 2 + sk.seed % 3) % 7]
    for key in ("org", "leader_role", "rival_role"):
        slots[_cap_key(key)] = _cap(slots[key])
    return slots


def _role(role: T.Role, lang: str, gender: str) -> str:
    """A role as printed in one language for a person of one gender."""
    if lang == "en":
        return role.en
    forms = role.de if lang == "de" else role.fr
    return forms[1] if gender == "f" else forms[0]


def _make_facts(rng: random.Random, event: _Event) -> list[_Fact]:
    """5 to 12 facts: quantities, statements and one or two quotes."""
    topic = event.skeleton.topic
    n_facts = rng.randint(5, 12)
    quotes = topic.quotes[:rng.choice((1, 2))]
    n_num = min(len(topic.quantities), rng.randint(2, 4))
    pool = T.GENERIC_STATEMENTS + topic.statements
    n_stmt = max(1, min(len(pool), n_facts - len(quotes) - n_num))
    neutral = _with_term(event.slots["en"], topic.terms["neutral"], "en")
    facts = [_quantity_fact(rng, T.QUANTITIES[k], neutral)
             for k in _ordered_sample(rng, topic.quantities, n_num)]
    facts += [_Fact(s.key, "statement", _cap(s.text.format_map(neutral)), statement=s)
              for s in _ordered_sample(rng, pool, n_stmt)]
    for q in quotes:
        speaker = event.leader if q.speaker == "leader" else event.rival
        facts.append(_Fact(q.key, "quote", f"{speaker.name}: {q.en[0]}. {q.en[1]}", quote=q))
    return facts


def _ordered_sample(rng: random.Random, items: Sequence[Any], k: int) -> list[Any]:
    """k items drawn without replacement, kept in their original order."""
    picked = sorted(rng.sample(range(len(items)), k))
    return [items[i] for i in picked]


def _quantity_fact(rng: random.Random, kind: T.QuantityKind, neutral: dict[str, str]) -> _Fact:
    """A quantity fact with its true value drawn log-uniformly in the kind's range."""
    raw = kind.lo * (kind.hi / kind.lo) ** rng.random()
    digits = {"money": 2, "percent": 2}.get(kind.scale, 3)
    value = max(1, _sig(raw, digits, round))
    return _Fact(kind.key, "quantity", kind.label.format_map(neutral), quantity=kind, value=value)


# ---------------------------------------------------------------- numbers

def _sig(value: float, digits: int, how: Any) -> int:
    """`value` rounded (round, math.floor or math.ceil) to `digits` significant digits."""
    if value < 1:
        return 1
    step = 10 ** max(0, int(math.floor(math.log10(value))) - digits + 1)
    return int(how(value / step) * step)


def _shape(value: int, looseness: str, scale: str) -> tuple[int, int, str, str]:
    """(value, value_high, looseness, band) of a figure given with some looseness."""
    if looseness == "band":
        band = _band(value, scale)
        if band is not None:
            low = band[0]
            return low, 10 ** len(str(low)) - 1, "range", band[1]
        looseness = "approximate"
    if looseness == "exact":
        return value, value, "exact", ""
    if looseness == "approximate":
        v = _sig(value, 2, round)
        return v, v, "approximate", ""
    if looseness == "lower_bound":
        v = _sig(value, 2, math.floor)
        return v, v, "lower_bound", ""
    if looseness == "upper_bound":
        v = _sig(value, 2, math.ceil)
        return v, v, "upper_bound", ""
    low, high = _sig(value * 0.9, 2, math.floor), _sig(value * 1.1, 2, math.ceil)
    return low, max(high, low + 1), "range", ""


def _band(value: int, scale: str) -> tuple[int, str] | None:
    """The loose-words band containing `value` (lowest value, band key), if any."""
    if scale == "percent":
        return None
    bands = T.MONEY_BANDS if scale == "money" else T.COUNT_BANDS
    for low, en, _, _ in bands:
        if low <= value < 10 ** len(str(low)):
            return low, en
    return None


def _number(value: int, scale: str, lang: str) -> str:
    """A number as printed in one language (money in millions or billions)."""
    if scale == "money":
        return _money(value, lang)
    text = f"{value:,}"
    return {"en": text, "de": text.replace(",", "."), "fr": text.replace(",", " ")}[lang]


def _money(value: int, lang: str) -> str:
    """2400000000 -> '2.4 billion' / '2,4 Milliarden' / '2,4 milliards'."""
    billions, millions = T.MONEY_WORDS[lang]
    amount, words = (value / 1e9, billions) if value >= 1e9 else (value / 1e6, millions)
    text = f"{amount:.1f}".rstrip("0").rstrip(".")
    if lang != "en":
        text = text.replace(".", ",")
    return f"{text} {words[0] if text == '1' else words[1]}"


def _phrase(take: _Take, kind: T.QuantityKind, lang: str) -> str:
    """The quantity phrase: 'around 12,000 troops', 'Zehntausende Menschen', ..."""
    li = LANG_INDEX[lang]
    unit = kind.unit[li]
    if kind.scale == "percent":
        unit_part = f" {unit}"
    elif kind.scale == "money" and lang == "fr":
        unit_part = f" de {unit}"
    else:
        unit_part = f" {unit}"
    if take.band:
        bands = T.MONEY_BANDS if kind.scale == "money" else T.COUNT_BANDS
        words = next(b for b in bands if b[1] == take.band)[1 + li]
        return f"{words} {unit}"
    num = _number(take.value, kind.scale, lang)
    if take.looseness == "range":
        pair = T.RANGE[lang].format(a=num, b=_number(take.high, kind.scale, lang))
        return pair + unit_part
    words = {"approximate": T.APPROX, "lower_bound": T.LOWER, "upper_bound": T.UPPER}
    if take.looseness in words:
        options = words[take.looseness][lang]
        return f"{options[take.variant % len(options)]} {num}{unit_part}"
    return num + unit_part


def _interval(stmt: Mapping[str, Any]) -> tuple[float, float]:
    """The values a quantity statement allows, given its looseness."""
    v, h, how = stmt["value"], stmt["value_high"], stmt["looseness"]
    return {"exact": (v, v), "approximate": (0.9 * v, 1.1 * v), "lower_bound": (v, math.inf),
            "upper_bound": (0.0, v)}.get(how, (v, h))


# ---------------------------------------------------------------- takes

def _assign_takes(rng: random.Random, event: _Event, desks: list[_Desk]) -> None:
    """Decide, per originating outlet, which facts it states and how."""
    owners = _exclusive_owners(rng, event, desks)
    for desk in desks:
        event.takes[desk.outlet.id] = {}
        for fact in event.facts:
            owner = owners.get(fact.id)
            if owner is not None and owner != desk.outlet.id:
                continue
            if owner is None and rng.random() < OMIT_RATES[desk.kind]:
                continue
            event.takes[desk.outlet.id][fact.id] = _take(rng, fact, desk)
    _ensure_stated(rng, event, desks)


def _exclusive_owners(rng: random.Random, event: _Event, desks: list[_Desk]) -> dict[str, str]:
    """Zero to two non-quote facts that a single outlet alone will state."""
    if len(desks) < 2:
        return {}
    candidates = [f for f in event.facts[1:] if f.kind != "quote"]
    count = min(len(candidates), rng.choice((0, 1, 1, 2)))
    return {f.id: rng.choice(desks).outlet.id for f in rng.sample(candidates, count)}


def _ensure_stated(rng: random.Random, event: _Event, desks: list[_Desk]) -> None:
    """Give every fact at least one outlet that states it."""
    for fact in event.facts:
        if not any(fact.id in event.takes[d.outlet.id] for d in desks):
            desk = rng.choice(desks)
            event.takes[desk.outlet.id][fact.id] = _take(rng, fact, desk)


def _take(rng: random.Random, fact: _Fact, desk: _Desk) -> _Take:
    """How one outlet states one fact."""
    if fact.kind == "quantity":
        return _quantity_take(rng, fact, desk)
    if fact.kind == "quote":
        if desk.outlet.language == "en":
            kinds, weights = QUOTE_KINDS_EN, QUOTE_WEIGHTS_EN
        else:
            kinds, weights = ("full", "trimmed"), (0.7, 0.3)
        kind = rng.choices(kinds, weights)[0]
        if kind == "reattributed" and desk.kind == "official_source":
            kind = "full"
        return _Take(quote_kind=kind, variant=rng.randrange(1 << 16), lead=rng.random() < 0.5)
    return _Take(variant=rng.randrange(1 << 16))


def _quantity_take(rng: random.Random, fact: _Fact, desk: _Desk) -> _Take:
    """A figure as one outlet gives it: maybe another source's value, maybe loosely."""
    kind = fact.quantity
    assert kind is not None
    value = fact.value
    if rng.random() < CONFLICT_RATES[desk.kind]:
        factor = 1 + rng.choice((-1, 1)) * rng.uniform(0.15, 0.4)
        digits = 3 if kind.scale == "count" and value >= 1000 else 2
        value = max(1, _sig(value * factor, digits, round))
        source: T.Source | None = rng.choice(kind.alt)
    else:
        source = rng.choice(kind.official) if rng.random() < 0.78 else None
    how = rng.choices(LOOSENESS, LOOSENESS_WEIGHTS)[0]
    low, high, looseness, band = _shape(value, how, kind.scale)
    return _Take(low, high, looseness, band, source, rng.randrange(1 << 16), rng.random() < 0.45)


# ---------------------------------------------------------------- sentences

def _cap(text: str) -> str:
    """Upper-case the first character."""
    return text[:1].upper() + text[1:]


def _cap_key(key: str) -> str:
    """The slot name of a capitalised variant: 'leader_role' -> 'Leader_role'."""
    return key[:1].upper() + key[1:]


def _fix_french(text: str) -> str:
    """Contract French articles and prepositions: 'de le' -> 'du', 'de euros' -> "d'euros"."""
    text = re.sub(r"\bde le\b", "du", text)
    text = re.sub(r"\bde les\b", "des", text)
    text = re.sub(r"\bà le\b", "au", text)
    text = re.sub(r"\bà les\b", "aux", text)
    return re.sub(r"\b([dD])e (?=[aeiouyàâéèêîôûAEIOUYÉÈÊ])", r"\1'", text)


def _finish(text: str, lang: str) -> str:
    """A sentence as printed: capitalised, French contractions applied."""
    text = _cap(text)
    return _fix_french(text) if lang == "fr" else text


def _with_term(slots: dict[str, str], term: str, lang: str) -> dict[str, str]:
    """The slots with the outlet's word for the event filled in."""
    out = dict(slots)
    vowel = term[:1] in "aeiou" and not term.startswith(("uni", "use", "eu"))
    a_term = ("an " if vowel else "a ") + term if lang == "en" else term
    out.update(noun=term, Noun=_cap(term), a_noun=a_term, A_noun=_cap(a_term))
    return out


def _term(topic: T.Topic, desk: _Desk) -> str:
    """The outlet's word for the event, by its stance and language."""
    lang = desk.outlet.language
    if lang == "en":
        return topic.terms[desk.stance]
    pair = topic.de_terms if lang == "de" else topic.fr_terms
    return pair[0] if desk.stance in ("neutral", "official") else pair[1]


def _quantity_sentence(fact: _Fact, take: _Take, lang: str,
                       slots: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """A sentence stating a figure, and its gold statement."""
    kind = fact.quantity
    assert kind is not None
    patterns = {"en": kind.en, "de": kind.de, "fr": kind.fr}[lang]
    core = patterns[take.variant % len(patterns)].format_map({**slots, "q": _phrase(take, kind,
                                                                                    lang)})
    attribution = ""
    if take.source is None:
        sentence = f"{_cap(core)}."
    elif lang == "en" and take.lead:
        lead = take.source.lead.format_map(slots)
        sentence, attribution = f"{lead} {core}.", lead.rstrip(",").removesuffix(" that")
    elif lang == "fr" and take.lead:
        lead = take.source.fr.format_map(slots)
        if core.startswith(("Le ", "La ", "Les ", "L'")):
            core = core[0].lower() + core[1:]
        sentence, attribution = f"{_cap(lead)}, {core}.", _cap(lead)
    else:
        tail = {"en": take.source.tail, "de": take.source.de, "fr": take.source.fr}[lang]
        attribution = tail.format_map(slots)
        sentence = f"{_cap(core)}, {attribution}."
    sentence = _finish(sentence, lang)
    record = {"text": sentence[:-1], "value": take.value, "value_high": take.high,
              "unit": kind.unit[LANG_INDEX[lang]], "looseness": take.looseness,
              "attribution": _fix_french(attribution) if lang == "fr" else attribution}
    return sentence, record


def _statement_sentence(fact: _Fact, take: _Take, lang: str,
                        slots: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """A sentence stating a non-numeric fact, and its gold statement."""
    st = fact.statement
    assert st is not None
    template = {"en": st.en[take.variant % len(st.en)], "de": st.de, "fr": st.fr}[lang]
    sentence = _finish(template.format_map(slots) + ".", lang)
    return sentence, {"text": sentence[:-1], "attribution": ""}


def _quote_sentence(fact: _Fact, take: _Take, lang: str, slots: dict[str, str],
                    speaker: _Person, role: str) -> tuple[str, dict[str, Any]]:
    """A sentence quoting (or paraphrasing) the event's leader or rival, and its statement."""
    qk = fact.quote
    assert qk is not None
    parts = {"en": qk.en, "de": qk.de, "fr": qk.fr}[lang]
    kind = take.quote_kind
    words = parts[take.variant % 2] if kind == "trimmed" else f"{parts[0]}. {parts[1]}"
    if kind == "paraphrased":
        sentence = f"{_cap(role)} {speaker.name} said {qk.paraphrase}."
        return sentence, {"text": sentence[:-1], "attribution": "said", "speaker": speaker.name}
    if kind == "reattributed":
        who = T.REATTRIBUTED[take.variant % len(T.REATTRIBUTED)].format_map(slots)
        return f'"{words}," {who} said.', {"text": words, "attribution": "said", "speaker": who}
    verbs = T.QUOTE_VERBS[lang]
    verb = verbs[take.variant % len(verbs)].format_map(slots)
    sentence = _finish(_quote_format(lang, take.lead, words, verb, speaker.name, role), lang)
    if lang == "fr":
        words = _fix_french(words)
    return sentence, {"text": words, "attribution": verb, "speaker": speaker.name}


def _quote_format(lang: str, before: bool, words: str, verb: str, name: str, role: str) -> str:
    """Put quoted words and their attribution together in the language's style."""
    if lang == "en":
        if before:
            return f'{_cap(role)} {name} {verb}: "{words}."'
        return f'"{words}," {role} {name} {verb}.'
    if lang == "de":
        if before:
            return f"{_cap(role)} {name} {verb}: „{words}.“"
        return f"„{words}“, {verb} {role} {name}."
    if before:
        return f"{name}, {role}, {verb} : « {words}. »"
    return f"« {words} », {verb} {name}, {role}."


def _fact_sentence(event: _Event, fact: _Fact, take: _Take, lang: str,
                   slots: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """The sentence and gold statement for one fact as one outlet states it."""
    if fact.kind == "quantity":
        return _quantity_sentence(fact, take, lang, slots)
    if fact.kind == "statement":
        return _statement_sentence(fact, take, lang, slots)
    assert fact.quote is not None
    is_leader = fact.quote.speaker == "leader"
    speaker = event.leader if is_leader else event.rival
    role = slots["leader_role"] if is_leader else slots["rival_role"]
    return _quote_sentence(fact, take, lang, slots, speaker, role)


# ---------------------------------------------------------------- articles

_Unit = tuple[str, str, dict[str, Any], str]  # (sentence, fact id, statement, quote kind)
_Record = tuple[str, dict[str, Any], str]  # (fact id, statement, quote kind)


@dataclass(frozen=True, slots=True)
class _Slot:
    """One article to write: by whom, when, and whether it is a follow-up."""

    desk: _Desk
    published: datetime
    follow_up: bool


def _body(rng: random.Random, event: _Event, desk: _Desk, slots: dict[str, str],
          fact_ids: list[str], follow_up: bool) -> tuple[list[str], list[_Record], str]:
    """Paragraphs (lead, facts and fillers interleaved), their statements, and a summary."""
    lang, topic = desk.outlet.language, event.skeleton.topic
    leads = (T.FOLLOW_LEADS if follow_up else topic.leads)[lang]
    pick = rng.randrange(len(leads))
    lead = _finish(leads[pick].format_map(slots), lang)
    summary = _finish(leads[(pick + 1) % len(leads)].format_map(slots), lang)
    if desk.credit:
        lead = f"{event.skeleton.place.upper()} ({desk.credit}) - {lead}"
    units: list[_Unit] = []
    for fid in fact_ids:
        fact = next(f for f in event.facts if f.id == fid)
        take = event.takes[desk.outlet.id][fid]
        sentence, record = _fact_sentence(event, fact, take, lang, slots)
        units.append((sentence, fid, record, take.quote_kind if fact.kind == "quote" else ""))
    target = int(rng.triangular(*WORD_TARGETS[lang]))
    used = len(lead.split()) + sum(len(u[0].split()) for u in units)
    fillers = _filler_paragraphs(rng, topic, lang, slots, target - used)
    paragraphs, records = _assemble(rng, lead, units, fillers)
    return paragraphs, records, summary


def _filler_paragraphs(rng: random.Random, topic: T.Topic, lang: str, slots: dict[str, str],
                       budget: int) -> list[str]:
    """Paragraphs of background, context and reaction sentences worth about `budget` words."""
    pool = {"en": topic.fillers + T.FILLERS_EN, "de": T.FILLERS_DE, "fr": T.FILLERS_FR}[lang]
    if slots["place"] == slots["capital"]:
        pool = tuple(f for f in pool if not ("{place}" in f and "{capital}" in f))
    own = len(topic.fillers) if lang == "en" else 0
    order = rng.sample(range(own), own) + rng.sample(range(own, len(pool)), len(pool) - own)
    order = order[:own // 2] + rng.sample(order[own // 2:], len(order) - own // 2)
    paragraphs: list[str] = []
    current: list[str] = []
    size = rng.randint(1, 3)
    for i in order:
        if budget <= 0:
            break
        sentence = _finish(pool[i].format_map(slots), lang)
        current.append(sentence)
        budget -= len(sentence.split())
        if len(current) >= size:
            paragraphs.append(" ".join(current))
            current, size = [], rng.randint(1, 3)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _assemble(rng: random.Random, lead: str, units: list[_Unit],
              fillers: list[str]) -> tuple[list[str], list[_Record]]:
    """Lead first, then fact paragraphs and filler paragraphs interleaved at random."""
    blocks: list[list[_Unit]] = []
    i = 0
    while i < len(units):
        take = 1 if units[i][3] or rng.random() < 0.5 else 2
        blocks.append(units[i:i + take])
        i += take
    paragraphs: list[str] = [lead]
    records: list[_Record] = []
    queue_f, queue_b = list(fillers), list(blocks)
    while queue_f or queue_b:
        weight = 3 * len(queue_b) if len(paragraphs) < 5 else len(queue_b)
        if queue_b and (not queue_f or rng.random() < weight / (weight + len(queue_f))):
            block = queue_b.pop(0)
            records += [(fid, rec, kind) for _, fid, rec, kind in block]
            paragraphs.append(" ".join(s for s, _, _, _ in block))
        else:
            paragraphs.append(queue_f.pop(0))
    return paragraphs, records


def _write_article(rng: random.Random, event: _Event, slot: _Slot, used_ids: set[str]) -> _Written:
    """Render one original article (main or follow-up) of an outlet."""
    desk, lang, sk = slot.desk, slot.desk.outlet.language, event.skeleton
    term = _term(sk.topic, desk)
    slots = _with_term(event.slots[lang], term, lang)
    slots["pub_weekday"] = T.WEEKDAYS[lang][slot.published.weekday()]
    stated = list(event.takes[desk.outlet.id])
    if slot.follow_up and len(stated) > 2:
        stated = _ordered_sample(rng, stated, rng.randint(max(2, len(stated) // 2), len(stated)))
    paragraphs, records, summary = _body(rng, event, desk, slots, stated, slot.follow_up)
    titles = (T.FOLLOW_TITLES if slot.follow_up else sk.topic.titles)[lang]
    suffix = rng.choice(T.FOLLOW_SLUGS[lang]) if slot.follow_up else ""
    aid, path = _article_id(desk.outlet.id, slot.published, _slug(sk, lang, suffix), used_ids)
    article = DemoArticle(
        id=aid, outlet=desk.outlet.id, event=event.id,
        title=_finish(rng.choice(titles).format_map(slots), lang),
        byline=_byline(rng, desk), dateline=_dateline(rng, desk, sk.place),
        published=slot.published, section=rng.choice(sk.topic.sections[lang]), summary=summary,
        tags=(sk.country, *sk.topic.tags[lang]), paywalled=_paywalled(rng, desk),
        body_paragraphs=tuple(_signed(rng, desk, paragraphs)), path=path)
    kept = tuple((fid, {"outlet": desk.outlet.id, "article": aid, **rec}, kind)
                 for fid, rec, kind in records)
    return _Written(article, kept, _bare(term), False)


def _signed(rng: random.Random, desk: _Desk, paragraphs: list[str]) -> list[str]:
    """Wire stories end with a reporting and editing credit."""
    if desk.kind != "wire" or len(desk.staff) < 2:
        return paragraphs
    a, b = rng.sample(desk.staff, 2)
    return [*paragraphs, T.WIRE_SIGNOFF.format(a=a, b=b)]


def _copy_article(rng: random.Random, original: _Written, desk: _Desk, published: datetime,
                  topic: T.Topic, used_ids: set[str]) -> _Written:
    """A republished wire story: same body, or lightly edited by dropping its last paragraphs."""
    src = original.article
    paragraphs = src.body_paragraphs
    if len(paragraphs) > 6 and rng.random() < 0.4:
        paragraphs = paragraphs[:len(paragraphs) - rng.randint(1, 2)]
    aid, path = _article_id(desk.outlet.id, published, src.slug, used_ids)
    article = DemoArticle(
        id=aid, outlet=desk.outlet.id, event=src.event, title=src.title, byline=src.byline,
        dateline=src.dateline, published=published, section=rng.choice(topic.sections["en"]),
        summary=src.summary, tags=src.tags, syndicated_from=src.id, body_paragraphs=paragraphs,
        path=path)
    records = tuple((fid, {**rec, "outlet": desk.outlet.id, "article": aid}, kind)
                    for fid, rec, kind in original.records
                    if any(rec["text"] in p for p in paragraphs))
    return _Written(article, records, original.term, True)


def _slug(sk: _Skeleton, lang: str, suffix: str) -> str:
    """An article slug from the event's place and topic (and a follow-up word)."""
    parts = [slugify(sk.place), sk.topic.slug[lang]] + ([suffix] if suffix else [])
    return "-".join(parts)


def _article_id(outlet: str, published: datetime, slug: str, used: set[str]) -> tuple[str, str]:
    """A unique `<outlet>-<yyyymmdd>-<slug>` id and its `/<yyyy>/<mm>/<dd>/<slug>.html` path."""
    stem, n = slug, 1
    while f"{outlet}-{published:%Y%m%d}-{slug}" in used:
        n += 1
        slug = f"{stem}-{n}"
    aid = f"{outlet}-{published:%Y%m%d}-{slug}"
    used.add(aid)
    return aid, f"/{published:%Y/%m/%d}/{slug}.html"


def _byline(rng: random.Random, desk: _Desk) -> tuple[str, ...]:
    """One or two staff names, or none (always none for official sources)."""
    if desk.kind == "official_source":
        return ()
    r = rng.random()
    if r < 0.12:
        return ()
    return tuple(rng.sample(desk.staff, 2 if r > 0.85 else 1))


def _dateline(rng: random.Random, desk: _Desk, place: str) -> str:
    """PLACE in capitals for English news outlets, Place for German and French, or none."""
    if desk.kind in ("official_source", "party_press") and rng.random() < 0.6:
        return ""
    return place.upper() if desk.outlet.language == "en" else place


def _paywalled(rng: random.Random, desk: _Desk) -> bool:
    """A few private outlets' articles are behind a paywall."""
    return desk.kind == "private" and rng.random() < 0.08


def _bare(term: str) -> str:
    """A term without its German or French article."""
    return _ARTICLES_RE.sub("", term)


# ---------------------------------------------------------------- coverage of one event

def _cover_event(sk: _Skeleton, count: int, desks: list[_Desk], cum: list[float],
                 names: _Names, width: int, used_ids: set[str]) -> tuple[_Event, list[_Written]]:
    """Choose outlets, copies and follow-ups for one event and write its articles."""
    rng = random.Random(sk.seed)
    event = _make_event(rng, sk, names, width)
    chosen = _choose_desks(rng, desks, cum, min(count, len(desks), 7))
    copiers = _copiers(rng, chosen)
    originals = [d for d in chosen if d.outlet.id not in copiers]
    _assign_takes(rng, event, originals)
    slots = _schedule(rng, sk, originals, count - len(chosen))
    written: list[_Written] = []
    mains: dict[str, _Written] = {}
    for slot in slots:
        w = _write_article(rng, event, slot, used_ids)
        written.append(w)
        mains.setdefault(slot.desk.outlet.id, w)
    for copier_id, wire_id in copiers.items():
        desk = next(d for d in chosen if d.outlet.id == copier_id)
        when = mains[wire_id].article.published + timedelta(minutes=rng.randint(20, 240))
        written.append(_copy_article(rng, mains[wire_id], desk, when, sk.topic, used_ids))
    return event, written


def _choose_desks(rng: random.Random, desks: list[_Desk], cum: list[float], k: int) -> list[_Desk]:
    """k distinct outlets drawn by coverage weight (wires and broadcasters cover most)."""
    chosen: list[int] = []
    while len(chosen) < k:
        i = rng.choices(range(len(desks)), cum_weights=cum)[0]
        if i not in chosen:
            chosen.append(i)
    return [desks[i] for i in chosen]


def _copiers(rng: random.Random, chosen: list[_Desk]) -> dict[str, str]:
    """English outlets that republish a covering wire's story instead of writing their own."""
    wires = [d for d in chosen if d.kind == "wire"]
    if not wires:
        return {}
    out = {}
    for d in chosen:
        if (d.kind in ("public_broadcaster", "private", "party_press")
                and d.outlet.language == "en" and rng.random() < 0.22):
            out[d.outlet.id] = rng.choice(wires).outlet.id
    return out


def _schedule(rng: random.Random, sk: _Skeleton, originals: list[_Desk],
              extra: int) -> list[_Slot]:
    """Main articles 0-3 days after the first day; follow-ups one to six days after those."""
    slots = []
    for desk in originals:
        offset = 0 if desk.kind == "wire" and rng.random() < 0.85 else \
            rng.choices(range(4), DAY_WEIGHTS)[0]
        slots.append(_Slot(desk, _at(rng, sk.first_day + timedelta(days=offset)), False))
    for _ in range(extra):
        main = rng.choice(slots[:len(originals)])
        day = main.published.date() + timedelta(days=rng.randint(1, 6))
        slots.append(_Slot(main.desk, _at(rng, day), True))
    return slots


def _at(rng: random.Random, day: date) -> datetime:
    """A publication time on `day` between 05:00 and 21:59 UTC."""
    return datetime(day.year, day.month, day.day, rng.randint(5, 21), rng.randint(0, 59),
                    tzinfo=timezone.utc)


# ---------------------------------------------------------------- gold

def _gold(event: _Event, written: list[_Written], hard: list[str], seed: int) -> dict[str, Any]:
    """The gold of one event in FORMAT.md's shape."""
    written = sorted(written, key=lambda w: (w.article.published, w.article.id))
    first: dict[str, dict[str, tuple[dict[str, Any], str]]] = {f.id: {} for f in event.facts}
    for w in written:
        for fid, rec, kind in w.records:
            first[fid].setdefault(w.article.outlet, (rec, kind))
    covering = list(dict.fromkeys(w.article.outlet for w in written))
    originals = list(dict.fromkeys(w.article.outlet for w in written if not w.copy))
    facts = [_gold_fact(f, first[f.id]) for f in event.facts]
    gold: dict[str, Any] = {
        "event": event.id, "label": _label(event), "first_day": event.skeleton.first_day,
        "articles": [w.article.id for w in written], "hard_cases": [], "notes": "",
        "facts": facts,
        "numeric_conflicts": _conflicts(event, first),
        "omissions": _omissions(event, first, covering, originals),
        "exclusives": _exclusives(event, first, originals),
        "quote_variants": _quote_variants(event, first),
        "framing": _framing(event, written, covering),
    }
    gold["hard_cases"] = _hard_cases(gold, written, covering, hard)
    gold["notes"] = _notes(gold, event, covering, seed)
    return gold


def _label(event: _Event) -> str:
    """The event's one-line label in neutral English."""
    topic = event.skeleton.topic
    slots = _with_term(event.slots["en"], topic.terms["neutral"], "en")
    day = event.skeleton.first_day
    return f"{_cap(topic.label.format_map(slots))} ({day.day} {MONTHS[day.month - 1]} {day.year})"


def _gold_fact(fact: _Fact, stated: dict[str, tuple[dict[str, Any], str]]) -> dict[str, Any]:
    """One [[facts]] table with its statements."""
    out: dict[str, Any] = {"id": fact.id, "text": fact.text, "kind": fact.kind}
    if fact.quantity is not None:
        out["referent"] = fact.quantity.referent
    out["statements"] = [rec for rec, _ in stated.values()]
    return out


def _conflicts(event: _Event, first: dict[str, dict[str, tuple[dict[str, Any], str]]]
               ) -> list[dict[str, Any]]:
    """Quantities on which some outlets' figures disagree beyond their looseness."""
    out = []
    for fact in event.facts:
        if fact.kind != "quantity":
            continue
        stmts = {o: rec for o, (rec, _) in first[fact.id].items()}
        spans = {o: _interval(rec) for o, rec in stmts.items()}
        clash = [o for o in stmts if any(spans[o][1] < spans[p][0] or spans[p][1] < spans[o][0]
                                         for p in stmts if p != o)]
        if clash:
            why = "; ".join(_describe(o, stmts[o]) for o in clash)
            out.append({"fact": fact.id, "outlets": clash, "why": why})
    return out


def _describe(outlet: str, stmt: Mapping[str, Any]) -> str:
    """'s003 gives about 12,000 troops (police said)' for a conflict's why."""
    value = f"{stmt['value']:,}"
    if stmt["value_high"] != stmt["value"]:
        value += f" to {stmt['value_high']:,}"
    who = stmt["attribution"] or "unattributed"
    return f"{outlet} gives {stmt['looseness'].replace('_', ' ')} {value} {stmt['unit']} ({who})"


def _omissions(event: _Event, first: dict[str, dict[str, tuple[dict[str, Any], str]]],
               covering: list[str], originals: list[str]) -> list[dict[str, str]]:
    """Facts stated by two or more originating outlets and absent from another that covered."""
    out = []
    for fact in event.facts:
        stating = first[fact.id]
        if sum(1 for o in stating if o in originals) < 2:
            continue
        out += [{"fact": fact.id, "outlet": o} for o in covering if o not in stating]
    return out


def _exclusives(event: _Event, first: dict[str, dict[str, tuple[dict[str, Any], str]]],
                originals: list[str]) -> list[dict[str, str]]:
    """Facts that a single originating outlet states when several outlets wrote their own."""
    if len(originals) < 2:
        return []
    out = []
    for fact in event.facts:
        origin = [o for o in first[fact.id] if o in originals]
        if len(origin) == 1:
            out.append({"fact": fact.id, "outlet": origin[0]})
    return out


def _quote_variants(event: _Event, first: dict[str, dict[str, tuple[dict[str, Any], str]]]
                    ) -> list[dict[str, Any]]:
    """Quotes rendered trimmed, paraphrased or reattributed, against a full rendering."""
    out = []
    for fact in event.facts:
        if fact.kind != "quote":
            continue
        is_leader = fact.quote is not None and fact.quote.speaker == "leader"
        speaker = (event.leader if is_leader else event.rival).name
        full = [o for o, (_, k) in first[fact.id].items() if k == "full"]
        for kind in ("trimmed", "paraphrased", "reattributed"):
            variants = [o for o, (_, k) in first[fact.id].items() if k == kind]
            if variants:
                out.append({"fact": fact.id, "speaker": speaker, "outlets": full[:1] + variants,
                            "kind": kind})
    return out


def _framing(event: _Event, written: list[_Written], covering: list[str]) -> list[dict[str, Any]]:
    """The word each covering outlet uses for the event."""
    if len(covering) < 2:
        return []
    terms: dict[str, str] = {}
    for w in written:
        terms.setdefault(w.article.outlet, w.term)
    return [{"referent": event.skeleton.topic.referent, "terms": terms}]


def _hard_cases(gold: dict[str, Any], written: list[_Written], covering: list[str],
                hard: list[str]) -> list[str]:
    """FORMAT.md's hard-case tags that apply to this event."""
    cases = list(hard)
    if len(covering) == 1:
        cases.append("single-outlet")
    if any(w.copy for w in written):
        cases.append("syndicated")
    own = [w.article.outlet for w in written if not w.copy]
    if len(set(own)) < len(own):
        cases.append("follow-up")
    if len(covering) > 1 and not gold["numeric_conflicts"]:
        cases.append("agree")
    return cases


def _notes(gold: dict[str, Any], event: _Event, covering: list[str], seed: int) -> str:
    """What the event is designed to test, in one sentence."""
    counts = ", ".join(f"{len(gold[k])} {k.replace('_', ' ')}" for k in
                       ("numeric_conflicts", "omissions", "exclusives", "quote_variants"))
    return (f"Synthetic {event.skeleton.topic.key} event (seed {seed}) covered by "
            f"{len(covering)} outlet(s) in {len(gold['articles'])} article(s); designed "
            f"differences: {counts}.")


# ---------------------------------------------------------------- the world

def generate_world(*, seed: int, outlets: int, events: int, articles: int | None = None,
                   start: date = date(2024, 1, 8), days: int = 21) -> DemoCorpus:
    """Generate a deterministic synthetic corpus: `outlets` outlets covering `events` events."""
    _check_arguments(outlets, events, articles, days)
    rng = random.Random(seed)
    names = _Names(rng)
    desks = _make_desks(rng, outlets, names)
    skeletons = _make_skeletons(rng, events, start, days, names)
    counts = _article_counts(rng, events, min(7, outlets), articles)
    cum = _cumulative([COVER_WEIGHTS[d.kind] for d in desks])
    hard = _cross_event_cases(skeletons)
    width = max(4, len(str(events)))
    used_ids: set[str] = set()
    arts: list[DemoArticle] = []
    gold: dict[str, dict[str, Any]] = {}
    for sk, count in zip(skeletons, counts):
        event, pieces = _cover_event(sk, count, desks, cum, names, width, used_ids)
        _verify(pieces)
        gold[event.id] = _gold(event, pieces, hard.get(sk.index, []), seed)
        arts += [w.article for w in pieces]
    arts.sort(key=lambda a: (a.published, a.id))
    logger.info("synthetic world (seed %d): %d outlets, %d events, %d articles",
                seed, outlets, events, len(arts))
    return DemoCorpus(root=SYNTHETIC_ROOT, outlets=tuple(d.outlet for d in desks),
                      articles=tuple(arts), gold=MappingProxyType(gold))


def _verify(pieces: list[_Written]) -> None:
    """Every recorded statement must be printed verbatim in its article (a generator bug else)."""
    for w in pieces:
        for fid, rec, _ in w.records:
            if not any(rec["text"] in p for p in w.article.body_paragraphs):
                raise RuntimeError(f"{w.article.id}: statement of {fid} not in the body: "
                                   f"{rec['text']!r}")


def _check_arguments(outlets: int, events: int, articles: int | None, days: int) -> None:
    """Reject sizes the generator cannot honour."""
    if outlets < 1 or events < 1 or days < 1:
        raise ValueError("outlets, events and days must be at least 1")
    if articles is not None and articles < events:
        raise ValueError(f"articles ({articles}) must be at least events ({events})")


def _cumulative(weights: list[float]) -> list[float]:
    """Running sums of weights."""
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _cross_event_cases(skeletons: list[_Skeleton]) -> dict[int, list[str]]:
    """Hard cases that depend on other events: shared places, same country and week."""
    week, shared = _same_country_week(skeletons), _shared_places(skeletons)
    out: dict[int, list[str]] = {}
    for s in skeletons:
        cases = (["same-country-week"] if s.index in week else []) + \
            (["shared-entities"] if s.index in shared else [])
        if cases:
            out[s.index] = cases
    return out


# ---------------------------------------------------------------- writing to disk

def write_corpus(corpus: DemoCorpus, out: Path) -> Path:
    """Write outlets.toml, articles/*.md and gold/*.toml under `out` (which must be empty)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty; refusing to mix corpora")
    (out / "articles").mkdir(parents=True)
    (out / "gold").mkdir()
    (out / "outlets.toml").write_text(outlets_toml(corpus.outlets), encoding="utf-8")
    for article in corpus.articles:
        (out / "articles" / f"{article.id}.md").write_text(article_text(article), encoding="utf-8")
    for event_id, gold in corpus.gold.items():
        (out / "gold" / f"{event_id}.toml").write_text(toml_document(gold), encoding="utf-8")
    return out


def outlets_toml(outlets: Sequence[DemoOutlet]) -> str:
    """The `[[outlets]]` tables of a corpus (feed format follows from the feed paths)."""
    lines = ["# A synthetic Parallax world written by demo.synthetic.", ""]
    for o in outlets:
        table = {"id": o.id, "name": o.name, "homepage": o.homepage, "feeds": list(o.feeds),
                 "language": o.language, "country": o.country, "ownership": o.ownership,
                 "tags": dict(o.tags)}
        lines += ["[[outlets]]", *_toml_lines(table, ""), ""]
    return "\n".join(lines)


def article_text(article: DemoArticle) -> str:
    """One article file: TOML front matter between +++ lines, then the paragraphs."""
    front: dict[str, Any] = {
        "id": article.id, "outlet": article.outlet, "event": article.event,
        "title": article.title, "byline": list(article.byline), "dateline": article.dateline,
        "published": article.published, "section": article.section, "summary": article.summary,
        "tags": list(article.tags)}
    if article.syndicated_from:
        front["syndicated_from"] = article.syndicated_from
    if article.paywalled:
        front["paywalled"] = True
    head = "\n".join(f"{k} = {_toml_value(v)}" for k, v in front.items())
    return f"+++\n{head}\n+++\n" + "\n\n".join(article.body_paragraphs) + "\n"


def toml_document(table: Mapping[str, Any]) -> str:
    """A TOML document for a gold table (scalars, arrays, inline tables, arrays of tables)."""
    return "\n".join(_toml_lines(table, "")) + "\n"


def _toml_lines(table: Mapping[str, Any], prefix: str) -> list[str]:
    """Key/value lines first, then each array of tables as `[[prefix.key]]` blocks."""
    lines = [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()
             if not _is_table_array(v)]
    for key, value in table.items():
        if _is_table_array(value):
            for item in value:
                lines += ["", f"[[{prefix}{key}]]", *_toml_lines(item, f"{prefix}{key}.")]
    return lines


def _is_table_array(value: Any) -> bool:
    """A non-empty list of tables."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _toml_value(value: Any) -> str:
    """One TOML value (strings use JSON escapes, which TOML basic strings accept)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k,
                                v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _toml_key(key: str) -> str:
    """A bare key when possible, else a quoted one."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


# ---------------------------------------------------------------- command line

def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options of `python -m demo.synthetic`."""
    parser = argparse.ArgumentParser(prog="python -m demo.synthetic",
                                     description="Write a synthetic Parallax demo corpus.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--outlets", type=int, default=20)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--articles", type=int, default=None, help="exact article total")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 8))
    parser.add_argument("--days", type=int, default=21)
    parser.add_argument("--out", type=Path, required=True, help="an empty or new directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Generate a world and write it; print what was written."""
    args = _parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    started = time.perf_counter()
    corpus = generate_world(seed=args.seed, outlets=args.outlets, events=args.events,
                            articles=args.articles, start=args.start, days=args.days)
    generated = time.perf_counter() - started
    write_corpus(corpus, args.out)
    print(f"{len(corpus.outlets)} outlets, {len(corpus.gold)} events, {len(corpus.articles)} "
          f"articles written to {args.out} (generated in {generated:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
