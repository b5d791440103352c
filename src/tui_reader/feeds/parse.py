"""Parse RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed bytes into a `ParsedFeed`.

We decode the bytes ourselves (see `charset`) and drop any DTD internal subset and entity
declarations so an entity blow-up has nothing to expand. A well-formed document is then read
by `xmlfeed`, which gives what feedparser would in a tenth of the time; anything else goes to
feedparser (`fallback`, which sets it up). Both answers become a `ParsedFeed` by the same code
below.
"""

from __future__ import annotations

import re
from typing import Any

from tui_reader.clean.charset import decode
from tui_reader.clean.text import html_to_line, plain_to_html
from tui_reader.feeds.dates import from_struct
from tui_reader.feeds.entries import content_key, enclosures, joined, take_entries
from tui_reader.feeds.fallback import read_with_feedparser
from tui_reader.feeds.jsonfeed import looks_like_json, parse_json_feed
from tui_reader.feeds.xmlfeed import HTML_TYPES, LINK_TEXT, SCHEME, read_xml_feed
from tui_reader.models import FeedEntry, ParsedFeed
from tui_reader.net.errors import NotAFeed
from tui_reader.sanitize import clean_text
from tui_reader.scalars import ScalarError, parse_int

_XML_DECL = re.compile(r"<\?xml[^>]{0,200}?\?>")
_FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")
_DOCTYPE = re.compile(r"<!DOCTYPE", re.I)
_SUBSET_END = re.compile(r"\]\s*>")
# `>?` makes an unterminated declaration match to the end instead of backtracking, so many of
# them cost linear time, not quadratic.
_ENTITY_DECL = re.compile(r"<!ENTITY[^>]*>?", re.I)
_ENTITY_OPEN = re.compile(r"<!ENTITY", re.I)
_OUR_DECL = '<?xml version="1.0" encoding="utf-8"?>'
# Possessive, and a comment cannot run past its "-->": with `(?:<!--.*?-->\s*)*` a 3 KB run
# of comments backtracked for 15 s when no <html> followed (found by bench/fuzz.py).
_HTML = re.compile(r"(?:<!--(?:(?!-->).)*+-->\s*)*+<(?:!doctype\s+html|html|head|body)\b",
                   re.I | re.S)
# feedparser's loose parser turns these into chr() and fails on a surrogate or anything past
# U+10FFFF (ValueError, UnicodeEncodeError): they become U+FFFD before it sees them.
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]{0,60})")
_EMAIL_NAME = re.compile(r"[^\s@()<>]+@[^\s()<>]+\s*\((.+)\)$")
_NAME_EMAIL = re.compile(r"(.+?)\s*[(<][^\s@()<>]+@[^\s()<>]+[)>]$")
_ADDRESS = re.compile(r"[^\s@<>()\"',;]{1,200}@[^\s@<>()\"',;]{1,200}")


