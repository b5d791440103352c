"""The HTTP/1.1 response reader on bytes alone: framing, leniency, limits, any split."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_reader.net.http1 import MAX_HEAD, Body, Head, ProtocolError, read_head

CHUNKED = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"7;note=first\r\nPremier\r\n3\r\ne: \r\n0\r\nX-Trailer: 1\r\n\r\n")
LENGTH = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Type: text/html\r\n\r\nhello world"


def read_all(stream: bytes, *, closed: bool = True) -> tuple[Head, bytes]:
    buffer = bytearray(stream)
    head = read_head(buffer)
    assert head is not None
    body = Body(head)
    data = body.read(buffer)
    if closed:
        body.end_of_stream()
    assert body.done
    return head, data


def test_content_length_body_and_headers() -> None:
    head, data = read_all(LENGTH)
    assert (head.status, head.keep_alive, head.length, data) == (200, True, 11, b"hello world")
    assert (b"Content-Type", b"text/html") in head.headers


def test_chunked_body_with_extensions_and_trailer() -> None:
    head, data = read_all(CHUNKED, closed=False)
    assert head.chunked and data == b"Premiere: "


def test_until_close_body_ends_the_connection() -> None:
    head, data = read_all(b"HTTP/1.0 200 OK\r\n\r\nall of it")
    assert (head.keep_alive, data) == (False, b"all of it")


@pytest.mark.parametrize("stream", [
    b"HTTP/1.1 200\nContent-Length: 2\n\nok",  # bare LF, no reason phrase
    b"\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",  # a stray line end first
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nX-Long: a\r\n  b\r\nContent-Length: 2\r\n\r\nok",  # folded
    b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok",
])
def test_common_leniencies(stream: bytes) -> None:
    assert read_all(stream)[1] == b"ok"


def test_keep_alive_rules() -> None:
    def keeps(version: bytes, connection: bytes) -> bool:
        stream = b"%s 200 OK\r\nConnection: %s\r\nContent-Length: 0\r\n\r\n" % (version, connection)
        return read_all(stream)[0].keep_alive

    assert not keeps(b"HTTP/1.1", b"close")
    assert keeps(b"HTTP/1.1", b"Upgrade")
    assert keeps(b"HTTP/1.0", b"keep-alive")
    assert not keeps(b"HTTP/1.0", b"Upgrade")
    smuggled = (b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"0\r\n\r\n")
    head, data = read_all(smuggled, closed=False)
    assert (head.chunked, head.keep_alive, data) == (True, False, b"")


def test_no_body_for_304_204_and_head() -> None:
    for status in (204, 304):
        buffer = bytearray(b"HTTP/1.1 %d X\r\nContent-Length: 50\r\n\r\n" % status)
        head = read_head(buffer)
        assert head is not None and Body(head).done
    head = read_head(bytearray(LENGTH[:LENGTH.index(b"hello")]), body_allowed=False)
    assert head is not None and head.length == 0


@pytest.mark.parametrize(("stream", "error"), [
    (b"SPDY/3 200 OK\r\n\r\n", "status line"),
    (b"HTTP/1.1 20 OK\r\n\r\n", "status line"),
    (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "malformed header"),
    (b"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "malformed header"),
    (b"HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", "NUL"),
    (b"HTTP/1.1 200 OK\r\n folded first\r\n\r\n", "folded"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", "Content-Length"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length"),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "transfer coding"),
    (b"HTTP/1.1 101 Switching Protocols\r\n\r\n", "switched"),
    (b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 300 + b"\r\n", "header lines"),
])
def test_broken_heads_are_refused(stream: bytes, error: str) -> None:
    with pytest.raises(ProtocolError, match=error):
        read_head(bytearray(stream))


def test_an_endless_head_is_refused_before_it_is_whole() -> None:
    buffer = bytearray(b"HTTP/1.1 200 OK\r\nX: " + b"a" * MAX_HEAD)
    with pytest.raises(ProtocolError, match="64 KiB"):
        read_head(buffer)
    assert read_head(bytearray(b"HTTP/1.1 200 OK\r\nX: abc")) is None  # just incomplete


@pytest.mark.parametrize(("stream", "error"), [
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size"),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", "longer"),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"1" * 5000, "too long"),
])
def test_broken_chunking_is_refused(stream: bytes, error: str) -> None:
    buffer = bytearray(stream)
    head = read_head(buffer)
    assert head is not None
    with pytest.raises(ProtocolError, match=error):
        Body(head).read(buffer)


@pytest.mark.parametrize("stream", [LENGTH[:-3], CHUNKED[:-12]])
def test_a_body_cut_by_the_close_is_an_error(stream: bytes) -> None:
    buffer = bytearray(stream)
    head = read_head(buffer)
    assert head is not None
    body = Body(head)
    body.read(buffer)
    with pytest.raises(ProtocolError, match="mid-response"):
        body.end_of_stream()


@given(st.sampled_from([LENGTH, CHUNKED, b"HTTP/1.0 200 OK\r\n\r\nuntil close"]),
       st.lists(st.integers(min_value=1, max_value=9), max_size=40))
def test_any_split_of_the_stream_reads_the_same(stream: bytes, sizes: list[int]) -> None:
    """However the network cuts the bytes, the head and body come out whole."""
    buffer = bytearray()
    head: Head | None = None
    body: Body | None = None
    data = b""
    rest = stream
    for size in [*sizes, len(stream)]:
        piece, rest = rest[:size], rest[size:]
        buffer += piece
        if head is None:
            head = read_head(buffer)
            body = Body(head) if head else None
        if body is not None:
            data += body.read(buffer)
    assert body is not None
    body.end_of_stream()
    assert data == read_all(stream)[1]
