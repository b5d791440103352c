"""Tiny Tiny RSS's JSON API (API level 15 and later): JSON posted to url + "api/".

aiohttp is used directly: our Fetcher is a GET client for feeds and pages (caps, politeness,
private-address rules), and the API is a JSON POST to one address the person configured.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from tui_reader.config import loopback_host
from tui_reader.net.http import DEFAULT_USER_AGENT, MiB
from tui_reader.sanitize import clean_line
from tui_reader.scalars import MAX_INT, ScalarError, parse_int
from tui_reader.store.outbox import Field
from tui_reader.sync.backend import Backend, Headline, RemoteArticle, RemoteFeed, SyncError

# getHeadlines answers at most this many at once.
_PAGE = 200
# getArticle takes a comma list; a few dozen keep each answer small.
_ARTICLES_AT_ONCE = 50
# A whole answer larger than this is not an answer we want.
_MAX_ANSWER = 64 * MiB
_FIELDS = {"starred": 0, "read": 2}
# Virtual feed and category ids: all articles (-4), uncategorized (0).
_ALL_ARTICLES = -4
_ALL_FEEDS = -3


class TtRss(Backend):
    name = "tt-rss"

    def __init__(self, url: str, user: str, password: str, *, timeout: float = 60.0) -> None:
        self.url = url
        self.api = url + "api/"
        # The environment's proxy is read once, as the Fetcher reads it, not at every call.
        self._proxy = _proxy_for(self.api)
        self.user = user
        self._password = password
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=min(timeout, 10.0))
        self._session: aiohttp.ClientSession | None = None
        self._sid: str | None = None

    def __repr__(self) -> str:  # the password stays out of every message and log
        return f"TtRss({self.url!r}, user={self.user!r})"

    async def close(self) -> None:
        """Log out (the server keeps no idle session of ours), then let go of connections."""
        if self._session is None:
            return
        if self._sid is not None:
            with contextlib.suppress(SyncError):
                await self._call("logout")
            self._sid = None
        await self._session.close()
        self._session = None

    async def _post(self, body: dict[str, Any]) -> Any:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout, headers={"User-Agent": DEFAULT_USER_AGENT})
        try:
            async with self._session.post(self.api, json=body, allow_redirects=False,
                                          proxy=self._proxy) as reply:
                status, location = reply.status, reply.headers.get("Location")
                raw = bytearray()
                async for chunk in reply.content.iter_any():
                    raw += chunk
                    if len(raw) > _MAX_ANSWER:
                        break
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            self._sid = None  # no logout to wait for at the end
            raise SyncError(f"cannot reach {self.api} ({_reason(exc)})", kept=True) from None
        if 300 <= status < 400:
            raise SyncError(f"{self.api} redirects to {location}; set [sync] url to the"
                            " tt-rss address itself", kept=True)
        if status != 200:
            raise SyncError(f"{self.api} answered HTTP {status}", kept=True)
        if len(raw) > _MAX_ANSWER:
            raise SyncError(f"{self.api} sent an answer larger than {_MAX_ANSWER // MiB} MiB",
                            kept=True)
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            data = None
        if not isinstance(data, dict) or "status" not in data or "content" not in data:
            raise SyncError(f"{self.api} did not answer like tt-rss's API (is [sync] url the"
                            " tt-rss address?)", kept=True)
        return data

    async def _call(self, op: str, **params: Any) -> Any:
        """One API call; a session the server has forgotten is renewed once."""
        for attempt in (0, 1):
            data = await self._post({"op": op, "sid": self._sid, **params})
            if data["status"] == 0:
                return data["content"]
            error = _error(data["content"])
            if error == "NOT_LOGGED_IN" and attempt == 0 and op != "login":
                await self.login()
                continue
            if error == "API_DISABLED":
                raise SyncError(f"tt-rss has API access turned off for user {self.user}; turn"
                                " on Preferences → General → Enable API in tt-rss's web page")
            if error == "LOGIN_ERROR":
                raise SyncError(f"tt-rss refused the login for user {self.user}")
            raise SyncError(f"tt-rss refused {op}: {error}")
        raise AssertionError("unreachable")

    async def login(self) -> None:
        content = await self._call("login", user=self.user, password=self._password)
        sid = content.get("session_id") if isinstance(content, dict) else None
        if not isinstance(sid, str) or not sid:
            raise SyncError(f"{self.api} did not answer like tt-rss's API (no session)",
                            kept=True)
        self._sid = sid

    async def _categories(self) -> dict[int, str]:
        content = await self._call("getCategories", include_empty=True)
        return {_int(c["id"]): clean_line(str(c["title"])) for c in _items(content, self.api)
                if _int(c.get("id")) > 0}

    async def feeds(self) -> list[RemoteFeed]:
        categories = await self._categories()
        content = await self._call("getFeeds", cat_id=_ALL_FEEDS)
        return [RemoteFeed(str(f["id"]), str(f["feed_url"]), clean_line(str(f.get("title") or "")),
                           categories.get(_int(f.get("cat_id"))))
                for f in _items(content, self.api) if f.get("feed_url")]

    async def subscribe(self, url: str, folder: str | None) -> str | None:
        category = 0
        if folder:
            names = {title: cat_id for cat_id, title in (await self._categories()).items()}
            category = names.get(folder, 0)
        content = await self._call("subscribeToFeed", feed_url=url, category_id=category)
        status = content.get("status") if isinstance(content, dict) else None
        code = _int(status.get("code")) if isinstance(status, dict) else -1
        if code not in (0, 1):  # 0: already subscribed; 1: added
            why = _SUBSCRIBE_CODES.get(code, f"code {code}")
            raise SyncError(f"tt-rss could not subscribe to {url} ({why})")
        assert isinstance(status, dict)
        feed_id = status.get("feed_id")
        return str(feed_id) if feed_id is not None else None

    async def unsubscribe(self, feed: RemoteFeed) -> None:
        await self._call("unsubscribeFeed", feed_id=_int(feed.id))

    async def update_feed(self, feed_id: str) -> None:
        await self._call("updateFeed", feed_id=_int(feed_id))

    async def mark(self, ids: Sequence[str], field: Field, value: bool) -> None:
        # tt-rss keeps "unread", not "read".
        on = not value if field == "read" else value
        for start in range(0, len(ids), _PAGE):
            chunk = ",".join(ids[start:start + _PAGE])
            await self._call("updateArticle", article_ids=chunk, field=_FIELDS[field],
                             mode=int(on))

    async def headlines(self) -> list[Headline]:
        found: dict[str, Headline] = {}
        skip = 0
        while True:
            content = await self._call(
                "getHeadlines", feed_id=_ALL_ARTICLES, view_mode="all_articles", limit=_PAGE,
                skip=skip, show_content=False, show_excerpt=False, order_by="date_reverse")
            page = _items(content, self.api)
            for h in page:
                headline = Headline(str(h["id"]), str(h.get("feed_id") or ""),
                                    _guid_digest(h.get("guid")), _str(h.get("link")),
                                    bool(h.get("unread")), bool(h.get("marked")))
                found[headline.id] = headline
            if len(page) < _PAGE:
                return list(found.values())
            skip += len(page)

    async def articles(self, ids: Sequence[str]) -> list[RemoteArticle]:
        found: list[RemoteArticle] = []
        for start in range(0, len(ids), _ARTICLES_AT_ONCE):
            chunk = ",".join(ids[start:start + _ARTICLES_AT_ONCE])
            content = await self._call("getArticle", article_id=chunk)
            for a in _items(content, self.api):
                updated = _int(a.get("updated"))
                found.append(RemoteArticle(
                    str(a["id"]), clean_line(str(a.get("title") or "")), _str(a.get("link")),
                    clean_line(_str(a.get("author")) or "") or None,
                    datetime.fromtimestamp(updated, UTC) if updated > 0 else None,
                    str(a.get("content") or "")))
        return found


_SUBSCRIBE_CODES = {2: "not a valid address", 3: "no feed found there",
                    4: "the page names several feeds; give one of them",
                    5: "it could not download the feed"}


def _error(content: Any) -> str:
    error = content.get("error") if isinstance(content, dict) else None
    return str(error) if error else "an unexplained error"


def _items(content: Any, api: str) -> list[dict[str, Any]]:
    if not isinstance(content, list) or not all(isinstance(i, dict) and "id" in i
                                                for i in content):
        raise SyncError(f"{api} did not answer like tt-rss's API (a list was expected)",
                        kept=True)
    return content


def _proxy_for(url: str) -> str | None:
    """The environment's proxy for the server, as for feeds (HTTP_PROXY, HTTPS_PROXY,
    NO_PROXY); this machine's own addresses are never proxied."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if loopback_host(host) or urllib.request.proxy_bypass(host):
        return None
    return urllib.request.getproxies().get(parts.scheme)


def _int(value: Any) -> int:
    """A whole number the server sent (as a JSON number or a string of ASCII digits), or -1:
    int() would take "٣" and 1e400 would be an OverflowError."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if -MAX_INT <= value <= MAX_INT else -1
    try:
        return parse_int(value, low=-MAX_INT) if isinstance(value, str) else -1
    except ScalarError:
        return -1


def _str(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value else None


def _guid_digest(guid: Any) -> str | None:
    """tt-rss keeps {"ver": 2, "uid": N, "hash": "SHA1:<sha1 of the feed's guid>"}."""
    if not isinstance(guid, str):
        return None
    try:
        parsed = json.loads(guid)
    except json.JSONDecodeError:
        return None
    digest = parsed.get("hash") if isinstance(parsed, dict) else None
    return digest if isinstance(digest, str) and digest.startswith("SHA1:") else None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return "no answer in time"
    if isinstance(exc, aiohttp.ClientConnectorError):
        error = exc.os_error
        return os.strerror(error.errno).lower() if error.errno else str(error)
    return type(exc).__name__ if not str(exc) else str(exc)
