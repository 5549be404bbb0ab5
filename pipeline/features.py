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

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-][^\W\d_])*", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+)(?:[.,](\d+))?(?![\w])")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_SENTENCE_END = re.compile(r"[.!?:;\"“”«»„]")
LEAD_WORDS = 100000
TITLE_REPEAT = 2

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
""".split())

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
_MONTH_ALT = "|".join(sorted(MONTH_OF, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b([0-3]?\d)(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?({_MONTH_ALT})\b\.?")
_MONTH_DAY = re.compile(rf"\b({_MONTH_ALT})\.?\s+([0-3]?\d)(?:st|nd|rd|th)?\b(?![.,]?\d)")
_WEEKDAY = re.compile(r"\b(" + "|".join(sorted(WEEKDAY_OF, key=len, reverse=True)) + r")\b")


def _upper_class() -> str:
    chars = [chr(c) for c in range(0x41, 0x530) if chr(c).isupper()]
    return "".join(re.escape(c) for c in chars)


_UP = _upper_class()
# A run of capitalised words (an apostrophe or hyphen may join parts: "Jong-un", "O'Brien").
_NAME_RUN = re.compile(rf"(?<![\w'’-])[{_UP}][\w'’-]*(?:[ \t\u00a0]+[{_UP}][\w'’-]*)*")
_LOWER_WORD = re.compile(rf"(?<![\w'’-])(?![{_UP}])[^\W\d_][\w'’-]*")


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

    @property
    def evidence(self) -> frozenset[str]:
        """Names, numbers ('#90000') and dates ('@01-15'): the language-independent evidence."""
        return self.names | {f"#{n}" for n in self.numbers} | self.dates


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


def features(title: str, text: str, *, lead_words: int = LEAD_WORDS,
             published: date | None = None) -> ArticleFeatures:
    """Terms of the title (counted twice) and the lead, the names, numbers and dates of the whole text."""
    if lead_words < LEAD_WORDS:
        text = " ".join(text.split()[:lead_words])
    folded_title = _WORD.findall(fold_text(title))
    folded = fold_text(text)
    words = _WORD.findall(folded)
    counts = Counter(words)
    counts.update(folded_title * TITLE_REPEAT)
    terms: Counter[str] = Counter()
    for word, count in counts.items():
        if _keep(word):
            terms[stem(word)] += count
    title_terms = frozenset(stem(w) for w in folded_title if _keep(w))
    whole = f"{title}.\n{text}"
    return ArticleFeatures(
        terms=terms, names=names_in(whole), numbers=numbers_in(text),
        dates=dates_in(fold_text(whole), published), title_terms=title_terms,
        language=language_of(counts), words=len(words))


def language_of(counts: Counter[str]) -> str:
    """The language whose function words are most frequent ('' when there are too few)."""
    best, score = "", 2
    for language, vocabulary in LANGUAGE_WORDS.items():
        found = sum(counts[w] for w in vocabulary if w in counts)
        if found > score:
            best, score = language, found
    return best


def names_in(text: str) -> frozenset[str]:
    """Capitalised words and runs of them that are not sentence openers or stop words, folded."""
    found: set[str] = set()
    lower_vocab: set[str] | None = None
    for match in _NAME_RUN.finditer(text):
        parts = [stem(fold(w).strip("'-")) for w in match.group().split()]
        start = match.start()
        before = text[max(0, start - 3):start]
        if start == 0 or "\n" in before or _SENTENCE_END.search(before):
            if lower_vocab is None:
                lower_vocab = {stem(w) for w in _LOWER_WORD.findall(text.replace("’", "'"))}
            while parts and (parts[0] in STOPWORDS or parts[0] in lower_vocab):
                parts.pop(0)
        while parts and parts[0] in STOPWORDS:
            parts.pop(0)
        while parts and parts[-1] in STOPWORDS:
            parts.pop()
        if not parts:
            continue
        found.update(p for p in parts if len(p) > 2 and p not in STOPWORDS)
        if len(parts) > 1:
            found.add(" ".join(parts))
    return frozenset(found)


def numbers_in(text: str) -> frozenset[str]:
    """Numbers of two or more digits and decimals, normalised ('90,000', '90.000', '90 000' → '90000',
    '4,5' → '4.5'); years kept."""
    values = set()
    for whole, fraction in _NUMBER.findall(text):
        digits = re.sub(r"\D", "", whole)
        value = digits.lstrip("0") or "0"
        if fraction and len(digits) <= 3 and whole.isdigit():
            values.add(f"{value}.{fraction.rstrip('0') or '0'}".rstrip(".").removesuffix(".0"))
        elif len(digits) >= 2:
            values.add(value)
    return frozenset(values)


def dates_in(folded: str, published: date | None = None) -> frozenset[str]:
    """Calendar days the (folded) text names, as '@MM-DD'; weekdays resolved against `published`
    (the most recent such day on or before it)."""
    found = set()
    for day, month in _DAY_MONTH.findall(folded):
        if 1 <= int(day) <= 31:
            found.add(f"@{MONTH_OF[month]:02d}-{int(day):02d}")
    for month, day in _MONTH_DAY.findall(folded):
        if 1 <= int(day) <= 31:
            found.add(f"@{MONTH_OF[month]:02d}-{int(day):02d}")
    if published is not None:
        for name in set(_WEEKDAY.findall(folded)):
            back = (published.weekday() - WEEKDAY_OF[name]) % 7
            when = published - timedelta(days=back)
            found.add(f"@{when.month:02d}-{when.day:02d}")
    return frozenset(found)

