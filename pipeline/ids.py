"""Ids derived from content, so that reruns name the same things the same way."""
from __future__ import annotations

import hashlib
import uuid
from datetime import datetime


def stable_id(*parts: str) -> str:
    """A UUID5 of the parts: the same parts always give the same id."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "\x1f".join(parts)))


def content_hash(data: bytes | str) -> str:
    """The SHA-256 of bytes, or of text encoded as UTF-8."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def new_run_id(now: datetime) -> str:
    """A sortable, unique run id: UTC time plus six random hex digits."""
    import secrets

    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def feed_id(url: str) -> str:
    """The id of a feed URL."""
    return stable_id("feed", url)
