"""Reading a response body with a hard size cap, decoding only the gzip we asked for."""
from __future__ import annotations

import zlib

ACCEPTED_ENCODING = "gzip"
_IDENTITY = frozenset({"", "identity"})
_GZIP = frozenset({"gzip", "x-gzip"})


class BodyRefused(Exception):
    """The body breaks a bound; `reason` is a short fixed code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


class BoundedBody:
    """Accumulates raw chunks; never holds more than `cap` decoded bytes."""

    def __init__(self, content_encoding: str, cap: int) -> None:
        coding = content_encoding.strip().lower()
        if coding not in _IDENTITY | _GZIP:
            raise BodyRefused("unrequested_encoding", f"Content-Encoding {content_encoding!r} was not asked for")
        self._cap = cap
        self._inflater = zlib.decompressobj(wbits=47) if coding in _GZIP else None
        self._parts: list[bytes] = []
        self._size = 0
        self.raw_bytes = 0

    def feed(self, chunk: bytes) -> None:
        """Add one raw chunk from the wire; bytes after the end of a gzip stream are dropped."""
        self.raw_bytes += len(chunk)
        if self._inflater is None:
            self._keep(chunk)
            return
        data = chunk
        while data and not self._inflater.eof:  # zlib would buffer them all in unused_data
            self._keep(self._inflate(data))
            data = self._inflater.unconsumed_tail

    def _inflate(self, data: bytes) -> bytes:
        assert self._inflater is not None
        try:
            return self._inflater.decompress(data, self._cap - self._size + 1)
        except zlib.error as exc:
            raise BodyRefused("decode_error", f"bad gzip data: {exc}") from None

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._cap:
            raise BodyRefused("too_large", f"body larger than {self._cap} bytes")
        if data:
            self._parts.append(data)

    def finish(self) -> bytes:
        """The whole decoded body; raises if a gzip stream was cut short."""
        if self._inflater is not None and not self._inflater.eof and self.raw_bytes:
            raise BodyRefused("decode_error", "gzip stream ended early")
        return b"".join(self._parts)
