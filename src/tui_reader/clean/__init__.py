"""Turn a downloaded page into a clean `Article`.

The steps: read metadata from the untouched tree (`metadata`), strip what is never article text
(`boilerplate`), let paragraphs vote for the article's container (`score`), walk it into blocks
(`blocks`, diverting related reads via `related`), then tidy the top of the body, where sites
repeat the headline and print the byline and date.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui_reader.clean import metadata, related, score, select, tags
from tui_reader.clean.blocks import BodyBuilder
from tui_reader.clean.dates import is_date_line, parse_date
from tui_reader.clean.htmltree import parse_html, parse_page
from tui_reader.clean.metadata import Metadata
from tui_reader.models import Article, Block, FeedEntry, Link
from tui_reader.sanitize import clean_line

__all__ = ["MAX_BODY_CHARS", "MIN_BODY_CHARS", "article_with_fallback", "extract_article"]

MIN_BODY_CHARS = 200
# The reader view renders this much quickly; longer bodies are cut and flagged `truncated`.
MAX_BODY_CHARS = 200_000
_BYLINE = re.compile(rf"^\s*{metadata.BYLINE_LEAD}\s+(.{{2,80}}?)\s*$", re.I)
_BYLINE_TAIL = re.compile(r"\s*(?:[,|·•–—-]\s*|\bon\s+|\bpublished\b|\bupdated\b).*$", re.I)
_SEPARATORS = re.compile(r"\s+(?:[|–—:»·•-]|::)\s+")
_TOP_BLOCKS = 4
_NON_WORDS = re.compile(r"\W+")
_SURROUNDINGS = tags.ids(("article", "main", "body"))
_QUERY = f"{metadata.QUERY}, {score.QUERY}"


def _norm(text: str) -> str:
    return _NON_WORDS.sub(" ", text).strip().casefold()


def _surroundings(roots: list[LexborNode]) -> LexborNode | None:
    """Where a byline or date would be printed: the article element around the body, else a
    few levels up from it."""
    node = roots[0].parent if roots else None
    for _ in range(4):
        if node is None or node.tag_id in _SURROUNDINGS:
            break
        node = node.parent
    return node


def _title(meta: Metadata, tree: LexborHTMLParser) -> tuple[str, bool]:
    """The declared title, else the first <h1>, else <title>; and whether it was one of the
    first two (a bare <title> still carries the site's name and section)."""
    if meta.title:
        return meta.title, True
    # Lexbor's own search by tag name finds what the selector engine would, in document
    # order, without parsing a selector.
    headings = tree.tags("h1")
    if headings and (text := clean_line(headings[0].text(separator=" "))):
        return text, True
    titles = tree.tags("title")
    return (clean_line(titles[0].text()) if titles else ""), False


# A site's name after the headline: "Headline – Site", "Headline | Site", "Headline -- Site".
_SITE_TAIL = re.compile(r"\s+(?:\||–|—|--?|::|·)\s+([^|–—]{2,60})$")
_LETTERS = re.compile(r"[\W_]+")


def _without_site(title: str, site_name: str | None, url: str | None) -> str:
    """The headline without a trailing site name: one that is the page's declared site name,
    its host, or any last segment after a bar (a headline rarely has one)."""
    match = _SITE_TAIL.search(title)
    if match is None:
        return title
    tail = _LETTERS.sub("", match[1]).casefold()
    host = _LETTERS.sub("", urlsplit(url).hostname or "").casefold() if url else ""
    known = bool(tail) and (
        tail == _LETTERS.sub("", site_name or "").casefold() or (len(tail) > 3 and tail in host))
    if known or (match[0].lstrip().startswith("|") and len(match[1].split()) <= 5):
        return title[: match.start()].rstrip() or title
    return title


def _tidy_top(blocks: list[Block], article: Article, declared: bool) -> list[Block]:
    """Drop headline copies, byline and date lines near the top, learning author/date from
    them when the metadata had none. Short lines above the headline copy (a kicker, a notice
    box, a breadcrumb) are page furniture, not the story, and go too.

    A title read from <title> (not `declared`) may carry the site's name and section around
    the headline; the segment the page prints as its headline, or a heading at the top that
    contains a segment, is the real title."""
    title = _norm(article.title)
    segments = {_norm(part): part.strip() for part in _SEPARATORS.split(article.title)}
    words = [] if declared else [segment for segment in segments if len(segment) > 3]
    kept: list[Block] = []
    lead = 0  # how many of `kept` are short lines above any headline copy seen yet
    for index, block in enumerate(blocks):
        if index >= _TOP_BLOCKS:
            kept.extend(blocks[index:])
            break
        text = block.text
        if block.kind == "img" or block.kind not in ("p", "h") or len(text) > 150:
            kept.append(block)
            continue
        normal = _norm(text)
        headline = bool(title) and (normal == title or (block.kind == "h" and block.level == 1))
        if not headline and len(segments) > 1 and normal in segments:
            article.title = segments[normal]
            headline = True
        elif not headline and block.kind == "h" and any(w in normal for w in words):
            article.title = text
            headline = True
        if headline:
            if lead:
                kept = [b for b in kept if b.kind == "img" or len(b.text) > 150
                        or b.kind not in ("p", "h")]
                lead = 0
            continue
        byline = _BYLINE.match(text)
        if byline:
            article.author = article.author or clean_line(_BYLINE_TAIL.sub("", byline[1])) or None
            article.published = article.published or parse_date(byline[1])
            continue
        if is_date_line(text):
            article.published = article.published or parse_date(text)
            continue
        kept.append(block)
        lead += 1
    return kept


def extract_article(html: str | bytes, url: str | None = None,
                    content_type: str | None = None) -> Article:
    """Always returns an Article; an empty `.text` means no article was found. A page's
    bytes are decoded by their HTTP `content_type`, BOM or own declaration."""
    tree = parse_page(html, content_type) if isinstance(html, bytes) else parse_html(html)
    root = tree.root
    # One CSS query for the whole page: each query parses its selector and walks the tree.
    # The parser puts every element in <head> or <body>, and nothing that votes in <head>.
    meta_nodes: list[LexborNode] = []
    roots = score.find_content(select.css(root, _QUERY) if root is not None else [], meta_nodes)
    meta = metadata.read_metadata(url, meta_nodes, _surroundings(roots) or tree.body)
    title, declared = _title(meta, tree)
    title = _without_site(title, meta.site_name, meta.url or url)
    article = Article(url=meta.url, title=title, author=meta.author,
                      published=meta.published, image=meta.image, tags=meta.tags,
                      site_name=meta.site_name)
    if not roots:
        return article
    builder = BodyBuilder(article.url or url, MAX_BODY_CHARS)
    builder.build(roots)
    if not any(b.kind != "img" for b in builder.blocks):
        # Every block of the article's box was dropped by its class (`WidgetArea`, a
        # builder's `module-meta`): the box won on its prose, so its names mislead.
        builder = BodyBuilder(article.url or url, MAX_BODY_CHARS, hints=False)
        builder.build(roots)
    article.blocks = _tidy_top(builder.blocks, article, declared)
    found = builder.related + related.also_read(builder.also_read, tree.body, article.url or url)
    article.related = _unique(found, article.url)
    article.truncated = builder.truncated
    if not any(b.kind != "img" for b in article.blocks):
        article.blocks = []
    return article


def _unique(links: list[Link], page_url: str | None) -> list[Link]:
    seen = {page_url}
    out = []
    for link in links:
        if link.url not in seen and link.title:
            seen.add(link.url)
            out.append(link)
    return out


def article_with_fallback(page: Article | None, entry: FeedEntry) -> Article:
    """A page that yields too little text gives way to the feed's content, then its summary."""
    if page is not None and len(page.text) >= MIN_BODY_CHARS:
        return _with_entry_meta(page, entry)
    for source, markup in (("feed-content", entry.content), ("feed-summary", entry.summary)):
        if not markup.strip():
            continue
        body = _fragment(markup, entry.link)
        if body.text and (page is None or len(body.text) > len(page.text)):
            base = page or Article(url=entry.link)
            base.blocks, base.source = body.blocks, source  # type: ignore[assignment]
            base.related = base.related or body.related
            base.truncated = body.truncated
            return _with_entry_meta(base, entry)
    return _with_entry_meta(page or Article(url=entry.link, source="none"), entry)


# What an HTML parser acts on in text: markup, references, and the characters it replaces,
# normalises or drops. Text without any of them is one text node, as it is.
_UNPLAIN = ("<", "&", "\r", "\x00", "\ufeff")


def _fragment(markup: str, base: str | None) -> Article:
    """A feed's HTML is all article: no container to find, however short it is. Many feeds'
    summaries are plain text, which needs no parse."""
    builder = BodyBuilder(base, MAX_BODY_CHARS)
    if not any(c in markup for c in _UNPLAIN):
        builder.build_text(markup)
    elif (body := parse_html(markup).body) is not None:
        builder.build([body])
    return Article(url=base, blocks=builder.blocks,
                   related=_unique(builder.related, base), truncated=builder.truncated)


def _with_entry_meta(article: Article, entry: FeedEntry) -> Article:
    """What the page did not say (a lead image, an author, a date), the feed may have. The
    feed's title wins over the page's: it is the publisher's headline, where a page's first
    heading is often a section name, a placeholder or the site's name."""
    article.title = clean_line(entry.title) or article.title
    article.author = article.author or entry.author
    article.published = article.published or entry.published
    article.image = article.image or entry.image
    article.tags = article.tags or list(entry.categories)
    article.url = article.url or entry.link
    article.enclosures = article.enclosures or list(entry.enclosures)
    return article
