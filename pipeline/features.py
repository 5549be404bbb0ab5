"""Language-light features of an article for event matching: terms, names, numbers and dates.

Everything here is regular expressions over the folded text (lower case, no diacritics), so it
costs well under a millisecond for a long article and needs no model. The parts that carry
across languages are the names (capitalised words and runs of them), the numbers (normalised:
'90,000', '90.000' and '90 000' are all '90000'; '4.5' and '4,5' are '4.5') and the calendar
dates the text mentions ('15 January', '15. Januar', 'lundi 15 janvier' and, given the
publication date, 'on Monday' all become '@01-15').
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

_WORD = re.compile(r"\w+(?:['’-]\w+)*")  # words and numbers; `_term` drops the numbers
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+)(?:[.,](\d+))?(?![\w])")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
LEAD_WORDS = 100000
TITLE_REPEAT = 2   # title words count this many times among the terms

STOPWORDS = frozenset("""
a about after again against all also an and any are as at be been before being between both but by can could
did do does during each few for from further had has have having he her here hers him his how i if in into is
it its itself just me more most my no nor not now of off on once only or other our out over own said same says
she should so some such than that the their them then there these they this those through to too under until
up very was we were what when where which while who whom why will with would you your year years new one two
told say per cent percent mr mrs ms like last first week day monday tuesday wednesday thursday friday saturday
sunday january february march april may june july august september october november december
der die das den dem des ein eine einer eines einem einen und oder aber auch als am an auf aus bei bis da dass
durch für gegen hat haben hatte ich im in ist mit nach nicht noch nur sich sie so über um unter vom von vor
war waren wie wird wurde wurden zu zum zur sei seien sagte es er wir ihr man mehr sowie laut januar
le la les un une des du de et ou mais aussi au aux dans par pour sur sous avec sans selon est sont été a ont
il elle ils elles on ne pas plus que qui quoi dont où ce cette ces son sa ses leur leurs se lui a-t-il janvier
el los las y del al por con para una uno unos unas lo su sus como pero más este esta estos estas ese esa
ha han fue ser era entre sobre también según dijo
il lo gli della delle dei degli nel nella nei alla alle allo dal dalla con per una uno che non come più
questo questa sono è stato stata anche secondo
""".split())
STOPWORDS = STOPWORDS | {w.translate(str.maketrans("äöüéèêàâùûçîô", "aoueeeaauucio")) for w in STOPWORDS}

# Function words that tell the language of a text (counted over its words; the largest wins).
LANGUAGE_WORDS = {
    "en": frozenset("the and of to is that for with was on are this from have has were said".split()),
    "de": frozenset("der die und das den nicht ist mit sich auf dem des ein eine wurde auch".split()),
    "fr": frozenset("le la les et des est une dans pour qui que pas sur du au aux".split()),
    "es": frozenset("el los las y del por una con para que se al su como".split()),
    "it": frozenset("il di che della per una sono gli nel alla con del non".split()),
}

_MONTHS = {
    1: "january jan januar janvier enero gennaio janeiro januari",
    2: "february feb februar fevrier febrero febbraio fevereiro februari",
    3: "march mar marz mars marzo marco maart",
    4: "april apr avril abril aprile",
    5: "may mai mayo maggio maio mei",
    6: "june jun juni juin junio giugno junho",
    7: "july jul juli juillet julio luglio julho",
    8: "august aug aout agosto augustus",
    9: "september sep sept septembre septiembre settembre setembro",
    10: "october oct oktober octobre octubre ottobre outubro",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember decembre diciembre dicembre dezembro",
}
MONTH_OF = {name: number for number, names in _MONTHS.items() for name in names.split()}
_WEEKDAYS = {
    0: "monday montag lundi lunes lunedi",
    1: "tuesday dienstag mardi martes martedi",
    2: "wednesday mittwoch mercredi miercoles mercoledi",
    3: "thursday donnerstag jeudi jueves giovedi",
    4: "friday freitag vendredi viernes venerdi",
    5: "saturday samstag sonnabend samedi sabado sabato",
    6: "sunday sonntag dimanche domingo domenica",
}
WEEKDAY_OF = {name: number for number, names in _WEEKDAYS.items() for name in names.split()}
WEEKDAY_NAMES = frozenset(WEEKDAY_OF)
MONTH_NAMES = frozenset(MONTH_OF)
_DIGITS = re.compile(r"\d+")
_ORDINAL = re.compile(r"(?:st|nd|rd|th|er)?")
_MONTH_AFTER = re.compile(r"\.?\s+(?:de\s+)?([a-z]+)")
_MONTH_BEFORE = re.compile(r"([a-z]+)\.?\s+$")


def _upper_class() -> str:
    chars = [chr(c) for c in range(0x41, 0x530) if chr(c).isupper()]
    return "".join(re.escape(c) for c in chars)


_UP = _upper_class()
# A run of capitalised words (an apostrophe or hyphen may join parts: "Jong-un", "O'Brien").
_RUN = rf"[{_UP}][\w'’-]*(?:[ \t\u00a0]+[{_UP}][\w'’-]*)*"
_NAME_RUN = re.compile(_RUN)
_OPENER_RUN = re.compile(rf"[.!?:;\"“”«»„\n][^\w\n'’-]{{0,2}}({_RUN})")
_FIRST_RUN = re.compile(rf"[^\w\n'’-]{{0,2}}({_RUN})")
_NUMBER_SPAN = re.compile(r"\d[\d,.\u00a0\u202f ]*\d|\d")


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What matching compares: content terms (counts), names, numbers, dates and the language."""

    terms: Counter[str]
    names: frozenset[str]
    numbers: frozenset[str]
    dates: frozenset[str] = frozenset()
    title_terms: frozenset[str] = frozenset()
    language: str = ""
    words: int = 0
    evidence: frozenset[str] = frozenset()  # names, numbers ('#90000') and dates ('@01-15')

    def to_dict(self) -> dict:
        """A JSON-ready form (to keep an article's features next to it and skip extracting them again)."""
        return dict(terms=dict(self.terms), names=sorted(self.names), numbers=sorted(self.numbers),
                    dates=sorted(self.dates), title_terms=sorted(self.title_terms), language=self.language,
                    words=self.words)

    @classmethod
    def from_dict(cls, data: dict) -> "ArticleFeatures":
        """The features `to_dict` wrote."""
        names, numbers, dates = frozenset(data["names"]), frozenset(data["numbers"]), frozenset(data["dates"])
        return cls(terms=Counter(data["terms"]), names=names, numbers=numbers, dates=dates,
                   title_terms=frozenset(data["title_terms"]), language=data["language"], words=data["words"],
                   evidence=names | {f"#{n}" for n in numbers} | dates)


