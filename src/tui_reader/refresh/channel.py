"""Messages between a refresh and its worker processes: pickles, length first, over pipes.

Both ends are this program, so unpickling is safe; nothing else ever writes to these pipes.
"""

from __future__ import annotations

import pickle
from typing import IO, Any


class Channel:
    """One direction in, one out; `receive` blocks, so the event loop calls it in a thread."""

    def __init__(self, incoming: IO[bytes], outgoing: IO[bytes]) -> None:
        self._in = incoming
        self._out = outgoing

    def send(self, message: object) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        self._out.write(len(data).to_bytes(4, "big") + data)
        self._out.flush()

    def receive(self) -> Any:
        """The next message; EOFError once the other end has gone."""
        head = self._in.read(4)
        if len(head) < 4:
            raise EOFError
        size = int.from_bytes(head, "big")
        data = self._in.read(size)
        if len(data) < size:
            raise EOFError
        return pickle.loads(data)  # noqa: S301 - only our own worker writes here

    def close(self) -> None:
        for stream in (self._in, self._out):
            stream.close()
