"""BoundedBody tests: size caps, gzip decoding and refusals, without the network."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import Iterable

import pytest

from pipeline.body import ACCEPTED_ENCODING, BodyRefused, BoundedBody

MB = 1 << 20
TEXT = ("<p>Parallax reads the news, politely.</p>\n" * 400).encode()


def chunks(data: bytes, size: int) -> Iterable[bytes]:
    return (data[i : i + size] for i in range(0, len(data), size))


def read(encoding: str, cap: int, parts: Iterable[bytes]) -> BoundedBody:
    body = BoundedBody(encoding, cap)
    for part in parts:
        body.feed(part)
    return body


def gzip_of_zeros(megabytes: int) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    zero = bytes(MB)
    return b"".join([comp.compress(zero) for _ in range(megabytes)] + [comp.flush()])


def test_we_only_ask_for_gzip() -> None:
    assert ACCEPTED_ENCODING == "gzip"


# identity -------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["", "identity", " Identity "])
def test_identity_body_is_kept_as_is(encoding: str) -> None:
    body = read(encoding, len(TEXT), chunks(TEXT, 1000))
    assert body.finish() == TEXT
    assert body.raw_bytes == len(TEXT)


def test_identity_over_cap_is_too_large() -> None:
    body = BoundedBody("", 100)
    body.feed(b"a" * 60)
    with pytest.raises(BodyRefused) as info:
        body.feed(b"b" * 41)
    assert info.value.reason == "too_large"


def test_empty_identity_body() -> None:
    body = BoundedBody("", 10)
    assert body.finish() == b"" and body.raw_bytes == 0


# gzip -----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gzip", "GZIP", "x-gzip"])
def test_gzip_within_cap_is_decoded(encoding: str) -> None:
    packed = gzip.compress(TEXT)
    body = read(encoding, len(TEXT), chunks(packed, 7))
    assert body.finish() == TEXT
    assert body.raw_bytes == len(packed)


def test_gzip_fed_one_byte_at_a_time() -> None:
    packed = gzip.compress(b"tiny")
    assert read("gzip", 4, chunks(packed, 1)).finish() == b"tiny"


def test_gzip_one_byte_over_cap_is_too_large() -> None:
    with pytest.raises(BodyRefused) as info:
        read("gzip", len(TEXT) - 1, [gzip.compress(TEXT)])
    assert info.value.reason == "too_large"


def test_gzip_bomb_is_refused_without_inflating() -> None:
    bomb = gzip_of_zeros(64)
    tracemalloc.start()
    try:
        with pytest.raises(BodyRefused) as info:
            read("gzip", MB, chunks(bomb, 65536))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.reason == "too_large"
    assert peak < 8 * MB  # never near the 64 MB the bomb inflates to


def test_truncated_gzip_is_a_decode_error() -> None:
    packed = gzip.compress(TEXT)
    body = read("gzip", MB, [packed[: len(packed) - 10]])  # cut inside the trailer
    with pytest.raises(BodyRefused) as info:
        body.finish()
    assert info.value.reason == "decode_error"


def test_gzip_header_only_is_a_decode_error() -> None:
    body = read("gzip", MB, [gzip.compress(TEXT)[:10]])
    with pytest.raises(BodyRefused) as info:
        body.finish()
    assert info.value.reason == "decode_error"


def test_corrupt_gzip_is_a_decode_error() -> None:
    with pytest.raises(BodyRefused) as info:
        read("gzip", MB, [b"\x1f\x8b\x08\x00garbage that is not deflate"])
    assert info.value.reason == "decode_error"


def test_gzip_with_a_bad_checksum_is_a_decode_error() -> None:
    packed = bytearray(gzip.compress(TEXT))
    packed[-8] ^= 0xFF  # the CRC-32 of the trailer
    with pytest.raises(BodyRefused) as info:
        read("gzip", MB, [bytes(packed)])
    assert info.value.reason == "decode_error"


def test_empty_gzip_body_is_empty() -> None:
    body = BoundedBody("gzip", 10)
    assert body.finish() == b"" and body.raw_bytes == 0


def test_bytes_after_the_gzip_member_are_not_buffered() -> None:
    packed = gzip.compress(b"short page")
    junk = b"j" * 65536
    tracemalloc.start()
    try:
        body = BoundedBody("gzip", MB)
        body.feed(packed)
        for _ in range(400):  # 25 MB after the end of the stream
            body.feed(junk)
        result = body.finish()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result == b"short page"
    assert body.raw_bytes == len(packed) + 400 * len(junk)
    assert peak < 2 * MB


# encodings we never asked for -----------------------------------------------------


@pytest.mark.parametrize("encoding", ["br", "deflate", "zstd", "compress", "gzip, gzip", "gzip, br", "identity, gzip",
                                      "x-bzip2", "gzip;q=1"])
def test_unrequested_encodings_are_refused(encoding: str) -> None:
    with pytest.raises(BodyRefused) as info:
        BoundedBody(encoding, MB)
    assert info.value.reason == "unrequested_encoding"
    assert encoding in str(info.value)
