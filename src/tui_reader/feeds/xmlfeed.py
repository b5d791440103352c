"""Well-formed RSS and Atom read with expat alone, giving what feedparser would give.

feedparser reads a document expat accepts with its strict parser: a SAX handler whose rules
(element names mapped through a namespace table, a handler per element, a stack of text and
a few flags) are simple enough to follow event by event, while its SAX layer and dictionary
classes cost ~0.4 ms per item. `read_xml_feed` follows those rules, quirks included, for the
elements a `ParsedFeed` is built from and returns the same feed and entry dictionaries as plain
dicts, which `feeds` turns into a `ParsedFeed` exactly as it does feedparser's.

Whatever it does not follow makes it return None so that the caller asks feedparser: a
document expat rejects (feedparser then falls back to its loose parser), another root than
RSS or Atom, an element whose feedparser handler is not mirrored here (source, GeoRSS, Podlove
chapters, Creative Commons), feed elements inside embedded markup, SVG, and an author that
depends on feedparser's regular expression for splitting off an e-mail address.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple, TypeVar
from xml.parsers import expat
from xml.sax.saxutils import escape

from feedparser.datetimes import _parse_date
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin, make_safe_absolute_uri

# feedparser looks for an e-mail address in an author with a regex that backtracks in quadratic
# time, so it only ever sees this much of one (feeds.py bounds feedparser's own copy).
MAX_AUTHOR = 2000

Dict = dict[str, Any]

_NAMESPACES: dict[str, str] = {uri.lower(): prefix
                               for uri, prefix in _FeedParserMixin.namespaces.items()}
# Every element feedparser has a handler for: one we do not mirror sends the document to it.
_FEEDPARSER_STARTS = frozenset(n[7:] for n in dir(_FeedParserMixin) if n.startswith("_start_"))
_FEEDPARSER_ENDS = frozenset(n[5:] for n in dir(_FeedParserMixin) if n.startswith("_end_"))
# Keys that handlers read back or that we do not store as feedparser does: an unknown element
# of that name would collide with them.
_RESERVED = frozenset({"links", "authors", "contributors", "tags", "textinput", "image",
                       "guidislink", "media_content", "media_thumbnail", "media_rating",
                       "media_credit", "media_restriction", "media_license", "media_player",
                       "publishers", "psc_chapters", "source", "license", "cloud",
                       "link_text"})
_ROOTS = frozenset({"rss", "rdf:rdf", "feed"})
# Values feedparser's pop returns without storing them.
_UNSTORED = frozenset({"category", "tags", "itunes_keywords"})
_XHTML = "application/xhtml+xml"
HTML_TYPES = frozenset({"text/html", _XHTML})
_CONTENT_TYPES = {"text": "text/plain", "plain": "text/plain", "html": "text/html",
                  "xhtml": _XHTML}
_SUMMARY_TYPES = frozenset({"text/plain", "text/html", _XHTML})
_MATHML = "http://www.w3.org/1998/Math/MathML"
_SVG = "http://www.w3.org/2000/svg"
# Root elements of embedded markup that feedparser gives an xmlns attribute, with their namespace.
# A set, not a tuple of tuples: mypyc miscompiles `in` over a literal tuple of tuples (its
# unrolled comparisons release a temporary on a path that never set it).
_MARKUP_ROOTS = frozenset({("math", _MATHML), ("svg", _SVG)})
_XLINK = "http://www.w3.org/1999/xlink"
_RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
_USERLAND = "http://backend.userland.com/rss"
# feedparser's relative URIs, less "id": feeds.py has it keep ids as written.
_RELATIVE = frozenset({"comments", "docs", "href", "icon", "link", "logo", "url",
                       "wfw_comment", "wfw_commentrss"})
_RSS_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
_ATOM_VERSIONS = {"0.1": "atom01", "0.2": "atom02", "0.3": "atom03"}
_TEXTINPUT_TAGS = frozenset({"title", "link", "description", "name"})
_IMAGE_TAGS = frozenset({"title", "link", "description", "url", "href", "width", "height"})
_ENTITY_IN_LINK = re.compile(r"&([A-Za-z0-9_]+);")
_FIRST_TAG = re.compile(r"<[A-Za-z0-9_]")
_DOCTYPE = re.compile(r"^[ \t\n\r\f\v]*<!DOCTYPE([^>]*?)>", re.M)
# An absolute http(s) URL that urllib splits and puts back unchanged: joined to any base urllib
# can split (ASCII, no brackets) it stays itself, which is far cheaper to see than to join.
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[\w.~!$&'()*+,=:@%/-]*)?"
                        r"(?:\?[\w.~!$&'()*+,=:@%/?-]+)?", re.ASCII)
_MONTHS = {name: n for n, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_RFC822 = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d\d) (" + "|".join(_MONTHS)
                     + r") (\d{4}) (\d\d):(\d\d):(\d\d) (GMT|UT|Z|[+-]\d{4})", re.ASCII)
_ITUNES = "http://www.itunes.com/"
# The key feeds.py has feedparser keep the text of a <link> under when its address attribute
# is not a web one, and the test for that address.
LINK_TEXT = "link_text"
_WEB = re.compile(r"https?:", re.I)
# A URL scheme at the start of a link or id: what tells an address from an opaque id.
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_MEDIA_SCHEME = "http://search.yahoo.com/mrss/category_schema"


class _Unsupported(Exception):
    """The document uses something this reader does not mirror: feedparser must read it."""


@dataclass(slots=True)
class RawFeed:
    """A feed as feedparser's result holds it: version string, feed dict, entry dicts."""

    version: str
    feed: Dict
    entries: list[Dict] = field(default_factory=list)
    bozo: bool = False


def read_xml_feed(text: str, url: str) -> RawFeed | None:
    """`text` is the document `feeds._defuse` made; None when feedparser has to read it."""
    doctype_version, text = _without_doctype(text)
    reader = _Reader(url)
    parser = expat.ParserCreate(None, " ")
    parser.namespace_prefixes = True
    parser.buffer_text = True
    # As feedparser's SAX driver sets it up, minus fetching: an external DTD is reported to a
    # handler that declines it, and the entities it might have declared are skipped.
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE)
    parser.ExternalEntityRefHandler = _decline
    parser.SkippedEntityHandler = _skip
    parser.StartNamespaceDeclHandler = reader.start_namespace
    parser.StartElementHandler = reader.start_element
    parser.EndElementHandler = reader.end_element
    parser.CharacterDataHandler = reader.characters
    try:
        parser.Parse(text.encode("utf-8", "replace"), True)
        reader.check_authors()
    except (expat.ExpatError, _Unsupported):
        return None
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        # The handlers are feedparser's own steps, so where one fails feedparser fails too (or
        # takes a turn we do not follow): its answer is the right one either way.
        return None
    return RawFeed(doctype_version or reader.version, reader.feed, reader.entries)


