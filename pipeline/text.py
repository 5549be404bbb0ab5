"""Turning markup into clean plain text that any store accepts."""
from __future__ import annotations

import html
import re
import unicodedata

_TAG = re.compile(r"<[^>]{0,2000}>")
_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|blockquote|section|article)\s*>|<br\s*/?>", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean_text(text: str) -> str:
    """NFC-normalised text with lone surrogates and control characters removed."""
    text = text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return unicodedata.normalize("NFC", text)


def plain_text(markup: str) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded, whitespace folded."""
    text = html.unescape(_TAG.sub(" ", _BLOCK_END.sub("\n\n", markup)))
    text = _SPACE.sub(" ", clean_text(text))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)