def fold(word: str) -> str:
    """Lower case without diacritics: 'Brüssel' → 'brussel', 'Élysée' → 'elysee'."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def fold_text(text: str) -> str:
    """`fold` for a whole text at once (the same result, much faster on long texts)."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.lower())).replace("’", "'")


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """A very light, language-blind stem of a folded word: no possessive, no plural -s."""
    if word.endswith("'s"):
        word = word[:-2]
    elif word.endswith("'"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


def _keep(word: str) -> bool:
    return len(word) > 2 and word not in STOPWORDS


@lru_cache(maxsize=1 << 18)
def _term(word: str) -> str:
    """The content term of a folded word ('' for stop words, short words and numbers)."""
    return stem(word) if _keep(word) and not any(c.isdigit() or c == "_" for c in word) else ""


def features(title: str, text: str, *, lead_words: int = LEAD_WORDS,
             published: date | None = None) -> ArticleFeatures:
    """Terms of the title (counted twice) and the lead (`lead_words` of the text), and its names,
    numbers and dates; `published` resolves weekdays ('on Monday') to dates."""
    if lead_words < LEAD_WORDS:
        text = " ".join(text.split()[:lead_words])
    folded_title = _WORD.findall(fold_text(title))
    folded = fold_text(text)
    words = _WORD.findall(folded)
    counts = Counter(words)
    counts.update(folded_title * TITLE_REPEAT)
    found: dict[str, int] = {}
    get = found.get
    for word, count in counts.items():
        term = _term(word)
        if term:
            found[term] = get(term, 0) + count
    terms = Counter(found)
    title_terms = frozenset(stem(w) for w in folded_title if _keep(w))
    names, numbers = _names(title, text, len(words)), numbers_in(text)
    vocabulary = counts.keys()
    if vocabulary & MONTH_NAMES or (published is not None and vocabulary & WEEKDAY_NAMES):
        dates = dates_in(fold_text(title) + ".\n" + folded, published, set(vocabulary))
    else:
        dates = frozenset()
    return ArticleFeatures(
        terms=terms, names=names, numbers=numbers, dates=dates, title_terms=title_terms,
        language=language_of(counts), words=len(words),
        evidence=names | {f"#{n}" for n in numbers} | dates)


def _names(title: str, text: str, words: int) -> frozenset[str]:
    """Names of the body, and of the title unless it is in title case (then only those the body
    also has); a headline-only item keeps its title's names."""
    if words < 60:
        return names_in(f"{title}.\n{text}", short=True)
    body = names_in(text)
    title_words = [w for w in _WORD.findall(title) if len(w) > 3]
    title_case = sum(w[:1].isupper() for w in title_words) >= 0.7 * len(title_words)
    heading = names_in(title, short=True)
    return body | (heading & body if title_case else heading)


def language_of(counts: Counter[str]) -> str:
    """The language whose function words are most frequent ('' when there are too few)."""
    best, score = "", 2
    for language, vocabulary in LANGUAGE_WORDS.items():
        found = sum(counts[w] for w in vocabulary if w in counts)
        if found > score:
            best, score = language, found
    return best


def names_in(text: str, *, short: bool = False) -> frozenset[str]:
    """Capitalised words and runs of them, folded, without stop words. A lone capitalised word
    that opens a sentence counts only when the text also capitalises it inside a sentence (in a
    `short` text such as a headline: unless the text also writes it in lower case)."""
    found: set[str] = set()
    openers: set[str] = set()
    inner: set[str] = set()
    opening = Counter(_OPENER_RUN.findall(text))
    first = _FIRST_RUN.match(text)
    if first:
        opening[first.group(1)] += 1
    for run, count in Counter(_NAME_RUN.findall(text)).items():
        parts, led = _run_parts(run)
        if not parts:
            continue
        opener = not led and opening.get(run, 0) >= count
        if opener and len(parts) == 1:
            openers.add(parts[0])
            continue
        inner.update(parts[1:] if opener else parts)
        found.update(p for p in parts if len(p) > 2 and p not in STOPWORDS)
        if len(parts) > 1:
            found.add(" ".join(parts))
    if short and openers:
        lower = {stem(w) for w in _WORD.findall(fold_text(text)) if w}
        lower_case = {stem(fold_text(w)) for w in _WORD.findall(text) if w[:1].islower()}
        found.update(w for w in openers - lower_case if len(w) > 2 and w in lower)
    else:
        found.update(w for w in openers & inner if len(w) > 2)
    return frozenset(found)


@lru_cache(maxsize=1 << 17)
def _name_part(word: str) -> str:
    return stem(fold_text(word).strip("'-"))


@lru_cache(maxsize=1 << 17)
def _run_parts(run: str) -> tuple[list[str], bool]:
    """The folded words of a run of capitalised words without leading and trailing stop words,
    and whether a leading stop word was dropped ('The Hague': the run did not open a sentence)."""
    parts = [_name_part(w) for w in run.split()]
    led = False
    while parts and parts[0] in STOPWORDS:
        parts.pop(0)
        led = True
    while parts and parts[-1] in STOPWORDS:
        parts.pop()
    return parts, led


def numbers_in(text: str) -> frozenset[str]:
    """Numbers of two or more digits and decimals, normalised ('90,000', '90.000', '90 000' → '90000',
    '4,5' → '4.5'); years kept."""
    values = set()
    size = len(text)
    for span in _NUMBER_SPAN.finditer(text):
        begin, end = span.span()
        if (begin and (text[begin - 1].isalnum() or text[begin - 1] in "_.,")) or (end < size and text[end].isalnum()):
            continue
        for whole, fraction in _NUMBER.findall(span.group()):
            digits = re.sub(r"\D", "", whole)
            value = digits.lstrip("0") or "0"
            if fraction and len(digits) <= 3 and whole.isdigit():
                values.add(f"{value}.{fraction.rstrip('0') or '0'}".rstrip(".").removesuffix(".0"))
            elif len(digits) >= 2:
                values.add(value)
    return frozenset(values)


def dates_in(folded: str, published: date | None = None, words: set[str] | None = None) -> frozenset[str]:
    """Calendar days the (folded) text names, as '@MM-DD'; weekdays resolved against `published`
    (the most recent such day on or before it)."""
    found = set()
    size = len(folded)
    for match in _DIGITS.finditer(folded):
        begin, end = match.span()
        if end - begin > 2 or (begin and folded[begin - 1] in ".,"):
            continue  # not a day of the month: too long, or the decimals of a number
        if end + 1 < size and folded[end] in ".," and folded[end + 1].isdigit():
            continue
        day = int(match.group())
        if not 1 <= day <= 31:
            continue
        end = _ORDINAL.match(folded, end).end()
        after = _MONTH_AFTER.match(folded, end)
        if after and after.group(1) in MONTH_OF:
            found.add(f"@{MONTH_OF[after.group(1)]:02d}-{day:02d}")
            continue
        before = _MONTH_BEFORE.search(folded, max(0, begin - 14), begin)
        if before and before.group(1) in MONTH_OF:
            found.add(f"@{MONTH_OF[before.group(1)]:02d}-{day:02d}")
    if published is not None:
        for name in (words if words is not None else set(_WORD.findall(folded))) & WEEKDAY_NAMES:
            back = (published.weekday() - WEEKDAY_OF[name]) % 7
            when = published - timedelta(days=back)
            found.add(f"@{when.month:02d}-{when.day:02d}")
    return frozenset(found)

