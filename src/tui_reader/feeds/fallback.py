"""feedparser, set up and mended as the reader uses it: for every document the expat reader in
`xmlfeed` leaves (not well-formed, or using what that reader does not follow).

This module stays pure Python where the rest of `feeds` may be compiled: its functions become
methods of feedparser's classes, and a compiled function is not bound to the instance it is
looked up on.
"""

from __future__ import annotations

import io
import re
from typing import Any

import feedparser
import feedparser.api
import feedparser.mixin

from tui_reader.feeds.xmlfeed import LINK_TEXT, MAX_AUTHOR, RawFeed, takes_link_text
from tui_reader.net.errors import NotAFeed

# libxml2's SAX driver, when installed, is not hardened like expat: always use expat.
feedparser.api.PREFERRED_XML_PARSERS = []
# feedparser looks for an e-mail address in every author with a regex that backtracks in
# quadratic time: a 100 KB author name held a refresh for minutes. We keep 1000 characters of
# a name anyway, so it only ever sees MAX_AUTHOR of one (xmlfeed bounds its copy alike).
# Its regex also stops a domain at four letters, splitting "desk@pods.example" into the
# address "desk@pods.exam" and the name "ple": the address is then read whole.
_sync_author_detail = feedparser.mixin._FeedParserMixin._sync_author_detail
_WHOLE_ADDRESS = re.compile(r"[A-Za-z0-9_.+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,63}")


def _bounded_sync_author_detail(self: Any, key: str = "author") -> None:
    context = self._get_context()
    value = context.get(key)
    if isinstance(value, str) and len(value) > MAX_AUTHOR:
        context[key] = value = value[:MAX_AUTHOR]
    people = context.get(f"{key}s")
    split = people[-1] if people and not people[-1] else None
    _sync_author_detail(self, key)
    email = split.get("email") if split is not None else None
    whole = _WHOLE_ADDRESS.search(value) if email and isinstance(value, str) else None
    if split is not None and email and whole and whole.group() != email \
            and whole.group().startswith(email):
        split["email"] = whole.group()
        name = value.replace(whole.group(), "").replace("()", "").replace("<>", "").strip()
        name = name.removeprefix("(").removesuffix(")").strip()
        if name:
            split["name"] = name
        else:
            split.pop("name", None)


feedparser.mixin._FeedParserMixin._sync_author_detail = _bounded_sync_author_detail
# An id is kept as written: "t3_157awnr" or a UUID is no address to resolve against the feed's
# (it became "https://host/t3_157awnr", and changed when the feed moved). `_link` takes an id
# for the entry's page only when it is an http(s) URL.
feedparser.mixin._FeedParserMixin.can_be_relative_uri -= {"id"}
# feedparser drops the text of a <link> with an address attribute; when that address is not a
# web one (<link uri="at://…">https://…</link>) the text is kept as LINK_TEXT.
_start_link = feedparser.mixin._FeedParserMixin._start_link
_end_link = feedparser.mixin._FeedParserMixin._end_link


def _start_link_keeping_text(self: Any, attrs: dict[str, str]) -> None:
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    _start_link(self, attrs)
    if takes_link_text(href):
        self.push(LINK_TEXT, self.infeed or self.inentry or self.insource)


def _end_link_keeping_text(self: Any) -> None:
    self.pop(LINK_TEXT)
    _end_link(self)


feedparser.mixin._FeedParserMixin._start_link = _start_link_keeping_text
feedparser.mixin._FeedParserMixin._end_link = _end_link_keeping_text

# feedparser's loose parser has bugs of its own on broken markup (georss, podcast chapters,
# tags and text inputs out of place raise these; bench/fuzz.py found each): the document is
# then not a feed we can read, not a crash.
_FEEDPARSER_FAILURES = (KeyError, IndexError, TypeError, ValueError, AttributeError,
                        UnicodeError, OverflowError, RecursionError)
_UTF8_HEADERS = {"content-type": "application/xml; charset=utf-8"}


def read_with_feedparser(text: str, url: str) -> RawFeed:
    """`text` is the document `parse._defuse` made, which feedparser gets as clean UTF-8 in an
    `io.BytesIO` (given a str or bytes it could take the document for a path or URL)."""
    try:
        parsed = feedparser.parse(
            io.BytesIO(text.encode("utf-8", "replace")),
            response_headers={**_UTF8_HEADERS, "content-location": url},
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except _FEEDPARSER_FAILURES as exc:
        raise NotAFeed(f"not a feed: too malformed to read ({type(exc).__name__})") from exc
    return RawFeed(parsed.get("version") or "", parsed.get("feed", {}),
                   parsed.get("entries", []), bool(parsed.get("bozo")))
