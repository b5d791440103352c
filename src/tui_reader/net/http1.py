"""HTTP/1.1 responses read out of a byte buffer: the head, then the body by its framing.

No sockets here, so every way a server can split, garble or cut a response is testable on
its own. Strict where leniency would be unsafe (RFC 9112): the head and each chunk-size line
are bounded, conflicting lengths are refused, and a length together with chunking closes the
connection afterwards. Lenient where servers commonly are: bare LF line ends, a status line
without a reason, folded header lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_HEAD = 64 * 1024
MAX_HEADERS = 256
_MAX_CHUNK_LINE = 4096
_STATUS = re.compile(rb"HTTP/1\.([01]) ([1-9][0-9][0-9])(?:[ \t][^\r\n]*)?")
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")


class ProtocolError(Exception):
    """The server broke HTTP/1.1; the connection cannot be trusted any further."""


@dataclass(frozen=True, slots=True)
class Head:
    status: int
    headers: list[tuple[bytes, bytes]]
    # Whether the connection may carry another request once this body is read.
    keep_alive: bool
    # The body's framing: a byte count, chunked, or (neither) everything until the close.
    length: int | None
    chunked: bool


def read_head(buffer: bytearray, *, body_allowed: bool = True) -> Head | None:
    """Take one complete final response head off the front of `buffer`; None until there is one.

    Interim (1xx) heads are dropped on the way. `body_allowed` is False for a HEAD request.
    """
    while True:
        # Stray line ends before a status line are to be ignored (RFC 9112 §2.2).
        while buffer and buffer[0] in b"\r\n":
            del buffer[:1]
        end, after = _head_end(buffer)
        if end < 0:
            if len(buffer) > MAX_HEAD:
                raise ProtocolError("response head larger than 64 KiB")
            return None
        lines = bytes(buffer[:end]).split(b"\n")
        del buffer[:after]
        status, minor = _status(lines[0])
        if status == 101:
            raise ProtocolError("the server switched protocols, which was not asked for")
        if status >= 200:
            return _head(status, minor, _headers(lines[1:]), body_allowed)


def _head_end(buffer: bytearray) -> tuple[int, int]:
    """Where the head ends and where what follows it starts; (-1, -1) before the blank line."""
    limit = MAX_HEAD + 4
    crlf = buffer.find(b"\n\r\n", 0, limit)
    lf = buffer.find(b"\n\n", 0, crlf if crlf >= 0 else limit)
    if lf >= 0:
        return lf, lf + 2
    return (crlf, crlf + 3) if crlf >= 0 else (-1, -1)


def _status(line: bytes) -> tuple[int, int]:
    match = _STATUS.fullmatch(line.rstrip(b"\r"))
    if match is None:
        raise ProtocolError("not an HTTP/1.x status line")
    return int(match.group(2)), int(match.group(1))


def _headers(lines: list[bytes]) -> list[tuple[bytes, bytes]]:
    headers: list[tuple[bytes, bytes]] = []
    for raw in lines:
        line = raw.rstrip(b"\r")
        if line[:1] in (b" ", b"\t"):
            if not headers:
                raise ProtocolError("a folded header line with nothing to continue")
            name, value = headers[-1]
            headers[-1] = (name, value + b" " + line.strip(b" \t"))
            continue
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name):
            raise ProtocolError("malformed header line")
        if b"\0" in value:
            raise ProtocolError("a NUL byte in a header value")
        headers.append((name, value.strip(b" \t")))
        if len(headers) > MAX_HEADERS:
            raise ProtocolError(f"more than {MAX_HEADERS} header lines")
    return headers


def _head(status: int, minor: int, headers: list[tuple[bytes, bytes]],
          body_allowed: bool) -> Head:
    connection: set[bytes] = set()
    lengths: set[bytes] = set()
    codings: list[bytes] = []
    for name, value in headers:
        key = name.lower()
        if key == b"connection":
            connection.update(t.strip().lower() for t in value.split(b","))
        elif key == b"content-length":
            lengths.update(v.strip() for v in value.split(b","))
        elif key == b"transfer-encoding":
            codings += [c.strip().lower() for c in value.split(b",") if c.strip()]
    keep_alive = b"close" not in connection and (minor == 1 or b"keep-alive" in connection)
    if not body_allowed or status in (204, 304):
        return Head(status, headers, keep_alive, 0, chunked=False)
    if codings:
        if codings != [b"chunked"]:
            raise ProtocolError("a transfer coding other than chunked")
        # A length beside chunking is how requests get smuggled: this connection ends here.
        return Head(status, headers, keep_alive and not lengths, None, chunked=True)
    if lengths:
        if len(lengths) > 1 or not all(v.isdigit() for v in lengths):
            raise ProtocolError("conflicting or malformed Content-Length")
        return Head(status, headers, keep_alive, int(lengths.pop()), chunked=False)
    return Head(status, headers, False, None, chunked=False)


class Body:
    """Decodes one response body from the connection's buffer as bytes arrive."""

    def __init__(self, head: Head) -> None:
        self._left = head.length  # bytes left: of the body, or of the current chunk
        self._chunked = head.chunked
        # In a chunked body: "size", "data", "crlf" after a chunk's data, "trailer", or "".
        self._state = "size" if head.chunked else ""
        self.done = head.length == 0 and not head.chunked

    def read(self, buffer: bytearray) -> bytes:
        """The body bytes available now (possibly none), taken off the front of `buffer`."""
        if self.done:
            return b""
        if not self._chunked:
            if self._left is None:
                data = bytes(buffer)
            else:
                data = bytes(buffer[:self._left])
                self._left -= len(data)
                self.done = self._left == 0
            del buffer[:len(data)]
            return data
        parts: list[bytes] = []
        while not self.done and self._chunk_step(buffer, parts):
            pass
        return b"".join(parts)

    def _chunk_step(self, buffer: bytearray, parts: list[bytes]) -> bool:
        """Advance the chunked decoder by one step; False when it needs more bytes."""
        if self._state == "data":
            assert self._left is not None
            if not buffer:
                return False
            data = bytes(buffer[:self._left])
            del buffer[:len(data)]
            parts.append(data)
            self._left -= len(data)
            if self._left == 0:
                self._state = "crlf"
            return True
        line = _line(buffer)
        if line is None:
            return False
        if self._state == "crlf":
            if line:
                raise ProtocolError("chunk data longer than its declared size")
            self._state = "size"
        elif self._state == "size":
            size = _HEX.match(line.partition(b";")[0].strip(b" \t"))
            if size is None:
                raise ProtocolError("malformed chunk size")
            self._left = int(size.group(), 16)
            self._state = "data" if self._left else "trailer"
        elif not line:  # the blank line that ends the trailer
            self.done = True
        return True

    def end_of_stream(self) -> None:
        """The server closed the connection: the end of an until-close body, else a cut."""
        if not self.done and (self._chunked or self._left is not None):
            raise ProtocolError("the server closed the connection mid-response")
        self.done = True


def _line(buffer: bytearray) -> bytes | None:
    end = buffer.find(b"\n", 0, _MAX_CHUNK_LINE)
    if end < 0:
        if len(buffer) >= _MAX_CHUNK_LINE:
            raise ProtocolError("chunk-size or trailer line too long")
        return None
    line = bytes(buffer[:end]).rstrip(b"\r")
    del buffer[:end + 1]
    return line
