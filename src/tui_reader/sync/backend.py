"""What a sync needs from a server, whatever its protocol.

Each protocol (tt-rss's JSON API here; the Google Reader API of FreshRSS and Miniflux would
be another) is one class with these methods. Ids are the server's own, as strings.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType

from tui_reader.store.outbox import Field


class SyncError(Exception):
    """A sync that cannot go on, in one line for the person. `kept` says whether to add how
    many local changes wait for the next sync (they always do; it is news when the server
    could not be reached, not when it refused a password)."""

    def __init__(self, message: str, *, kept: bool = False) -> None:
        super().__init__(message)
        self.kept = kept


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    id: str
    url: str
    title: str
    folder: str | None


@dataclass(frozen=True, slots=True)
class Headline:
    """An article as a server lists it: enough to match it and to know its state."""

    id: str
    feed_id: str
    guid: str | None  # the server's digest of the feed's guid, "SHA1:<hex>", when it has one
    link: str | None
    unread: bool
    starred: bool


@dataclass(frozen=True, slots=True)
class RemoteArticle:
    """A new article's text as the server has it: the fallback when its page cannot be had."""

    id: str
    title: str
    link: str | None
    author: str | None
    published: datetime | None
    content: str


class Backend(abc.ABC):
    """One account on one server; `login` before anything else, `close` at the end."""

    #: The server's kind, for messages ("tt-rss").
    name: str
    #: The address messages name.
    url: str

    @abc.abstractmethod
    async def login(self) -> None: ...

    @abc.abstractmethod
    async def feeds(self) -> list[RemoteFeed]: ...

    @abc.abstractmethod
    async def subscribe(self, url: str, folder: str | None) -> str | None:
        """Subscribe (a no-op when already subscribed); the new feed's id when known."""

    @abc.abstractmethod
    async def unsubscribe(self, feed: RemoteFeed) -> None: ...

    @abc.abstractmethod
    async def update_feed(self, feed_id: str) -> None:
        """Ask the server to fetch a feed now, so a new subscription has articles at once."""

    @abc.abstractmethod
    async def mark(self, ids: Sequence[str], field: Field, value: bool) -> None: ...

    @abc.abstractmethod
    async def headlines(self) -> list[Headline]:
        """Every article the server keeps for the account, with its state."""

    @abc.abstractmethod
    async def articles(self, ids: Sequence[str]) -> list[RemoteArticle]: ...

    @abc.abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> Backend:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()