@functools.lru_cache(maxsize=1024)
def _rebased(base: str, declared: str) -> str:
    """feedparser's base inside an element: its xml:base joined to the current base."""
    if base:
        return make_safe_absolute_uri(base, declared) or base
    return _urljoin(base, declared)  # type: ignore[no-any-return]


def takes_link_text(href: str | None) -> bool:
    """Whether a <link> with this address attribute keeps its text: "at://…" but not
    "https://…" or a relative address."""
    return bool(href) and SCHEME.match(str(href)) is not None and not _WEB.match(str(href))


def joins_to_itself(base: str, ref: str) -> bool:
    """Whether `urljoin(base, ref)` (and feedparser's join) is `ref` itself."""
    return (_PLAIN_URL.fullmatch(ref) is not None and base.isascii()
            and "[" not in base and "]" not in base)


def feed_date(value: str | None) -> time.struct_time | None:
    """feedparser's `_parse_date`, reading the usual "Sun, 01 Nov 2026 07:00:00 GMT" itself.

    For that form feedparser's W3C-DTF reader gives up and its RFC 822 reader does just these
    steps; anything else, or any step that fails, is left to feedparser.
    """
    match = _RFC822.fullmatch(value) if value else None
    if match is None:
        return _parse_date(value)  # type: ignore[no-any-return]
    day, month, year, hour, minute, second, zone = match.groups()
    try:
        stamp = datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute),
                         int(second))
        if zone[0] in "+-":
            stamp -= _offset(zone)
        return stamp.utctimetuple()
    except (ValueError, OverflowError):
        return _parse_date(value)  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=256)
def _offset(zone: str) -> timedelta:
    """A "+hhmm" or "-hhmm" zone as a timedelta: kept, since making one from keywords costs
    as much as the rest of `feed_date` and a feed writes its dates in one or two zones."""
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:]))
    return -offset if zone[0] == "-" else offset


