"""Reading archives a researcher already holds: JSON Lines of articles, or WARC files of pages."""
from __future__ import annotations

import gzip
import json
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from pipeline.errors import PermanentError
from pipeline.pagemeta import parse_iso
from pipeline.text import clean_text
from pipeline.urls import UrlError, canonical_url, check_http_url

log = logging.getLogger(__name__)

MAX_LINE_BYTES = 20 * 2**20
_LANG = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ArchiveItem:
    """One article of an archive: its text, or its page's HTML to extract."""

    line: int
    url: str
    outlet: str
    title: str
    published_at: datetime | None
    text: str = ""
    html: bytes | None = None
    language: str = ""
    summary: str = ""
    fetched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ArchiveProblem:
    """A line (or WARC record) that could not be read, and why."""

    line: int
    reason: str


Read = ArchiveItem | ArchiveProblem


class ArchiveFormatError(PermanentError):
    """The file is not an archive Parallax can read."""


def read_archive(path: Path) -> Iterator[Read]:
    """Items and problems of a .jsonl/.ndjson (optionally .gz) or .warc/.warc.gz file, in file order."""
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        return read_warc(path)
    if name.endswith((".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz")):
        return read_jsonl(path)
    raise ArchiveFormatError(f"{path}: unknown archive type (expected .jsonl, .ndjson, .warc or .warc.gz)")


def _open(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def read_jsonl(path: Path) -> Iterator[Read]:
    """One item or problem per non-blank line."""
    with _open(path) as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                yield _jsonl_item(number, raw)


def _jsonl_item(number: int, raw: bytes) -> Read:
    if len(raw) > MAX_LINE_BYTES:
        return ArchiveProblem(number, f"line longer than {MAX_LINE_BYTES} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return ArchiveProblem(number, f"not valid JSON: {exc}")
    if not isinstance(data, dict):
        return ArchiveProblem(number, "not a JSON object")
    try:
        return _item(number, data)
    except (KeyError, TypeError, ValueError, UrlError) as exc:
        return ArchiveProblem(number, str(exc))


def _item(number: int, data: dict[str, Any]) -> ArchiveItem:
    url = check_http_url(_string(data, "url", required=True))
    outlet = _string(data, "outlet", required=True).strip()
    text, html = _string(data, "text"), _string(data, "html")
    if not outlet:
        raise ValueError("'outlet' is empty")
    if not text.strip() and not html.strip():
        raise ValueError("needs a non-empty 'text' or 'html'")
    language = _string(data, "language").strip().lower()
    if language and not _LANG.match(language):
        raise ValueError(f"'language' must be an ISO 639 code, not {language!r}")
    return ArchiveItem(line=number, url=url, outlet=clean_text(outlet), title=clean_text(_string(data, "title")),
                       published_at=_published(data.get("published")), text=clean_text(text),
                       html=html.encode("utf-8", "replace") if html.strip() else None,
                       language=language, summary=clean_text(_string(data, "summary")))


def _string(data: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise ValueError(f"missing '{key}'")
        return ""
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string")
    return value


def _published(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError("'published' must be an ISO 8601 string")
    when = parse_iso(value)
    if when is None:
        raise ValueError(f"'published' is not ISO 8601: {value!r}")
    if when > datetime.now(timezone.utc):
        raise ValueError(f"'published' is in the future: {value}")
    return when


def read_warc(path: Path) -> Iterator[Read]:
    """HTML response records of a WARC file; the outlet is the page's host name."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with path.open("rb") as handle:
        number = 0
        try:
            for record in ArchiveIterator(handle):
                number += 1
                item = _warc_item(number, record)
                if item is not None:
                    yield item
        except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
            yield ArchiveProblem(number + 1, f"unreadable WARC record: {exc}")


def _warc_item(number: int, record: Any) -> Read | None:
    if record.rec_type != "response":
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    status = record.http_headers.get_statuscode() if record.http_headers else None
    content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
    if status != "200" or "html" not in content_type.lower():
        return None
    try:
        url = check_http_url(url)
        body = record.content_stream().read(MAX_LINE_BYTES + 1)
    except (UrlError, OSError, ValueError) as exc:
        return ArchiveProblem(number, f"WARC record {url!r}: {exc}")
    if len(body) > MAX_LINE_BYTES:
        return ArchiveProblem(number, f"WARC record {url}: page larger than {MAX_LINE_BYTES} bytes")
    return ArchiveItem(line=number, url=url, outlet=_host(url), title="", published_at=None, html=body,
                       fetched_at=_warc_date(record))


def _host(url: str) -> str:
    host = canonical_url(url).split("/")[2].split(":")[0]
    return host.removeprefix("www.")


def _warc_date(record: Any) -> datetime | None:
    value = record.rec_headers.get_header("WARC-Date")
    return parse_iso(value) if value else None


def outlet_slug(name: str) -> str:
    """An outlet id made from a name: 'Le Monde' → 'le-monde'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:64]
    return slug or "outlet"
