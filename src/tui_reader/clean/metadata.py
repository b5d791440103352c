"""Article metadata, read in order of trust: JSON-LD, OpenGraph/Twitter, standard meta,
microformats. Visible byline and date lines are handled later, by the body builder, because
they sit among the body's own blocks."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from selectolax.lexbor import LexborNode

from tui_reader.clean import select, tags
from tui_reader.clean.dates import parse_date
from tui_reader.clean.related import absolute
from tui_reader.clean.text import MAX_LINE
from tui_reader.sanitize import clean_line

_ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "review", "techarticle", "scholarlyarticle",
    "socialmediaposting", "liveblogposting", "backgroundnewsarticle",
})
_TAG_META = frozenset({"article:tag", "parsely-tags", "news_keywords"})
_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                "dcterms.creator", "byl", "twitter:creator")
_DATE_META = ("article:published_time", "parsely-pub-date", "datepublished", "dc.date.issued",
              "dcterms.created", "dc.date", "dcterms.date", "sailthru.date", "pubdate",
              "publish-date", "date", "og:published_time", "article:modified_time")
_AUTHOR_MICRO = ("[itemprop=author] [itemprop=name], .h-entry .p-author, "
                 ".hentry .author .fn, .vcard .fn, [itemprop=author], "
                 "a[rel=author], .byline .author, .author-name, .byline")
_DATE_MICRO = ("[itemprop=datePublished], time.published, time.entry-date, .h-entry .dt-published, "
               "time[pubdate], time[datetime]")
QUERY = 'meta[content], script[type="application/ld+json"], link[rel=canonical]'
# How a credit line opens: "By", "Written by", "Reviewed by", "Interview by"...
BYLINE_LEAD = (r"(?:(?:written|posted|words|story|text|reviewed|reported|interview(?:ed)?)"
               r"\s+)?by")
_BY = re.compile(rf"^\s*{BYLINE_LEAD}[:\s]+", re.I)
_SPLIT_TAGS = re.compile(r"\s*[,;|]\s*")
_META, _SCRIPT, _LINK = (tags.tag_id(name) for name in ("meta", "script", "link"))


@dataclass(slots=True)
class Metadata:
    """What the page says about itself, before the body is read."""

    title: str = ""
    author: str | None = None
    published: datetime | None = None
    image: str | None = None
    tags: list[str] = field(default_factory=list)
    site_name: str | None = None
    url: str | None = None


def _text(value: object) -> str:
    """JSON-LD strings are not HTML-decoded by the parser, so entities are undone here."""
    return clean_line(html.unescape(value)) if isinstance(value, str) else ""


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _walk_ld(data: object, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk_ld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk_ld(data["@graph"], depth + 1)


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [_text(value)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value[:10] for name in _names(item)]
    return []


def _first_url(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _first_url(value.get("url") or value.get("contentUrl") or value.get("@id"))
    if isinstance(value, list) and value:
        return _first_url(value[0])
    return None


def _words(value: object) -> list[str]:
    if isinstance(value, str):
        return [t for t in (_text(v) for v in _SPLIT_TAGS.split(value)) if t]
    if isinstance(value, list):
        return [t for item in value[:50] for t in _words(item)]
    return []


def _json_ld(scripts: list[LexborNode]) -> dict[str, Any]:
    """The first article object among the page's JSON-LD scripts, else the first WebPage."""
    fallback: dict[str, Any] = {}
    for script in scripts:
        try:
            data = json.loads(script.text().strip() or "null")
        except (ValueError, RecursionError):
            continue
        for item in _walk_ld(data):
            kinds = _types(item)
            if kinds & _ARTICLE_TYPES:
                return item
            if "webpage" in kinds and not fallback:
                fallback = item
    return fallback


def _metas(nodes: list[LexborNode]) -> tuple[dict[str, str], list[str]]:
    """Meta tags by lowercased property/name/itemprop (first wins), and the raw value of every
    article:tag (split and cleaned only when JSON-LD names no keywords: pages list dozens)."""
    found: dict[str, str] = {}
    tag_values: list[str] = []
    for node in nodes:
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        value = attrs.get("content")
        if not key or not value:
            continue
        if key in _TAG_META:
            tag_values.append(value)
        found.setdefault(key, value)
    return found, tag_values


