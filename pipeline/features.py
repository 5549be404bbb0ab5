"""Language-light features of an article for event matching: terms, names and numbers."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-][^\W\d_])*", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[,. \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?(?![\w])")
_SENTENCE_END = re.compile(r"[.!?:;\"“”«»„]")
LEAD_WORDS = 100000

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


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What matching compares: content terms (counts), names and numbers."""

    terms: Counter[str]
    names: frozenset[str]
    numbers: frozenset[str]


def fold(word: str) -> str:
    """Lower case without diacritics: 'Brüssel' → 'brussel', 'Élysée' → 'elysee'."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def features(title: str, text: str, *, lead_words: int = LEAD_WORDS) -> ArticleFeatures:
    """Terms of the title (counted twice) and the lead, the names and the numbers of the whole text."""
    lead = " ".join(text.split()[:lead_words])
    words = [fold(w) for w in _WORD.findall(title)] * 2 + [fold(w) for w in _WORD.findall(lead)]
    terms = Counter(w for w in words if len(w) > 2 and w not in STOPWORDS)
    return ArticleFeatures(terms=terms, names=names_in(f"{title}.\n{text}"), numbers=numbers_in(text))


def names_in(text: str) -> frozenset[str]:
    """Capitalised words and runs of them that are not sentence openers or stop words, folded."""
    found: set[str] = set()
    lowered = {fold(w) for w in _WORD.findall(text) if w[:1].islower()}
    run: list[str] = []
    last_end = 0
    for match in _WORD.finditer(text):
        word, gap = match.group(), text[last_end:match.start()]
        if run and gap.strip():
            _flush(run, found)
            run = []
        opener = last_end == 0 or bool(_SENTENCE_END.search(gap)) or "\n" in gap
        if word[:1].isupper() and fold(word) not in STOPWORDS and not (opener and fold(word) in lowered):
            run.append(fold(word))
        else:
            _flush(run, found)
            run = []
        last_end = match.end()
    _flush(run, found)
    return frozenset(found)


def _flush(run: list[str], found: set[str]) -> None:
    if not run:
        return
    found.update(w for w in run if len(w) > 2)
    if len(run) > 1:
        found.add(" ".join(run))


def numbers_in(text: str) -> frozenset[str]:
    """Numbers of two or more digits, normalised ('90,000', '90.000', '90 000' → '90000'); years kept."""
    values = set()
    for whole, fraction in _NUMBER.findall(text):
        digits = re.sub(r"\D", "", whole)
        if len(digits) >= 2 and not (fraction and len(digits) < 2):
            values.add(digits.lstrip("0") or "0")
    return frozenset(values)
