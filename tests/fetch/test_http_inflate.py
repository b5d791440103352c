"""The bounded inflater on bytes alone: every gzip member, both deflates, any split."""

from __future__ import annotations

import gzip
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_reader.net.errors import FetchError
from tui_reader.net.inflate import Inflater

BODY = b"<rss><channel><title>Premiere night</title></channel></rss>" * 40


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


# Encoding, the bytes on the wire, what they inflate to.
STREAMS = {
    "gzip": ("gzip", gzip.compress(BODY), BODY),
    "two gzip members": ("gzip", gzip.compress(BODY) + gzip.compress(b"encore"), BODY + b"encore"),
    "gzip, then padding": ("gzip", gzip.compress(BODY) + b"\0" * 300, BODY),
    "gzip, then junk": ("gzip", gzip.compress(BODY) + b"\x1fjunk", BODY),
    "zlib deflate": ("deflate", zlib.compress(BODY), BODY),
    "zlib deflate, then junk": ("deflate", zlib.compress(BODY) + b"trailing", BODY),
    "raw deflate": ("deflate", raw_deflate(BODY), BODY),
    "raw deflate, then junk": ("deflate", raw_deflate(BODY) + b"\x78\x9c", BODY),
}


def inflate(encoding: str, pieces: list[bytes], limit: int = 1 << 20) -> bytes:
    inflater = Inflater(encoding, limit)
    return b"".join(inflater.feed(piece) for piece in pieces)


def split(data: bytes, sizes: list[int]) -> list[bytes]:
    pieces = []
    for size in sizes:
        pieces.append(data[:size])
        data = data[size:]
    return [*pieces, data]


@given(st.sampled_from(sorted(STREAMS)), st.lists(st.integers(min_value=0, max_value=40),
                                                  max_size=60))
def test_any_split_of_the_stream_inflates_the_same(name: str, sizes: list[int]) -> None:
    """However the network cuts the bytes (a one-byte first segment included), the output
    is the same, and what follows the end of the stream is dropped."""
    encoding, data, expected = STREAMS[name]
    assert inflate(encoding, split(data, sizes)) == expected


def test_a_one_byte_first_segment_of_zlib_deflate() -> None:
    data = zlib.compress(BODY)
    assert inflate("deflate", [data[:1], data[1:]]) == BODY


def test_bytes_after_the_end_count_against_the_cap() -> None:
    data = gzip.compress(b"x") + b"\0" * 2000
    with pytest.raises(FetchError, match="larger than"):
        inflate("gzip", [data], limit=1000)


def test_output_is_capped_within_one_piece() -> None:
    bomb = gzip.compress(b"\0" * (8 << 20))
    with pytest.raises(FetchError, match="larger than 1 MiB, cut off"):
        inflate("gzip", [bomb], limit=1 << 20)


@pytest.mark.parametrize(("encoding", "data"), [("gzip", b"\x1f\x8b\x08\x00garbage-garbage"),
                                                ("deflate", b"\x78\x9cnot deflate at all")])
def test_corrupt_bodies_are_reported(encoding: str, data: bytes) -> None:
    with pytest.raises(FetchError, match="corrupt compressed body"):
        inflate(encoding, [data])