def _first(found: dict[str, str], keys: tuple[str, ...]) -> str | None:
    """The first of these meta values that is not blank, cleaned (only used values are)."""
    if found.keys().isdisjoint(keys):  # the usual answer, found without a Python loop
        return None
    for key in keys:
        if key in found and (value := clean_line(found[key])):
            return value
    return None


def _micro(scope: LexborNode | None, selector: str) -> LexborNode | None:
    """The first match that says something. The first match nearly always does, and finding
    it alone stops the walk early."""
    if scope is None:
        return None
    first = select.css_first(scope, selector)
    if first is None or _says(first):
        return first
    return next((node for node in select.css(scope, selector) if _says(node)), None)


def _says(node: LexborNode) -> bool:
    attrs = node.attributes
    return bool(node.text(strip=True) or attrs.get("datetime") or attrs.get("content"))


def _person(value: str | None) -> str | None:
    """A name, not a profile URL or a bare handle; "By " prefixes dropped."""
    if not value:
        return None
    value = _BY.sub("", clean_line(value)).strip(" ,|·-")
    if not value or value.startswith(("http://", "https://", "@")) or len(value) > 100:
        return None
    return value


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [i for i in items if not (i.lower() in seen or seen.add(i.lower()))]  # type: ignore[func-returns-value]


def read_metadata(url: str | None, nodes: list[LexborNode], scope: LexborNode | None) -> Metadata:
    """Every field from the most trusted source that has it.

    `nodes` are the page's `QUERY` matches, selected by the caller together with other
    elements because every CSS query costs a walk over the whole tree. Microformats are
    looked for only within `scope` (the article's surroundings) for the same reason."""
    metas_found: list[LexborNode] = []
    scripts: list[LexborNode] = []
    links: list[LexborNode] = []
    by_tag = {_META: metas_found, _SCRIPT: scripts, _LINK: links}
    for node in nodes:
        if (group := by_tag.get(node.tag_id)) is not None:
            group.append(node)
    ld = _json_ld(scripts)
    metas, meta_tags = _metas(metas_found)
    meta = Metadata()

    meta.title = (_text(ld.get("headline")) or _first(metas, ("og:title", "twitter:title"))
                  or "")[:MAX_LINE]
    authors = _dedupe([a for a in _names(ld.get("author")) if _person(a)])
    author = ", ".join(authors) or _person(_first(metas, _AUTHOR_META))
    if not author:
        byline = _micro(scope, _AUTHOR_MICRO)
        if byline is not None:
            author = _person(byline.attributes.get("content") or byline.text(separator=" "))
    meta.author = author[:MAX_LINE] if author else author

    meta.published = parse_date(_text(ld.get("datePublished"))) or parse_date(
        _first(metas, _DATE_META))
    if meta.published is None:
        stamp = _micro(scope, _DATE_MICRO)
        if stamp is not None:
            attrs = stamp.attributes
            meta.published = parse_date(attrs.get("datetime") or attrs.get("content")
                                        or stamp.text(strip=True))

    canonical = links[0].attributes.get("href") if links else None
    candidates = (canonical, _first(metas, ("og:url",)),
                  _first_url(ld.get("url")))
    base = url or ""
    meta.url = next((u for c in candidates if (u := absolute(base, c))), None) or url

    image = _first_url(ld.get("image")) or _first(metas, ("og:image", "og:image:url",
                                                          "twitter:image", "twitter:image:src"))
    meta.image = absolute(meta.url or base, image)

    section = _words(ld.get("articleSection")) or _words(_first(metas, ("article:section",)))
    keywords = _words(ld.get("keywords")) or [t for value in meta_tags for t in _words(value)]
    meta.tags = [tag[:MAX_LINE] for tag in _dedupe(section + keywords)[:30]]

    # og:site_name before JSON-LD here: publishers often name the parent company in JSON-LD.
    publisher = ld.get("publisher")
    site_name = (_first(metas, ("og:site_name", "application-name"))
                 or next(iter(_names(publisher)), None))
    meta.site_name = site_name[:MAX_LINE] if site_name else None
    return meta