def _mended(text: str) -> str:
    """feedparser's repairs: UTF-8 read as Latin-1 decoded again, C1 controls as cp1252."""
    with contextlib.suppress(UnicodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    return text.translate(_cp1252)


def _decline(context: str | None, base: str | None, system_id: str | None,
             public_id: str | None) -> int:
    return 1


def _skip(name: str, is_parameter_entity: int) -> None:
    """expat's flag is an int (0 or 1), which compiled code would refuse as a bool."""
    return None


def _without_doctype(text: str) -> tuple[str | None, str]:
    """feedparser drops a DOCTYPE that starts a line before the root, and reads the RSS 0.91
    flavour from it; a DOCTYPE left in place makes expat skip undeclared entities."""
    first = _FIRST_TAG.search(text)
    start = first.start() if first and first.start() else -1
    head = text[:start + 1]
    found = _DOCTYPE.findall(head)
    if not found:
        return None, text
    version = "rss091n" if "netscape" in found[0].lower() else None
    return version, _DOCTYPE.sub("", head) + text[start + 1:]


def _content_type(value: str) -> str:
    value = value.lower()
    return _CONTENT_TYPES.get(value, value)


def _markup_attributes(pairs: list[tuple[str, str]]) -> str:
    return "".join(f' {name}="{escape(value, {chr(34): "&quot;"})}"' for name, value in pairs)


def _enforce_href(attrs: Dict) -> Dict:
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        attrs.pop("url", None)
        attrs.pop("uri", None)
        attrs["href"] = href
    return attrs


class _StartName(NamedTuple):
    """What feedparser does at an element's start tag."""

    tag: str
    xmlns: str | None
    key: str
    handler: Callable[[_Reader, Dict], None] | None
    # Without a handler: the stack entry pushed, and whether it is pushed despite attributes
    # (handlers that only push), as against an unknown element's.
    push: tuple[str, int]
    pushes_always: bool
    leaves_textinput: bool
    leaves_image: bool


class _EndName(NamedTuple):
    """What feedparser does at an element's end tag."""

    tag: str
    # Without a handler: the stack entry popped.
    key: str
    handler: Callable[[_Reader], None] | None
    feedparser_handles: bool


_Name = TypeVar("_Name", _StartName, _EndName)
# What feedparser makes of expat's element names, per state of the namespace declarations.
_NAME_TABLES: dict[tuple[Any, ...], tuple[dict[str, _StartName], dict[str, _EndName]]] = {}
_MAX_NAME_TABLES = 32
_MAX_NAMES = 512
# feedparser never forgets a namespace declaration and looks through them all for some names:
# a document declaring more than this many is left to it.
_MAX_NAMESPACES = 64


class _Reader:
    """feedparser's strict parser state, kept in plain dicts."""

    def __init__(self, url: str) -> None:
        self.version = ""
        self.feed: Dict = {}
        self.entries: list[Dict] = []
        # feedparser keeps a value seen at a shallower depth over a deeper one, per entry.
        self.depths: list[dict[str, int]] = []
        self.in_use: dict[str, str] = {}
        self.prefixes: dict[str | None, str] = {}
        self.decls: Dict = {}
        self.stack: list[list[Any]] = []
        self.base = url
        self.params: Dict = {}
        self.infeed = self.inentry = self.incontent = 0
        self.intextinput = self.inimage = 0
        self.inauthor = self.incontributor = self.inpublisher = 0
        self.has_content = 0
        self.guidislink = False
        # A summary or description after a summary became content, as feedparser makes it.
        self.summary_is_content = False
        self.title_depth = -1
        self.depth = 0
        self.content_depth = 0
        # Author parts that feedparser's e-mail regex decides (ids of the dicts holding them).
        self.unknown_name: set[int] = set()
        self.unknown_email: set[int] = set()
        self.unknown_author: set[int] = set()
        self.start_names: dict[str, _StartName] = {}
        self.end_names: dict[str, _EndName] = {}
        self.use_names()
        # feedparser keeps a stack of xml:base values. While no element has moved the base
        # every entry is the feed URL, so the stack is only kept from the first one that does.
        self.bases: list[str] | None = None if _rebased(url, url) == url else []

    # -- expat events, as feedparser's startElementNS / unknown_starttag and friends take them

    def start_namespace(self, prefix: str | None, uri: str | None) -> None:
        if not uri:
            return
        if prefix and uri == _XLINK:
            self.decls["xmlns:" + prefix] = uri
        self.track_namespace(prefix or None, uri)

    def track_namespace(self, prefix: str | None, uri: str) -> None:
        lower = uri.lower()
        if not self.version:
            if prefix is None and lower == _RSS090:
                self.version = "rss090"
            elif lower == "http://purl.org/rss/1.0/":
                self.version = "rss10"
            elif lower == "http://www.w3.org/2005/atom":
                self.version = "atom10"
        if "backend.userland.com/rss" in lower:
            uri = lower = _USERLAND
        known = _NAMESPACES.get(lower)
        if known is not None:
            self.prefixes[prefix] = known
            self.in_use[known] = uri
        else:
            self.in_use[prefix or ""] = uri
        if len(self.in_use) > _MAX_NAMESPACES:
            raise _Unsupported
        self.use_names()

    def use_names(self) -> None:
        """Take the name tables for the namespaces declared so far, shared between documents
        (the feeds of a refresh declare the same few) and dropped when they grow too many."""
        state = (tuple(self.prefixes.items()), tuple(self.in_use.items()))
        tables = _NAME_TABLES.get(state)
        if tables is None:
            if len(_NAME_TABLES) >= _MAX_NAME_TABLES:
                _NAME_TABLES.clear()
            tables = _NAME_TABLES[state] = ({}, {})
        self.start_names, self.end_names = tables

    def _declared_prefix(self, namespace: str, local: str) -> str:
        for name, value in self.in_use.items():
            if name and value == namespace:
                return name + ":" + local
        return local

    def _handler_key(self, tag: str) -> tuple[str, bool]:
        """The name feedparser looks a handler up by, and whether the tag has no prefix."""
        prefix, suffix = tag.split(":", 1) if ":" in tag else ("", tag)
        prefix = self.prefixes.get(prefix, prefix)
        return (f"{prefix}_{suffix}" if prefix else suffix), not prefix

    @staticmethod
    def _new_name(table: dict[str, _Name], name: str, make: Callable[[str], _Name]) -> _Name:
        if len(table) >= _MAX_NAMES:
            table.clear()
        info = table[name] = make(name)
        return info

    def _start_name(self, name: str) -> _StartName:
        parts = name.split()
        if len(parts) == 1:
            namespace, local = None, name
        elif len(parts) <= 3:
            namespace, local = parts[0], parts[1]
        else:
            raise _Unsupported
        lower = namespace.lower() if namespace else ""
        if "backend.userland.com/rss" in lower:
            namespace = lower = _USERLAND
        prefix = _NAMESPACES.get(lower)
        local = local.lower()
        xmlns = namespace if (local, namespace) in _MARKUP_ROOTS else None
        if prefix:
            local = prefix.lower() + ":" + local
        elif namespace:
            local = self._declared_prefix(namespace, local)
        tag = local.lower()
        key, bare = self._handler_key(tag)
        mirrored = key in _STARTS or key in _PUSHES
        if not mirrored and (key in _FEEDPARSER_STARTS or key in _RESERVED
                             or key.endswith(("_detail", "_parsed"))):
            raise _Unsupported
        push = _PUSHES.get(key)
        return _StartName(tag, xmlns, key, _STARTS.get(key), push or (key, 1), push is not None,
                          bare and tag not in _TEXTINPUT_TAGS, bare and tag not in _IMAGE_TAGS)

    def _end_name(self, name: str) -> _EndName:
        parts = name.split()
        namespace, local = (None, name) if len(parts) == 1 else (parts[0], parts[1])
        prefix = _NAMESPACES.get(namespace.lower() if namespace else "", "")
        if prefix:
            local = prefix + ":" + local
        elif namespace:
            local = self._declared_prefix(namespace, local)
        tag = local.lower()
        key = self._handler_key(tag)[0]
        handler = _ENDS.get(key)
        if handler is None and key not in _POPS and key in _FEEDPARSER_ENDS:
            raise _Unsupported
        return _EndName(tag, _POPS.get(key, key), handler, key in _FEEDPARSER_ENDS)

    def _attributes(self, xmlns: str | None, attributes: dict[str, str]) -> list[tuple[str, str]]:
        """feedparser's attribute list: namespaced names mapped, qualified names added, names
        lowercased and so are the values of rel and type."""
        attrs, self.decls = self.decls, {}
        if xmlns:
            attrs["xmlns"] = xmlns
        # Namespaced names are the ones with a space (expat's separator) in them.
        if " " in "".join(attributes):
            self._namespaced_attributes(attrs, attributes)
        else:
            for name, value in attributes.items():
                attrs[name.lower()] = value
        pairs = []
        for name, value in attrs.items():
            name = name.lower()
            pairs.append((name, value.lower() if name in ("rel", "type") else value))
        return pairs

    @staticmethod
    def _namespaced_attributes(attrs: Dict, attributes: dict[str, str]) -> None:
        qnames = []
        for name, value in attributes.items():
            parts = name.split()
            if len(parts) == 1:
                namespace, local, qname = None, name, name
            elif len(parts) == 3:
                namespace, local, qname = parts[0], parts[1], f"{parts[2]}:{parts[1]}"
            elif len(parts) == 2:
                namespace, local, qname = parts[0], parts[1], parts[1]
            else:
                raise _Unsupported
            prefix = _NAMESPACES.get(namespace.lower() if namespace else "", "")
            attrs[(prefix + ":" + local if prefix else local).lower()] = value
            qnames.append((qname, value))
        for qname, value in qnames:
            attrs[qname.lower()] = value

    def start_element(self, name: str, attributes: dict[str, str]) -> None:
        info = self.start_names.get(name)
        if info is None:
            info = self._new_name(self.start_names, name, self._start_name)
        tag, xmlns, _, handler, push, _, leaves_textinput, leaves_image = info
        if attributes or xmlns or self.decls or not self.depth:
            self._start_in_full(info, attributes)
            return
        self.depth += 1
        bases = self.bases
        if bases is not None:
            base = self.base = _rebased(self.base, self.base)
            bases.append(base)
        if self.incontent:
            self._embedded_start(tag, [])
            return
        if leaves_textinput:
            self.intextinput = 0
        if leaves_image:
            self.inimage = 0
        if handler is not None:
            handler(self, {})
        else:
            self.stack.append([push[0], push[1], []])

    def _start_in_full(self, info: _StartName, attributes: dict[str, str]) -> None:
        """`start_element` for the root and for elements with attributes."""
        if not self.depth and info.tag not in _ROOTS:
            raise _Unsupported
        self.depth += 1
        declares = info.xmlns or self.decls
        pairs = self._attributes(info.xmlns, attributes)
        attrs = dict(pairs)
        declared = attrs.get("xml:base", attrs.get("base")) or self.base
        if declared != self.base or self.bases is not None:
            self.enter(declared)
        if declares:
            for name, value in pairs:
                if name.startswith("xmlns:"):
                    self.track_namespace(name[6:], value)
                elif name == "xmlns":
                    self.track_namespace(None, value)
        if self.incontent:
            self._embedded_start(info.tag, pairs)
            return
        if info.leaves_textinput:
            self.intextinput = 0
        if info.leaves_image:
            self.inimage = 0
        if info.handler is not None:
            info.handler(self, attrs)
        elif attrs and not info.pushes_always:
            # feedparser keeps an unknown element's attributes instead of its text.
            self.context()[info.key] = attrs
        else:
            self.stack.append([info.push[0], info.push[1], []])

    def enter(self, declared: str) -> None:
        """feedparser's xml:base step: the base becomes `declared` joined to it (when that is
        a safe URL) and is stacked until the element ends. Taken once the base moves: until
        then every entry of the stack would be the feed URL."""
        base = self.base
        if self.bases is None:
            self.bases = [base] * (self.depth - 1)
        self.base = _rebased(base, declared)
        self.bases.append(self.base)

    def _markup_type(self, tag: str) -> str | None:
        """The content's type once an element is seen inside it: markup in escaped (non-XML)
        content makes it XHTML, as feedparser does; None for a <div> there, which it skips."""
        params = self.params
        kind: str = params.get("type", "xml")
        if not kind.endswith("xml"):
            if tag in ("xhtml:div", "div"):
                return None
            params["type"] = kind = _XHTML
        return kind

    def _embedded_start(self, tag: str, pairs: list[tuple[str, str]]) -> None:
        """An element inside a title, summary or content: markup, as feedparser writes it."""
        kind = self._markup_type(tag)
        if kind is None:
            return
        if kind != _XHTML:
            raise _Unsupported
        if ":" in tag:
            prefix, tag = tag.split(":", 1)
            namespace = self.in_use.get(prefix, "")
            if tag == "math" and namespace == _MATHML:
                pairs.append(("xmlns", namespace))
        if tag == "svg":
            raise _Unsupported
        self.markup(f"<{tag}{_markup_attributes(pairs)}>")

    def end_element(self, name: str) -> None:
        info = self.end_names.get(name)
        if info is None:
            info = self._new_name(self.end_names, name, self._end_name)
        tag, key, handler, feedparser_handles = info
        if self.incontent and self.depth > self.content_depth:
            if feedparser_handles:
                raise _Unsupported  # a feed element inside embedded markup
            if self._embedded_end(tag):
                return
        elif handler is not None:
            handler(self)
        else:
            self.pop(key)
        bases = self.bases
        if bases:
            bases.pop()
            if bases and bases[-1]:
                self.base = bases[-1]
        self.depth -= 1

    def _embedded_end(self, tag: str) -> bool:
        """An end tag inside a title, summary or content, as feedparser writes it back; True
        when feedparser leaves the base and depth as they are (a <div> in escaped markup)."""
        kind = self._markup_type(tag)
        if kind is None:
            return True
        if kind == _XHTML:
            self.markup(f"</{tag.split(':')[-1]}>")
        return False

    def characters(self, text: str) -> None:
        stack = self.stack
        if stack:
            # Outside titles, summaries and contents the parameters are empty.
            if self.incontent and self.params.get("type") == _XHTML:
                text = escape(text)
            stack[-1][2].append(text)

    def markup(self, text: str) -> None:
        if self.stack:
            self.stack[-1][2].append(text)

    # -- feedparser's push / pop and friends -------------------------------------------

    def pop(self, element: str) -> str | None:
        stack = self.stack
        if not stack or stack[-1][0] != element:
            return None
        _, expecting_text, pieces = stack.pop()
        output: str = "".join(pieces).strip()
        if not expecting_text:
            return output
        if element in _RELATIVE and output:
            output = self.resolve(output)
        if not output.isascii():
            output = _mended(output)
        return self._keep(element, output, {})

    def _keep(self, element: str, output: str, params: Dict) -> str:
        """Where feedparser files a popped value: in the entry, in the feed, or nowhere."""
        depth = self.depth
        if element in _UNSTORED or (element == "title" and -1 < self.title_depth <= depth):
            return output
        if not self.inentry:
            if self.infeed:
                self._store_in_feed(element, output)
            return output
        entry = self.entries[-1]
        if element == "content":
            entry.setdefault("content", []).append({**params, "value": output})
        elif element == "link":
            if not self.inimage:
                if "&" in output:
                    output = _ENTITY_IN_LINK.sub(r"&\g<1>", output.replace("&amp;", "&"))
                entry["link"] = output
                if output:
                    entry["links"][-1]["href"] = output
        else:
            if element == "description":
                element = "summary"
            depths = self.depths[-1]
            if depth <= depths.get(element, depth):
                depths[element] = depth
                entry[element] = output
                if element == "author":
                    self.unknown_author.discard(id(entry))
            if self.incontent:
                entry[element + "_detail"] = {**params, "value": output}
        return output

    def _store_in_feed(self, element: str, output: str) -> None:
        context = self.context()
        if element == "description":
            element = "subtitle"
        elif element == "author":
            self.unknown_author.discard(id(context))
        if element == "link":
            if "&" in output:
                output = _ENTITY_IN_LINK.sub(r"&\g<1>", output)
            context["links"][-1]["href"] = output
        elif self.incontent:
            context[element + "_detail"] = {**self.params, "value": output}
        context[element] = output

    def push_content(self, tag: str, attrs: Dict, default_type: str, expecting: int) -> None:
        self.incontent += 1
        kind = _content_type(attrs.get("type", default_type)) if attrs else default_type
        encoded = (attrs.get("mode") == "base64" if attrs else False) or not (
            kind.startswith("text/") or kind.endswith(("+xml", "/xml")))
        self.params = {"type": kind, "base": self.base, "base64": encoded}
        self.content_depth = self.depth
        self.stack.append([tag, expecting, []])

    def pop_content(self, tag: str) -> str | None:
        """`pop` for a title, summary or content, which reads the parameters it set."""
        stack = self.stack
        params = self.params
        output = None
        if stack and stack[-1][0] == tag:
            _, expecting_text, pieces = stack.pop()
            if self.version == "atom10" and params.get("type") == _XHTML:
                pieces = _unwrap_div(pieces)
            output = "".join(pieces).strip()
            if expecting_text:
                if params.pop("base64", None):
                    with contextlib.suppress(binascii.Error, binascii.Incomplete,
                                             UnicodeDecodeError):
                        output = base64.decodebytes(output.encode("utf8")).decode("utf8")
                if (params.get("type") == "text/plain" and ("</" in output or "&" in output)
                        and not self.version.startswith("atom")
                        and _FeedParserMixin.looks_like_html(output)):
                    params["type"] = "text/html"
                if not output.isascii():
                    output = _mended(output)
                output = self._keep(tag, output, params)
        self.incontent -= 1
        params.clear()
        return output

    def resolve(self, uri: str) -> str:
        """feedparser's join of a link to the current base (see `joins_to_itself`)."""
        base = self.base or ""
        return uri if joins_to_itself(base, uri) else str(_urljoin(base, uri))

    def context(self) -> Dict:
        if self.inimage and "image" in self.feed:
            return self.feed["image"]  # type: ignore[no-any-return]
        if self.intextinput:
            return self.feed["textinput"]  # type: ignore[no-any-return]
        if self.inentry:
            return self.entries[-1]
        return self.feed

    def standard_name(self, name: str) -> str:
        prefix, colon, suffix = name.partition(":")
        return self.prefixes.get(prefix, prefix) + colon + suffix if colon else name

    # -- authors -------------------------------------------------------------------------

    def sync_author(self) -> None:
        """feedparser's `_sync_author_detail`, bounded as feeds.py bounds it. Where feedparser
        splits an address off with its regular expression, the parts are marked unknown."""
        context = self.context()
        author = context.get("author")
        if isinstance(author, str) and len(author) > MAX_AUTHOR:
            context["author"] = author = author[:MAX_AUTHOR]
        detail = context.get("authors", [{}])[-1]
        if detail:
            if id(detail) in self.unknown_name or id(detail) in self.unknown_email:
                context["author"] = author or "?"
                self.unknown_author.add(id(context))
                return
            name, email = detail.get("name"), detail.get("email")
            if name or email:
                context["author"] = f"{name} ({email})" if name and email else name or email
                self.unknown_author.discard(id(context))
            return
        if not author:
            return
        context.setdefault("author_detail", detail)
        if "@" in author or id(context) in self.unknown_author:
            self.unknown_name.add(id(detail))
            self.unknown_email.add(id(detail))
        detail["name"] = author

    def save_author(self, key: str, value: Any, prefix: str = "author") -> None:
        """feedparser's `_save_author`; `prefix` is "publisher" inside an iTunes owner."""
        context = self.context()
        detail = context.setdefault(prefix + "_detail", {})
        detail[key] = value
        self._known(detail, key)
        self.sync_author()
        # feedparser files an owner's name and address under the authors too.
        detail = context.setdefault("authors", [{}])[-1]
        detail[key] = value
        self._known(detail, key)

    def _known(self, detail: Dict, key: str) -> None:
        if key == "name":
            self.unknown_name.discard(id(detail))
        elif key == "email":
            self.unknown_email.discard(id(detail))

    def save_contributor(self, key: str, value: Any) -> None:
        self.context().setdefault("contributors", [{}])[-1][key] = value

    def check_authors(self) -> None:
        """Raise when an author `feeds` reads depends on feedparser's split of an address:
        the names of several authors (or the address of one without a name), or the author
        string of one (an Atom feed's too, which its entries inherit)."""
        contexts = [self.feed, *self.entries] if self.version.startswith("atom") else self.entries
        for entry in contexts:
            people = entry.get("authors") or []
            if len(people) > 1:
                # An address stands in for an empty name.
                if any(id(p) in self.unknown_name
                       or (not p.get("name") and id(p) in self.unknown_email) for p in people):
                    raise _Unsupported
            elif id(entry) in self.unknown_author:
                raise _Unsupported

    @staticmethod
    def add_tag(context: Dict, term: Any, scheme: Any, label: Any) -> None:
        tags = context.setdefault("tags", [])
        if not term and not scheme and not label:
            return
        value = {"term": term, "scheme": scheme, "label": label}
        if value not in tags:
            tags.append(value)

    # -- element handlers, named as feedparser names them --------------------------------

    def start_rss(self, attrs: Dict) -> None:
        if not self.version or not self.version.startswith("rss"):
            version = attrs.get("version", "")
            self.version = _RSS_VERSIONS.get(version) or (
                "rss20" if version.startswith("2.") else "rss")

    def start_channel(self, attrs: Dict) -> None:
        self.infeed = 1
        self.cdf_common(attrs)

    def cdf_common(self, attrs: Dict) -> None:
        if "lastmod" in attrs:
            self.stack.append(["updated", 1, [attrs["lastmod"]]])
            self.end_updated()
        if "href" in attrs:
            self.start_link({})
            self.stack[-1][2] = [attrs["href"]]
            self.pop("link")

    def start_feed(self, attrs: Dict) -> None:
        self.infeed = 1
        if not self.version:
            self.version = _ATOM_VERSIONS.get(str(attrs.get("version"))) or "atom"

    def end_feed(self) -> None:
        self.infeed = 0

    def start_image(self, attrs: Dict) -> None:
        context = self.context()
        if not self.inentry:
            context.setdefault("image", {})
        self.inimage = 1
        self.title_depth = -1
        self.stack.append(["image", 0, []])

    def end_image(self) -> None:
        self.pop("image")
        self.inimage = 0

    def start_textinput(self, attrs: Dict) -> None:
        if self.inentry:
            raise _Unsupported
        self.context().setdefault("textinput", {})
        self.intextinput = 1
        self.title_depth = -1
        self.stack.append(["textinput", 0, []])

    def end_textinput(self) -> None:
        self.pop("textinput")
        self.intextinput = 0

    def start_author(self, attrs: Dict) -> None:
        self.inauthor = 1
        self.stack.append(["author", 1, []])
        self.context().setdefault("authors", []).append({})

    def end_author(self) -> None:
        self.pop("author")
        self.inauthor = 0
        self.sync_author()

    def start_contributor(self, attrs: Dict) -> None:
        self.incontributor = 1
        self.context().setdefault("contributors", []).append({})
        self.stack.append(["contributor", 0, []])

    def end_contributor(self) -> None:
        self.pop("contributor")
        self.incontributor = 0

    def end_name(self) -> None:
        value = self.pop("name")
        if self.inpublisher:
            self.save_author("name", value, "publisher")
        elif self.inauthor:
            self.save_author("name", value)
        elif self.incontributor:
            self.save_contributor("name", value)
        elif self.intextinput:
            self.context()["name"] = value

    def end_width(self) -> None:
        self._end_number("width")

    def end_height(self) -> None:
        self._end_number("height")

    def _end_number(self, element: str) -> None:
        if self.pop(element) is None:
            raise _Unsupported  # feedparser's int(None) raises

    def end_url(self) -> None:
        value = self.pop("href")
        if self.inauthor:
            self.save_author("href", value)
        elif self.incontributor:
            self.save_contributor("href", value)

    def end_email(self) -> None:
        value = self.pop("email")
        if self.inpublisher:
            self.save_author("email", value, "publisher")
        elif self.inauthor:
            self.save_author("email", value)
        elif self.incontributor:
            self.save_contributor("email", value)

    def start_subtitle(self, attrs: Dict) -> None:
        self.push_content("subtitle", attrs, "text/plain", 1)

    def end_subtitle(self) -> None:
        self.pop_content("subtitle")

    def start_rights(self, attrs: Dict) -> None:
        self.push_content("rights", attrs, "text/plain", 1)

    def end_rights(self) -> None:
        self.pop_content("rights")

    def start_item(self, attrs: Dict) -> None:
        self.entries.append({})
        self.depths.append({})
        self.stack.append(["item", 0, []])
        self.inentry = 1
        self.guidislink = False
        self.title_depth = -1
        if attrs:
            about = attrs.get(self.standard_name("rdf:about"))
            if about:
                self.context()["id"] = about
            self.cdf_common(attrs)

    def end_item(self) -> None:
        self.pop("item")
        self.inentry = 0
        self.has_content = 0

    def end_published(self) -> None:
        value = self.pop("published")
        self.context()["published_parsed"] = feed_date(value)

    def end_updated(self) -> None:
        value = self.pop("updated")
        self.context()["updated_parsed"] = feed_date(value)

    def start_category(self, attrs: Dict) -> None:
        self.add_tag(self.context(), attrs.get("term"),
                     attrs.get("scheme", attrs.get("domain")), attrs.get("label"))
        self.stack.append(["category", 1, []])

    def start_media_category(self, attrs: Dict) -> None:
        attrs.setdefault("scheme", _MEDIA_SCHEME)
        self.start_category(attrs)

    def start_itunes_category(self, attrs: Dict) -> None:
        self.add_tag(self.context(), attrs.get("text"), _ITUNES, None)
        self.stack.append(["category", 1, []])

    def end_category(self) -> None:
        value = self.pop("category")
        if not value:
            return
        context = self.context()
        tags = context["tags"]
        if tags and not tags[-1]["term"]:
            tags[-1]["term"] = value
        else:
            self.add_tag(context, value, None, None)

    def end_tags(self) -> None:
        value = self.pop("tags")
        for term in value.split(",") if value is not None else ():
            self.add_tag(self.context(), term.strip(), None, None)

    def end_itunes_keywords(self) -> None:
        self._keywords("itunes_keywords", _ITUNES)

    def end_media_keywords(self) -> None:
        self._keywords("media_keywords", None)

    def _keywords(self, element: str, scheme: str | None) -> None:
        value = self.pop(element)
        for term in value.split(",") if value is not None else ():
            if term.strip():
                self.add_tag(self.context(), term.strip(), scheme, None)

    def start_link(self, attrs: Dict) -> None:
        attrs.setdefault("rel", "alternate")
        if attrs["rel"] == "self":
            attrs.setdefault("type", "application/atom+xml")
        else:
            attrs.setdefault("type", "text/html")
        context = self.context()
        keeps_text = False
        if "href" in attrs or "url" in attrs or "uri" in attrs:
            attrs = _enforce_href(attrs)
            if "href" in attrs:
                keeps_text = takes_link_text(attrs["href"])
                attrs["href"] = self.resolve(attrs["href"])
        links = context.setdefault("links", [])
        if not (self.inentry and self.inimage):
            links.append(dict(attrs))
        if "href" not in attrs:
            self.stack.append(["link", self.infeed or self.inentry, []])
        elif attrs.get("rel") == "alternate" and _content_type(attrs["type"]) in HTML_TYPES:
            context["link"] = attrs["href"]
        if keeps_text:
            self.stack.append([LINK_TEXT, self.infeed or self.inentry, []])

    def end_link(self) -> None:
        if self.stack and self.stack[-1][0] == LINK_TEXT:
            self.pop(LINK_TEXT)
        self.pop("link")

    def start_guid(self, attrs: Dict) -> None:
        self.guidislink = attrs.get("ispermalink", "true") == "true"
        self.stack.append(["id", 1, []])

    def end_guid(self) -> None:
        value = self.pop("id")
        context = self.context()
        context.setdefault("guidislink", self.guidislink and "link" not in context)
        if self.guidislink:
            context.setdefault("link", value)

    def start_title(self, attrs: Dict) -> None:
        self.push_content("title", attrs, "text/plain", self.infeed or self.inentry)

    def end_title(self) -> None:
        if self.pop_content("title"):
            self.title_depth = self.depth

    def end_media_title(self) -> None:
        depth = self.title_depth
        self.end_title()
        self.title_depth = depth

    def start_description(self, attrs: Dict) -> None:
        if "summary" in self.context() and not self.has_content:
            self.summary_is_content = True
            self.start_content(attrs)
        else:
            self.push_content("description", attrs, "text/html", self.infeed or self.inentry)

    def start_abstract(self, attrs: Dict) -> None:
        self.push_content("description", attrs, "text/plain", self.infeed or self.inentry)

    def end_description(self) -> None:
        if self.summary_is_content:
            self.end_content()
        else:
            self.pop_content("description")
        self.summary_is_content = False

    def start_info(self, attrs: Dict) -> None:
        self.push_content("info", attrs, "text/plain", 1)

    def end_info(self) -> None:
        self.pop_content("info")

    def start_summary(self, attrs: Dict) -> None:
        if "summary" in self.context() and not self.has_content:
            self.summary_is_content = True
            self.start_content(attrs)
        else:
            self.push_content("summary", attrs, "text/plain", 1)

    def end_summary(self) -> None:
        if self.summary_is_content:
            self.end_content()
        else:
            self.pop_content("summary")
        self.summary_is_content = False

    def start_enclosure(self, attrs: Dict) -> None:
        attrs = _enforce_href(attrs)
        attrs["rel"] = "enclosure"
        self.context().setdefault("links", []).append(dict(attrs))

    def start_content(self, attrs: Dict) -> None:
        self.has_content = 1
        self.push_content("content", attrs, "text/plain", 1)
        if attrs.get("src"):
            self.params["src"] = attrs["src"]
        # feedparser pushes "content" twice and pops it once.
        self.stack.append(["content", 1, []])

    def start_body(self, attrs: Dict) -> None:
        self.push_content("content", attrs, _XHTML, 1)

    def start_content_encoded(self, attrs: Dict) -> None:
        self.has_content = 1
        self.push_content("content", attrs, "text/html", 1)

    def end_content(self) -> None:
        kind = self.params.get("type")
        if kind is None:
            raise _Unsupported
        value = self.pop_content("content")
        if kind in _SUMMARY_TYPES:
            self.context().setdefault("summary", value)

    def start_dc_contributor(self, attrs: Dict) -> None:
        self.incontributor = 1
        self.context().setdefault("contributors", []).append({})
        self.stack.append(["name", 0, []])

    def end_dc_contributor(self) -> None:
        self.end_name()
        self.incontributor = 0

    def start_media_content(self, attrs: Dict) -> None:
        self.context().setdefault("media_content", []).append(attrs)

    def start_media_thumbnail(self, attrs: Dict) -> None:
        context = self.context()
        thumbnails = context.setdefault("media_thumbnail", [])
        self.stack.append(["url", 1, []])
        thumbnails.append(attrs)

    def end_media_thumbnail(self) -> None:
        url = self.pop("url")
        context = self.context()
        if url is not None and url.strip() and "url" not in context["media_thumbnail"][-1]:
            context["media_thumbnail"][-1]["url"] = url

    def start_media_rating(self, attrs: Dict) -> None:
        self.context().setdefault("media_rating", attrs)
        self.stack.append(["rating", 1, []])

    def end_media_rating(self) -> None:
        self._media_text("rating", "media_rating")

    def start_media_restriction(self, attrs: Dict) -> None:
        self.context().setdefault("media_restriction", attrs)
        self.stack.append(["restriction", 1, []])

    def end_media_restriction(self) -> None:
        self._media_text("restriction", "media_restriction")

    def start_media_license(self, attrs: Dict) -> None:
        self.context().setdefault("media_license", attrs)
        self.stack.append(["license", 1, []])

    def end_media_license(self) -> None:
        self._media_text("license", "media_license")

    def _media_text(self, element: str, key: str) -> None:
        value = self.pop(element)
        if value is not None and value.strip():
            self.context()[key]["content"] = value

    def start_media_credit(self, attrs: Dict) -> None:
        self.context().setdefault("media_credit", []).append(attrs)
        self.stack.append(["credit", 1, []])

    def end_media_credit(self) -> None:
        value = self.pop("credit")
        if value is not None and value.strip():
            self.context()["media_credit"][-1]["content"] = value

    def start_media_player(self, attrs: Dict) -> None:
        self.stack.append(["media_player", 0, []])
        self.context()["media_player"] = dict(attrs)

    def end_media_player(self) -> None:
        value = self.pop("media_player")
        self.context()["media_player"]["content"] = value

    def start_itunes_owner(self, attrs: Dict) -> None:
        self.inpublisher = 1
        self.stack.append(["publisher", 0, []])

    def end_itunes_owner(self) -> None:
        self.pop("publisher")
        self.inpublisher = 0

    def start_itunes_image(self, attrs: Dict) -> None:
        self.stack.append(["itunes_image", 0, []])
        href = attrs.get("href") or attrs.get("url")
        if href:
            self.context()["image"] = {"href": href}


def _unwrap_div(pieces: list[str]) -> list[str]:
    """feedparser drops a <div> that wraps all of an Atom 1.0 XHTML construct."""
    while len(pieces) > 1 and not pieces[-1].strip():
        del pieces[-1]
    while len(pieces) > 1 and not pieces[0].strip():
        del pieces[0]
    if pieces and (pieces[0] == "<div>" or pieces[0].startswith("<div ")) \
            and pieces[-1] == "</div>":
        depth = 0
        for piece in pieces[:-1]:
            if piece.startswith("</"):
                depth -= 1
                if depth == 0:
                    return pieces
            elif piece.startswith("<") and not piece.endswith("/>"):
                depth += 1
        return pieces[1:-1]
    return pieces


def _ignore(reader: _Reader, attrs: Dict) -> None:
    """A handler that keeps the element's text out of the stack and stores nothing."""


_R = _Reader
_STARTS: dict[str, Callable[[_Reader, Dict], None]] = {
    "rss": _R.start_rss, "channel": _R.start_channel, "feed": _R.start_feed,
    "image": _R.start_image, "textinput": _R.start_textinput,
    "author": _R.start_author, "managingeditor": _R.start_author,
    "dc_author": _R.start_author, "dc_creator": _R.start_author,
    "itunes_author": _R.start_author,
    "contributor": _R.start_contributor, "dc_contributor": _R.start_dc_contributor,
    "subtitle": _R.start_subtitle, "tagline": _R.start_subtitle,
    "itunes_subtitle": _R.start_subtitle,
    "rights": _R.start_rights, "copyright": _R.start_rights, "dc_rights": _R.start_rights,
    "item": _R.start_item, "entry": _R.start_item,
    "category": _R.start_category, "keywords": _R.start_category,
    "dc_subject": _R.start_category, "media_category": _R.start_media_category,
    "itunes_category": _R.start_itunes_category,
    "cloud": _ignore, "link": _R.start_link,
    "guid": _R.start_guid, "id": _R.start_guid,
    "title": _R.start_title, "dc_title": _R.start_title, "media_title": _R.start_title,
    "description": _R.start_description, "dc_description": _R.start_description,
    "media_description": _R.start_description, "abstract": _R.start_abstract,
    "info": _R.start_info, "feedburner_browserfriendly": _R.start_info,
    "summary": _R.start_summary, "itunes_summary": _R.start_summary,
    "enclosure": _R.start_enclosure, "content": _R.start_content,
    "body": _R.start_body, "xhtml_body": _R.start_body,
    "content_encoded": _R.start_content_encoded, "fullitem": _R.start_content_encoded,
    "media_group": _ignore, "media_content": _R.start_media_content,
    "media_thumbnail": _R.start_media_thumbnail, "media_rating": _R.start_media_rating,
    "media_restriction": _R.start_media_restriction,
    "media_license": _R.start_media_license, "media_credit": _R.start_media_credit,
    "media_player": _R.start_media_player, "itunes_owner": _R.start_itunes_owner,
    "itunes_image": _R.start_itunes_image, "itunes_link": _R.start_itunes_image,
}
# Start handlers that only push an entry on the stack.
_PUSHES: dict[str, tuple[str, int]] = {
    "name": ("name", 0),
    "itunes_name": ("name", 0),
    "width": ("width", 0),
    "height": ("height", 0),
    "url": ("href", 1),
    "homepage": ("href", 1),
    "uri": ("href", 1),
    "email": ("email", 0),
    "itunes_email": ("email", 0),
    "language": ("language", 1),
    "dc_language": ("language", 1),
    "webmaster": ("publisher", 1),
    "dc_publisher": ("publisher", 1),
    "published": ("published", 1),
    "issued": ("published", 1),
    "pubdate": ("published", 1),
    "dcterms_issued": ("published", 1),
    "updated": ("updated", 1),
    "modified": ("updated", 1),
    "lastbuilddate": ("updated", 1),
    "dc_date": ("updated", 1),
    "dcterms_modified": ("updated", 1),
    "created": ("created", 1),
    "dcterms_created": ("created", 1),
    "expirationdate": ("expired", 1),
    "tags": ("tags", 1),
    "generator": ("generator", 1),
    "newlocation": ("newlocation", 1),
    "dcterms_valid": ("validity", 1),
}
# End handlers that only pop the entry their element pushed.
_POPS: dict[str, str] = {
    "language": "language",
    "dc_language": "language",
    "webmaster": "publisher",
    "dc_publisher": "publisher",
    "created": "created",
    "dcterms_created": "created",
    "expirationdate": "expired",
    "generator": "generator",
    "newlocation": "newlocation",
    "dcterms_valid": "validity",
    "itunes_block": "itunes_block",
    "itunes_explicit": "itunes_explicit",
}
_ENDS: dict[str, Callable[[_Reader], None]] = {
    "channel": _R.end_feed, "feed": _R.end_feed, "link": _R.end_link,
    "image": _R.end_image, "textinput": _R.end_textinput,
    "author": _R.end_author, "managingeditor": _R.end_author, "dc_author": _R.end_author,
    "dc_creator": _R.end_author, "itunes_author": _R.end_author,
    "contributor": _R.end_contributor, "dc_contributor": _R.end_dc_contributor,
    "name": _R.end_name, "itunes_name": _R.end_name,
    "width": _R.end_width, "height": _R.end_height,
    "url": _R.end_url, "homepage": _R.end_url, "uri": _R.end_url,
    "email": _R.end_email, "itunes_email": _R.end_email,
    "subtitle": _R.end_subtitle, "tagline": _R.end_subtitle,
    "itunes_subtitle": _R.end_subtitle,
    "rights": _R.end_rights, "copyright": _R.end_rights, "dc_rights": _R.end_rights,
    "item": _R.end_item, "entry": _R.end_item,
    "published": _R.end_published, "issued": _R.end_published, "pubdate": _R.end_published,
    "dcterms_issued": _R.end_published,
    "updated": _R.end_updated, "modified": _R.end_updated, "lastbuilddate": _R.end_updated,
    "dc_date": _R.end_updated, "dcterms_modified": _R.end_updated,
    "category": _R.end_category, "keywords": _R.end_category, "dc_subject": _R.end_category,
    "media_category": _R.end_category, "itunes_category": _R.end_category,
    "tags": _R.end_tags, "itunes_keywords": _R.end_itunes_keywords,
    "media_keywords": _R.end_media_keywords, "guid": _R.end_guid, "id": _R.end_guid,
    "title": _R.end_title, "dc_title": _R.end_title, "media_title": _R.end_media_title,
    "description": _R.end_description, "abstract": _R.end_description,
    "dc_description": _R.end_description, "media_description": _R.end_description,
    "info": _R.end_info, "feedburner_browserfriendly": _R.end_info,
    "summary": _R.end_summary, "itunes_summary": _R.end_summary,
    "content": _R.end_content, "body": _R.end_content, "xhtml_body": _R.end_content,
    "content_encoded": _R.end_content, "fullitem": _R.end_content,
    "media_thumbnail": _R.end_media_thumbnail, "media_rating": _R.end_media_rating,
    "media_restriction": _R.end_media_restriction, "media_license": _R.end_media_license,
    "media_credit": _R.end_media_credit, "media_player": _R.end_media_player,
    "itunes_owner": _R.end_itunes_owner,
}
