"""Content-Encoding undone while counting: a compression bomb stops at the cap.

aiohttp is asked not to decompress (its own inflater has no output bound we control), so
bodies arrive as the server sent them and are inflated here, piece by piece, however the
network split them.
"""

from __future__ import annotations

import zlib

from tui_reader.net.errors import FetchError

MiB = 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
# Content-Encoding values for a body sent as it is.
IDENTITY = ("", "identity")


class Inflater:
    """Decompress gzip (every member of it) or deflate (zlib-wrapped or raw) with a cap on the
    output. A body sent as it is (`IDENTITY`) needs none of this: the Fetcher counts it alone.

    Bytes received count against the cap too: what follows the end of a compressed stream
    inflates to nothing and is dropped, and an endless tail of it must not be read forever.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self.received = 0
        self._gzip = encoding in ("gzip", "x-gzip")
        if not (self._gzip or encoding == "deflate"):
            raise FetchError(f"server sent a body encoded as {encoding!r}, which was not asked for")
        # None between streams: before the first, and after each gzip member (another
        # member may follow: `gzip -c a b` and log rotators write several).
        self._z: zlib._Decompress | None = None
        # Bytes held back until there are two: enough to tell a zlib header from raw
        # deflate, or the start of another gzip member from trailing bytes.
        self._pending = b""
        self._started = False
        self._ended = False  # the stream ended; whatever follows is dropped

    def feed(self, chunk: bytes) -> bytes:
        self.received += len(chunk)
        if self.received > self.limit:
            raise too_large(self.limit)
        out = self._inflate(self._pending + chunk) if chunk else b""
        self.total += len(out)
        if self.total > self.limit:
            raise too_large(self.limit)
        return out

    def _inflate(self, data: bytes) -> bytes:
        self._pending = b""
        parts: list[bytes] = []
        while data and not self._ended:
            if self._z is None:
                if len(data) < 2:
                    self._pending = data
                    break
                self._z = self._start(data)
                if self._z is None:
                    self._ended = True
                    break
            # max_length bounds the output of this one call: without it a few hundred bytes
            # can inflate to hundreds of MiB at once. Output reaching it means over the cap.
            room = self.limit - self.total - sum(map(len, parts)) + 1
            try:
                parts.append(self._z.decompress(data, room))
            except zlib.error as exc:
                raise FetchError("corrupt compressed body") from exc
            if not self._z.eof:
                break  # all of `data` taken in, or the cap reached (the caller will see)
            data = self._z.unused_data
            self._z = None
            self._ended = not self._gzip
        return b"".join(parts)

    def _start(self, head: bytes) -> zlib._Decompress | None:
        """The decompressor for a stream starting with `head`; None for bytes that start no
        stream (after a gzip member: trailing padding, dropped)."""
        if self._gzip:
            if self._started and head[:2] != _GZIP_MAGIC:
                return None
            self._started = True
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(zlib.MAX_WBITS if _zlib_header(head) else -zlib.MAX_WBITS)


def too_large(limit: int) -> FetchError:
    return FetchError(f"response larger than {limit / MiB:g} MiB, cut off")


def _zlib_header(data: bytes) -> bool:
    """Whether a deflate body starts with a zlib header, as it should (many servers send it
    raw): compression method 8 and a header checksum divisible by 31 (RFC 1950)."""
    return data[0] & 0x0F == 8 and int.from_bytes(data[:2]) % 31 == 0