def parse_feed(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Raise `NotAFeed` with a user-facing reason when the document yields no feed."""
    return _parse(data, url, content_type, fast=True)


def _parse(data: bytes, url: str, content_type: str | None, *, fast: bool) -> ParsedFeed:
    """`fast=False` sends every XML document to feedparser: bench/feeds.py compares the two."""
    if not data.strip():
        raise NotAFeed("not a feed: the document is empty")
    if looks_like_json(data, content_type):
        return parse_json_feed(data, url)
    text = decode(data, content_type).lstrip("\ufeff \t\r\n")
    if _HTML.match(text, 0, 4096):
        raise NotAFeed("not a feed: got an HTML page")
    defused = _defuse(text)
    parsed = (read_xml_feed(defused, url) if fast else None) or read_with_feedparser(defused, url)
    if not parsed.version and not parsed.entries:
        raise NotAFeed(_what_instead(text))
    feed = parsed.feed
    # RFC 4287 4.2.1: an Atom entry without an author has its source's, else the feed's.
    atom = parsed.version.startswith("atom")
    feed_author = _author(feed) if atom else None
    entries, cut = take_entries(parsed.entries, lambda e: _entry(e, url, feed_author, atom))
    return ParsedFeed(
        title=_line(feed, "title") or url,
        site_url=joined(url, _site_link(feed.get("link"))),
        entries=entries,
        bozo=parsed.bozo,
        ttl_minutes=_ttl(feed.get("ttl")),
        kind=parsed.version or "rss",
        cut=cut,
    )


def _ttl(value: object) -> int | None:
    """<ttl> in minutes, None unless it is a plain number of at most a year."""
    try:
        return parse_int(str(value or ""), high=525_600, what="ttl")
    except ScalarError:
        return None


def _defuse(text: str) -> str:
    """A UTF-8 XML declaration, and a prolog without a DTD internal subset or entities.

    An external DOCTYPE stays (feedparser reads the RSS 0.91 flavour from it; expat is set not
    to fetch it). Undeclared entity references then stay literal text.
    """
    decl = _XML_DECL.match(text)
    text = _OUR_DECL + (text[decl.end():] if decl else "\n" + text)
    first = _FIRST_ELEMENT.search(text)
    prolog_end = first.start() if first else len(text)
    doctype = _DOCTYPE.search(text, 0, prolog_end)
    if doctype:
        closing = text.find(">", doctype.end())
        bracket = text.find("[", doctype.end(), closing if closing >= 0 else len(text))
        if bracket >= 0:
            end = _SUBSET_END.search(text, bracket)
            if end is None:
                after = _FIRST_ELEMENT.search(text, bracket)
                text = text[:doctype.start()] + (text[after.start():] if after else "")
            else:
                text = text[:bracket] + ">" + text[end.end():]
        first = _FIRST_ELEMENT.search(text)
        prolog_end = first.start() if first else len(text)
    prolog = _ENTITY_DECL.sub("", text[:prolog_end])
    if _ENTITY_OPEN.search(prolog):
        # One put back together from the pieces of others ("<!ENT<!ENTITY x>ITY"): a
        # document this hostile keeps no prolog but the XML declaration.
        prolog = _OUR_DECL + "\n"
    text = prolog + text[prolog_end:]
    return _CHAR_REF.sub(_valid_reference, text) if "&#" in text else text


def _valid_reference(match: re.Match[str]) -> str:
    hex_digits, digits = match.groups()
    if len((hex_digits or digits).lstrip("0")) > 8:
        return "&#xFFFD;"
    code = int(hex_digits, 16) if hex_digits else int(digits)
    return "&#xFFFD;" if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else match.group()


def _what_instead(text: str) -> str:
    head = text[:4096]
    if "<html" in head.lower():
        return "not a feed: got an HTML page"
    first = _FIRST_ELEMENT.search(head)
    root = _ROOT.match(head, first.start()) if first and head.startswith("<") else None
    if root:
        return f"not a feed: an XML document whose root is <{root.group(1)}>, not RSS or Atom"
    return "not a feed: neither RSS, Atom nor JSON Feed"


def _site_link(link: Any) -> str:
    """The feed's link to its site as written; feedparser makes a `<links>` element in the
    channel a dict of its attributes there, which names no site."""
    return link if isinstance(link, str) else ""


def _line(source: Any, key: str) -> str:
    detail = source.get(f"{key}_detail") or {}
    return html_to_line(source.get(key), is_html=detail.get("type", "text/html") in HTML_TYPES)


def _html(detail: Any) -> str:
    """Entry text as HTML: plain-text values are escaped rather than parsed as markup."""
    value = str(detail.get("value", "") or "")
    if detail.get("type", "text/html") not in HTML_TYPES:
        value = plain_to_html(value)
    return clean_text(value)


def _absolute(base: str, values: list[Any]) -> str | None:
    """The first value that resolves to an http(s) URL."""
    for value in values:
        ref = str(value).strip() if value else ""
        if ref:
            found = joined(base, ref)
            if found:
                return found
    return None


def _image(entry: Any, base: str) -> str | None:
    # Loops rather than comprehensions: most entries have none of these, and a comprehension
    # is a call even over nothing.
    candidates = []
    for media in entry.get("media_content") or ():
        if media.get("medium") == "image" or str(media.get("type", "")).startswith("image/"):
            candidates.append(media.get("url"))
    for media in entry.get("media_thumbnail") or ():
        candidates.append(media.get("url"))
    for link in entry.get("links") or ():
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            candidates.append(link.get("href"))
    candidates.append((entry.get("image") or {}).get("href"))
    return _absolute(base, candidates)


def _link(entry: Any, base: str) -> str | None:
    """The entry's page: its link, else an alternate link, else the text of a link whose
    address is not a web one; only http(s) is kept. A link feedparser took from the id
    counts only when the id reads as an address (a URL, or a path from the site's root), not
    as "t3_157awnr" or a UUID."""
    link = entry.get("link")
    if link and entry.get("guidislink") and link == entry.get("id") \
            and not SCHEME.match(str(link)) and not str(link).startswith("/"):
        link = None
    # The usual entry's own link is its page: the others are only gathered when it is not.
    return _absolute(base, [link]) or _absolute(
        base, [*(other.get("href") for other in entry.get("links", []) or []
                 if other.get("rel", "alternate") == "alternate"), entry.get(LINK_TEXT)])


def _author(entry: Any) -> str | None:
    """One name, or several joined; "desk@site (Name)" and "Name <desk@site>" give Name, and
    an author given only as an address is that address.

    feedparser's own split of such strings cuts addresses with long top-level domains, so a
    single author is taken from the raw string.
    """
    people = [p for p in entry.get("authors", []) or [] if p]
    raw = [(p.get("name"), p.get("email")) for p in people] if len(people) > 1 else \
        [(entry.get("author"), None)]
    names: list[str] = []
    for value, email in raw:
        text = html_to_line(str(value or ""))
        match = (_EMAIL_NAME.match(text) or _NAME_EMAIL.match(text)) if "@" in text else None
        name = match.group(1).strip() if match else text
        if not name:
            # "<desk@site>" read as markup leaves nothing: the address is the name then, and
            # a person with no name at all is known by their <email>.
            found = _ADDRESS.findall(str(value)) if value else [email or ""]
            name = html_to_line(str(found[0]), is_html=False) if found else ""
        name = name.removeprefix("mailto:")
        if name and name not in names:
            names.append(name)
    return ", ".join(names)[:1000] or None


def _categories(entry: Any) -> list[str]:
    """The entry's tags as lines, each once, in the order first given."""
    names: dict[str, None] = {}
    for tag in entry.get("tags", []) or []:
        name = html_to_line(tag.get("term") or tag.get("label"))
        if name:
            names[name] = None
    return list(names)


def _entry(entry: Any, feed_url: str, feed_author: str | None, atom: bool) -> FeedEntry:
    # feedparser has already resolved links against xml:base and the feed URL; joining again
    # only matters for values it left relative.
    base = str((entry.get("title_detail") or {}).get("base") or feed_url)
    content = ""
    content_parts = entry.get("content", []) or []
    for part in content_parts:
        value = _html(part)
        if len(value) > len(content):
            content = value
    # Without its own detail, feedparser's summary is a copy of the content.
    summary = _html(entry["summary_detail"]) if entry.get("summary_detail") else ""
    guid = html_to_line(str(entry.get("id") or "").strip(), is_html=False, limit=2000)
    link = _link(entry, base)
    files = []
    for other in entry.get("links") or ():
        if other.get("rel") == "enclosure":
            files.append((other.get("href"), other.get("type"), other.get("length"), None))
    if not guid and not link:
        guid = content_key([str(entry.get("title") or ""), str(entry.get("summary") or ""),
                            *(str(c.get("value") or "") for c in content_parts),
                            *(str(url or "") for url, *_ in files)]) or ""
    for media in entry.get("media_content") or ():
        files.append((media.get("url"), media.get("type"), media.get("filesize"),
                      media.get("duration")))
    author = _author(entry)
    if atom and not author:
        author = _author(entry.get("source") or {}) or feed_author
    # dict.get skips feedparser's deprecated "updated falls back to published" mapping.
    published = from_struct(dict.get(entry, "published_parsed"))
    updated = from_struct(dict.get(entry, "updated_parsed"))
    return FeedEntry(
        guid=guid or None,
        link=link,
        title=_line(entry, "title"),
        author=author,
        published=published or updated,
        updated=updated,
        categories=_categories(entry),
        summary="" if summary == content else summary,
        content=content,
        image=_image(entry, base),
        enclosures=enclosures(files, base, entry.get("itunes_duration")) if files else [],
    )
