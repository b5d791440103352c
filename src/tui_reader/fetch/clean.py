"""Turn a downloaded page into a clean `Article` (a first, simple cleaner)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui_reader.fetch.charset import decode
from tui_reader.models import Article, Block, FeedEntry, Link, Span
from tui_reader.sanitize import clean_line, clean_text, safe_url

_DROP = "script, style, noscript, nav, header, footer, aside, form, iframe, svg, [hidden]"
_BLOCKS = {"p": "p", "h2": "h", "h3": "h", "h4": "h", "ul": "ul", "ol": "ol",
           "blockquote": "quote", "pre": "pre"}
_RELATED_PREFIXES = ("also read", "read more", "related", "see also")
MIN_BODY_CHARS = 200
_WS = re.compile(r"\s+")


def _meta(tree: LexborHTMLParser, *names: str) -> str | None:
    for name in names:
        node = tree.css_first(f'meta[property="{name}"], meta[name="{name}"]')
        if node is not None and node.attributes.get("content"):
            return clean_line(node.attributes["content"] or "") or None
    return None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _absolute(base: str | None, href: str | None) -> str | None:
    return safe_url(urljoin(base or "", href.strip())) if href else None


def _spans(node: LexborNode, base: str | None) -> list[Span]:
    spans: list[Span] = []
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            spans.append(Span(child.text_content or ""))
        elif child.tag == "a":
            href = _absolute(base, child.attributes.get("href"))
            spans.append(Span(child.text(), href))
        elif child.tag == "br":
            spans.append(Span(" "))
        else:
            spans.extend(_spans(child, base))
    return _tidy(spans)


def _tidy(spans: list[Span]) -> list[Span]:
    out = [Span(_WS.sub(" ", clean_text(s.text)), s.href) for s in spans]
    out = [s for s in out if s.text]
    if not "".join(s.text for s in out).strip():
        return []
    out[0] = Span(out[0].text.lstrip(), out[0].href)
    out[-1] = Span(out[-1].text.rstrip(), out[-1].href)
    return [s for s in out if s.text]


def _related(spans: list[Span]) -> list[Link] | None:
    text = "".join(s.text for s in spans).strip().lower()
    links = [Link(clean_line(s.text), s.href) for s in spans if s.href]
    if links and text.startswith(_RELATED_PREFIXES):
        return links
    return None


def extract_article(html: str | bytes, url: str | None = None) -> Article:
    """Always returns an Article; an empty `.text` means no article was found."""
    if isinstance(html, bytes):
        html = decode(html)
    tree = LexborHTMLParser(html)
    title = _meta(tree, "og:title", "twitter:title")
    h1 = tree.css_first("h1")
    if not title and h1 is not None:
        title = clean_line(h1.text())
    if not title:
        node = tree.css_first("title")
        title = clean_line(node.text()) if node is not None else ""
    canonical = tree.css_first('link[rel="canonical"]')
    if canonical is not None:
        url = safe_url(urljoin(url or "", canonical.attributes.get("href") or "")) or url
    article = Article(
        url=url,
        title=title,
        author=_meta(tree, "author", "article:author", "parsely-author"),
        published=_date(_meta(tree, "article:published_time", "date", "parsely-pub-date")),
        image=_absolute(url, _meta(tree, "og:image", "twitter:image")),
        site_name=_meta(tree, "og:site_name"),
    )
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.css_first("article, [itemprop=articleBody], main") or tree.body
    if root is None:
        return article
    for node in root.css("p, h2, h3, h4, ul, ol, blockquote, pre"):
        kind = _BLOCKS[node.tag or "p"]
        if node.parent is not None and node.parent.tag in ("li", "blockquote"):
            continue
        if kind in ("ul", "ol"):
            lines = [s for s in (_spans(li, url) for li in node.css("li")) if s]
        else:
            lines = [s for s in [_spans(node, url)] if s]
        if not lines:
            continue
        related = _related(lines[0]) if kind == "p" else None
        if related:
            article.related.extend(related)
            continue
        if kind == "h" and clean_line("".join(s.text for s in lines[0])) == title:
            continue
        level = int(node.tag[1]) if kind == "h" and node.tag else 0
        article.blocks.append(Block(kind, lines, level))  # type: ignore[arg-type]
    return article


def article_with_fallback(page: Article | None, entry: FeedEntry) -> Article:
    """A page that yields too little text gives way to the feed's content, then its summary."""
    if page is not None and len(page.text) >= MIN_BODY_CHARS:
        return page
    for source, markup in (("feed-content", entry.content), ("feed-summary", entry.summary)):
        if not markup.strip():
            continue
        body = extract_article(f"<html><body><article>{markup}</article></body></html>", entry.link)
        if body.text and (page is None or len(body.text) > len(page.text)):
            base = page or Article(url=entry.link)
            base.blocks, base.source = body.blocks, source  # type: ignore[assignment]
            base.title = base.title or entry.title
            return _with_entry_meta(base, entry)
    return _with_entry_meta(page or Article(url=entry.link, source="none"), entry)


def _with_entry_meta(article: Article, entry: FeedEntry) -> Article:
    article.title = article.title or entry.title
    article.author = article.author or entry.author
    article.published = article.published or entry.published
    article.image = article.image or entry.image
    article.tags = article.tags or list(entry.categories)
    article.url = article.url or entry.link
    return article
