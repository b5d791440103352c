"""Turn the chosen elements into `Block`s: walk them in page order, keep prose and structure,
drop boilerplate, and divert related reads.

The walk is the cleaner's hottest loop, so elements are told apart by Lexbor tag id (see
`tags`), text nodes are handled inline, and a line's runs are plain strings unless it holds a
link. Recursion is bounded: below `_MAX_DEPTH` a subtree is taken as plain text, so
pathological nesting costs time proportional to its size and never a RecursionError.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import cast

from selectolax.lexbor import LexborNode

from tui_reader.clean import boilerplate, embeds, related, select, tags
from tui_reader.clean.boilerplate import Verdict
from tui_reader.models import Block, Link, Span
from tui_reader.sanitize import clean_text

_MAX_DEPTH = 100
_TEXT = tags.TEXT
_CUSTOM = tags.CUSTOM
# How the walk treats an element, by tag id.
_SKIP, _BREAK, _INLINE, _BOLD, _FONT, _BIG, _ANCHOR, _BLOCK, _EMBED = range(9)
_INLINE_TAGS = (
    "span", "em", "i", "u", "small", "sup", "sub", "mark", "abbr", "cite", "q", "code", "time",
    "font", "s", "del", "ins", "label", "big", "tt", "kbd", "var", "dfn", "bdi", "bdo", "nobr",
    "acronym", "strike", "data", "samp", "ruby", "rb", "rt", "rp",
)
_FONT_ID = tags.tag_id("font")
_BOLD_TAGS = ("b", "strong")
_SKIP_TAGS = (
    "form", "header", "footer", "aside", "nav", "figcaption", "button", "select", "input",
    "textarea", "script", "style", "noscript", "template", "svg", "object", "embed", "canvas",
    "map", "dialog", "wbr", "head", "title", "meta", "link", "hr",
)
# Boxes skipped inside the article that can still be the article's own box (a page wrapped
# in one <form>, a post inside <header>).
_SKIPPED_BOXES = tags.ids(("form", "header", "footer", "aside", "nav"))
_SKIP_CUSTOM = frozenset({"amp-ad", "amp-embed", "amp-analytics", "amp-social-share",
                          "amp-sidebar", "amp-consent"})
_ROLE: dict[int, int] = {
    0: _SKIP, 1: _SKIP, tags.DOCUMENT: _SKIP, tags.COMMENT: _SKIP, 5: _SKIP,  # not elements
    tags.tag_id("br"): _BREAK, tags.tag_id("a"): _ANCHOR,
    **dict.fromkeys(tags.ids(_INLINE_TAGS), _INLINE),
    **dict.fromkeys(tags.ids(_BOLD_TAGS), _BOLD),
    _FONT_ID: _FONT, tags.tag_id("big"): _BIG,
    **dict.fromkeys(tags.ids(_SKIP_TAGS), _SKIP),
    **dict.fromkeys(tags.ids(("iframe", "video", "audio")), _EMBED),
}
# What may sit inside a link that is still one span of text (else the link is a teaser card).
_IN_LINK = tags.ids((*_INLINE_TAGS, *_BOLD_TAGS, "br", "img")) | {tags.COMMENT}
_LEVELS = {tags.tag_id(f"h{n}"): n for n in range(1, 7)}
_LI = tags.tag_id("li")
_IMG = tags.tag_id("img")
_IMGS = frozenset({_IMG})
# What makes a table row a box of blocks rather than one line (and `amp-img`, a custom tag).
_BLOCK_INSIDE = tags.ids(("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "figure",
                          "table", "img", "section"))
_SRC_ATTRS = ("data-src", "data-lazy-src", "data-original", "src")
# A bold line this short is a subhead (old layouts and many CMS bodies print them as <b> or
# <p><strong> rather than <h2>) when it is set larger than its surroundings or does not end
# like a sentence: a bold question in plain type is an interviewer's, not a section's.
_SUBHEAD_MAX = 100
_SUBHEAD_LEVEL = 3
_SENTENCE_END = re.compile(r"[.!?…:;,][\"'”’)\]]*$")
_FONT_SIZE = re.compile(r"\s*([+-]?)([1-7])\s*$")
_DEFAULT_SIZE = 3
_WORD = re.compile(r"[^\W_]")

# A run of a line: plain text, or a link's (text, absolute URL or "" when not followable).
Run = str | tuple[str, str]


def squash(text: str) -> str:
    """Web text with whitespace runs folded to one space, trimmed, and passed through
    `clean_text` only when something unprintable is left (splitting first is what keeps this
    cheap; the result is the same). Printable text has no whitespace but the ASCII space, so
    most paragraphs need no splitting at all."""
    if text.isprintable():
        return text.strip() if "  " not in text else " ".join(text.split())
    core = " ".join(text.split())
    if not core.isprintable():
        core = " ".join(clean_text(core).split())
    return core


def _collapse(text: str) -> str:
    """`squash`, but an edge whitespace run stays one space: it separates the run from its
    neighbours."""
    core = squash(text)
    if not core:
        return " " if text else ""
    return f"{' ' if text[0].isspace() else ''}{core}{' ' if text[-1].isspace() else ''}"


def line_text(line: list[Span]) -> str:
    return line[0].text if len(line) == 1 else "".join([span.text for span in line])


def _line_link(line: list[Span]) -> Link:
    """A list item of a related-reads list: the whole item as title, its first link as URL."""
    return Link(line_text(line), next(s.href for s in line if s.href))


def _font_size(value: str | None, current: int) -> int:
    """The size a <font size> sets: absolute 1-7, or relative to the size around it."""
    match = _FONT_SIZE.match(value or "")
    if match is None:
        return current
    sign, size = match[1], int(match[2])
    return size if not sign else current + size if sign == "+" else current - size


class BodyBuilder:
    """Accumulates blocks and related links while walking the article's elements. Without
    `hints`, class and id names drop nothing (hidden elements still go)."""

    def __init__(self, base: str | None, cap: int, hints: bool = True) -> None:
        self.base = base
        self.cap = cap
        self.hints = hints
        self._urls: dict[str, str | None] = {}
        self.blocks: list[Block] = []
        self.related: list[Link] = []
        self.truncated = False
        self._length = 0
        self._flat = 0
        self._in_p = 0
        self._breaks = 0
        self._root: LexborNode | None = None
        self._scope = 0  # the root's text length, read when first needed
        self._bold = 0
        self._type_size = _DEFAULT_SIZE
        self._big = 0  # how many enclosing elements set a larger type than around them
        # The line being gathered, and what is known about it so far.
        self._line: list[Run] = []
        self._anchors = 0
        self._bolded = False
        self._loose = False
        self._plain_size = False
        # What `_take_line` learnt about the line it finished.
        self._linked = 0
        self._wordy = False
        # A "You may also like" heading just seen: the link lines under it are related reads.
        self._related_heading: Block | None = None
        # Headlines of unlinked "ALSO READ- <headline>" lines, for `also_read` to look up.
        self.also_read: list[str] = []

    def build(self, roots: list[LexborNode]) -> None:
        for root in roots:
            if self.truncated:
                break
            self._root, self._scope = root, 0
            tag_id = root.tag_id
            if tag_id in _SKIPPED_BOXES:
                self._children(root, 0)  # chosen as the article: not chrome on this page
            elif (role := _ROLE.get(tag_id, _BLOCK)) != _SKIP:
                self._element(root, 0, tag_id, role, check=False)
            self._flush()

    def build_text(self, text: str) -> None:
        """Text with nothing a parser would change (no character of `clean._UNPLAIN`), as
        its parsed tree would give it: one text node, without the parse."""
        self._text(text)
        self._flush()

    # -- walking --------------------------------------------------------------------------

    def _children(self, node: LexborNode, depth: int) -> None:
        depth += 1
        element, text, roles = self._element, self._text, _ROLE
        for child in node.iter(include_text=True):
            tag_id = child.tag_id
            if tag_id == _TEXT:
                text(child.text_content)
            elif (role := roles.get(tag_id, _BLOCK)) != _SKIP:  # skipped without a call
                element(child, depth, tag_id, role)
                if self.truncated:
                    return

    def _element(self, node: LexborNode, depth: int, tag_id: int, role: int,
                 check: bool = True) -> None:
        """One element by its `role` in `_ROLE` (a custom element's is settled here). The
        roles are tested in the order of how often they occur in articles."""
        custom = tag_id >= _CUSTOM
        if custom and node.tag in _SKIP_CUSTOM:
            return
        if depth > _MAX_DEPTH:
            self._text(node.text(separator=" "))
            return
        attrs = node.attributes if check or role in (_ANCHOR, _FONT) else None
        if check and attrs and (verdict := boilerplate.verdict_of(attrs)) is not Verdict.KEEP \
                and self._drop(node, verdict):
            return
        if role == _BLOCK:
            if self._flat:
                self._text(" ")
                self._children(node, depth)
                self._text(" ")
                return
            self._flush()
            handler = _CUSTOM_HANDLERS.get(node.tag or "") if custom else _HANDLERS.get(tag_id)
            if handler is None:
                self._children(node, depth)
            else:
                handler(self, node, depth)
            self._flush()
        elif role == _ANCHOR:
            self._anchor(node, depth, attrs or {})
        elif role == _INLINE:
            self._children(node, depth)
        elif role == _BOLD:
            self._bold += 1
            self._children(node, depth)
            self._bold -= 1
        elif role == _BREAK:
            self._break()
        elif role == _EMBED:
            if not self._flat and (found := embeds.from_frame(node, self.base)) is not None:
                self._flush()
                self._add(found)
        else:
            self._sized(node, depth, attrs, role == _BIG)

    def _drop(self, node: LexborNode, verdict: Verdict) -> bool:
        """Hidden elements and boilerplate boxes (by their verdict, not KEEP); a related box
        yields its links first. A box holding most of the article's text is never dropped on
        its class alone."""
        if verdict is Verdict.HIDDEN:
            return True
        if not self.hints:
            return False
        if not self._scope and self._root is not None:
            self._scope = max(len(self._root.text()), 1)
        if len(node.text()) > 0.5 * self._scope:
            return False
        if verdict is Verdict.RELATED:
            self._flush()
            self.related.extend(related.harvest(node, self.base))
        return True

    def _sized(self, node: LexborNode, depth: int, attrs: dict[str, str | None] | None,
               big: bool) -> None:
        """<font size> and <big>: a line set larger than its surroundings may be a subhead."""
        around = self._type_size
        size = around + 1 if big else _font_size((attrs or {}).get("size"), around)
        larger = size > around
        self._type_size = size
        self._big += larger
        self._children(node, depth)
        self._big -= larger
        self._type_size = around

    def _anchor(self, node: LexborNode, depth: int, attrs: dict[str, str | None]) -> None:
        """A link is one span, unless it wraps blocks (a teaser card): then its content.
        A link that cannot be followed (javascript:, mailto:) is kept as text but still
        counts as link text, as it does for a reader scanning the page."""
        for child in node.iter():
            if child.tag_id not in _IN_LINK:
                self._children(node, depth)
                return
        text = node.text()
        if not text.strip():
            return
        if "href" not in attrs:
            self._text(text)
            return
        self._breaks = 0
        self._anchors += 1
        self._line.append((text, self._absolute(attrs["href"]) or ""))

    def _absolute(self, href: str | None) -> str | None:
        """`related.absolute` against the page's URL, remembered: a page links the same
        places many times (menus, a picture and its headline)."""
        if not href:
            return None
        url = self._urls.get(href, "")
        if url == "":
            url = self._urls[href] = related.absolute(self.base, href)
        return url

    def _text(self, text: str | None) -> None:
        """Text into the line, noting whether the line so far is all bold and all set large
        (a subhead) and that it is not only whitespace."""
        if not text:
            return
        if not text.isspace():
            self._breaks = 0
            if self._bold:
                self._bolded = True
            else:
                self._loose = True
            if not self._big:
                self._plain_size = True
        elif not self._line:
            return  # a line never starts with a space: indentation between blocks
        self._line.append(text)

    def _break(self) -> None:
        """Outside a <p> (old layouts have none) a <br> ends the paragraph; inside one, only
        two in a row do, and a single one is a space."""
        self._breaks += 1
        if self._flat or (self._in_p and self._breaks < 2):
            self._line.append(" ")
        else:
            self._flush()

    # -- block elements -------------------------------------------------------------------

    def _heading(self, node: LexborNode, depth: int) -> None:
        self._children(node, depth)
        self._flush("h", _LEVELS[node.tag_id])

    def _paragraph(self, node: LexborNode, depth: int) -> None:
        self._in_p += 1
        self._children(node, depth)
        self._in_p -= 1

    def _row(self, node: LexborNode, depth: int) -> None:
        """A table row without block content is one line, its cells separated by spaces."""
        if _first_below(node, _BLOCK_INSIDE, "amp-img") is not None:
            self._children(node, depth)
            return
        self._flat += 1
        self._children(node, depth)
        self._flat -= 1

    def _list(self, node: LexborNode, depth: int) -> None:
        lines: list[list[Span]] = []
        total = linked = 0
        # Most lists hold no picture: one query for the list spares one per item.
        pictured = _first_below(node, _IMGS) is not None
        for item in node.iter():
            if item.tag_id != _LI:
                continue
            attrs = item.attributes
            if attrs and (verdict := boilerplate.verdict_of(attrs)) is not Verdict.KEEP \
                    and self._drop(item, verdict):
                continue
            if pictured and _is_slide(item):
                self._figure(item, depth + 1)
                continue
            self._flat += 1
            self._children(item, depth + 1)
            self._flat -= 1
            line = self._take_line()
            if line:
                lines.append(line)
                total += len(line_text(line))
                linked += self._linked
        if not lines:
            return
        if self.blocks and self.blocks[-1].kind in ("p", "h") and all(
                any(s.href for s in line) for line in lines) and related.is_heading(
                self.blocks[-1].text):
            self.blocks.pop()
            self.related.extend(_line_link(line) for line in lines)
        elif linked <= 0.8 * total:  # else a menu or tag list
            self._add(Block("ol" if node.tag_id == _OL else "ul", lines))

    def _quote(self, node: LexborNode, depth: int) -> None:
        start = len(self.blocks)
        self._children(node, depth)
        self._flush()
        inner = self.blocks[start:]
        del self.blocks[start:]
        # A link-only line inside a post's quote is the post's own permalink, not an embed.
        lines = [line for block in inner if block.kind not in ("img", "embed")
                 for line in block.lines]
        if lines:
            self._add(Block("quote", lines))
        if embeds.is_post(node) and (found := embeds.from_post(node, self.base, not lines)):
            self._add(found)

    def _pre(self, node: LexborNode, depth: int) -> None:
        raw = clean_text(node.text()).expandtabs(4).split("\n")
        lines = [line.rstrip() for line in raw]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        if lines:
            self._add(Block("pre", [[Span(line)] for line in lines]))

    def _figure(self, node: LexborNode, depth: int) -> None:
        image = node if node.tag_id == _IMG or node.tag == "amp-img" else _first_below(
            node, _IMGS, "amp-img")
        if image is None:
            if node.tag_id == _FIGURE:
                self._children(node, depth)  # a table, quote or code listing in a <figure>
            return
        attrs = image.attributes
        src = next((u for a in _SRC_ATTRS if (u := self._absolute(attrs.get(a)))),
                   None)
        if src is None:
            return
        if node is image:
            caption = _caption_after(node)
        else:
            caption = None if node.tag_id == _PICTURE else select.css_first(node, _CAPTIONS) \
                or (node if node.tag_id == _LI else None)  # a slide's text is its caption
        text = caption.text(separator=" ") if caption is not None else (attrs.get("alt") or "")
        if caption is not None:
            for credit in select.css(caption, "[class*=credit], [class*=copyright], small"):
                text = text.replace(credit.text(separator=" "), "")
        text = squash(text)
        if self._related_heading is not None:
            return  # a related read's card picture
        self.blocks.append(Block("img", [[Span(text)]] if text else [], src=src))

    # -- emitting -------------------------------------------------------------------------

    def _take_line(self) -> list[Span]:
        """The gathered line as spans, and the line state reset. Web text is cleaned,
        whitespace collapsed across runs, spaces kept outside links, neighbouring runs merged;
        `_linked` and `_wordy` tell how much of it was link text and whether any word stood
        outside the links."""
        runs, anchors = self._line, self._anchors
        self._line, self._anchors = [], 0
        self._bolded = self._loose = self._plain_size = False
        self._linked = 0
        self._wordy = True
        if not anchors:
            core = squash("".join(cast("list[str]", runs)))  # no link: every run is text
            return [Span(core)] if core else []
        # The line's pieces in order, (text, href or None), then joined below: spaces at
        # the edges of a link fall outside it, neighbours with the same href are merged.
        pieces: list[tuple[str, str | None]] = []
        linked = 0
        wordy = False
        plain: list[str] = []
        for run in runs:
            if isinstance(run, str):
                plain.append(run)
                continue
            if plain:
                text = _collapse("".join(plain))
                wordy = wordy or _WORD.search(text) is not None
                pieces.append((text, None))
                plain = []
            raw, href = run
            core = squash(raw)
            if not core:
                pieces.append((" " if raw else "", None))
                continue
            linked += len(core)
            if raw[0].isspace():
                pieces.append((" ", None))
            pieces.append((core, href or None))
            if raw[-1].isspace():
                pieces.append((" ", None))
        if plain:
            text = _collapse("".join(plain))
            wordy = wordy or _WORD.search(text) is not None
            pieces.append((text, None))
        texts: list[str] = []  # one entry per span
        hrefs: list[str | None] = []
        space = True  # a line never starts with a space
        for piece, target in pieces:
            if space:
                piece = piece.lstrip()
            if not piece:
                continue
            space = piece[-1] == " "
            if hrefs and hrefs[-1] == target:
                texts[-1] += piece
            else:
                texts.append(piece)
                hrefs.append(target)
        while texts and not texts[-1].rstrip():
            texts.pop()
            hrefs.pop()
        if texts:
            texts[-1] = texts[-1].rstrip()
        self._linked = linked
        self._wordy = wordy
        return [Span(text, href) for text, href in zip(texts, hrefs, strict=True)]

    def _flush(self, kind: str = "p", level: int = 0) -> None:
        """The gathered line as a block. Called around every block element, so an empty line
        (nothing is marked in the line state without a run in it) returns at once."""
        self._breaks = 0
        if not self._line:
            return
        if not (self._loose or self._bolded or self._anchors):
            self._line.clear()  # nothing but whitespace
            return
        anchors = self._anchors
        subhead = self._bolded and not self._loose and not anchors
        larger = not self._plain_size
        if anchors:
            line = self._take_line()
            text = line_text(line)
        else:  # the common case, without the general path's bookkeeping
            text = squash("".join(cast("list[str]", self._line)))
            self._line = []
            self._bolded = self._loose = self._plain_size = False
            self._linked = 0
            line = [Span(text)]
        if not text:
            return
        if not anchors and kind == "p" and (headline := related.unlinked(text)) is not None:
            self.also_read.append(headline)
            return
        if not anchors and related.is_heading(text):
            self._related_heading = Block("h" if kind == "h" else "p", [line], level)
            return
        if anchors:
            links = related.interstitial(line) if any(s.href for s in line) else None
            if links is not None:
                self.related.extend(links)
                return
            if kind == "p" and len(line) == 1 and line[0].href and \
                    (found := embeds.from_link(line[0].href, text)) is not None:
                self._add(found)
                return
            if kind == "p" and ((self._linked > 0.8 * len(text) and len(text) < 120)
                                or (anchors > 1 and not self._wordy)):
                return  # tag lines, prev/next links, "[ Back ] [ Print ]" bars
        if boilerplate.junk_text(text):
            return
        if kind == "p" and subhead and len(text) <= _SUBHEAD_MAX and (
                larger or _SENTENCE_END.search(text) is None):
            kind, level = "h", _SUBHEAD_LEVEL
        self._append(Block("h" if kind == "h" else "p", [line], level), len(text))

    def _add(self, block: Block) -> None:
        self._append(block, len(block.text))

    def _append(self, block: Block, size: int) -> None:
        if self._related_heading is not None:
            if block.kind in ("p", "h") and len(block.lines) == 1 and self._linked >= 0.8 * size:
                self.related.append(_line_link(block.lines[0]))
                return
            # Prose under the heading: it was a heading of the article after all.
            heading, self._related_heading = self._related_heading, None
            if not boilerplate.junk_text(heading.text):
                self._append(heading, len(heading.text))
        if self.truncated:
            return
        room = self.cap - self._length
        if size > room:
            self.truncated = True
            # The block that overflows is cut to the room left rather than dropped: a page
            # that is one 5 MB paragraph keeps its first 200,000 characters, flagged as cut.
            if block.kind == "img" or room < _MIN_CUT:
                return
            block = _cut(block, room)
            size = len(block.text)
        self._length += size + 2
        self.blocks.append(block)


# Less room than this left at the cap is not worth a cut-off fragment of a block.
_MIN_CUT = 200


def _cut(block: Block, room: int) -> Block:
    """`block` with only its first `room` characters of text, cut at a space when one is
    near; list items and spans past the cut are dropped."""
    lines: list[list[Span]] = []
    for line in block.lines:
        spans: list[Span] = []
        for span in line:
            if len(span.text) <= room:
                spans.append(span)
                room -= len(span.text)
                continue
            text = span.text[:room]
            space = text.rfind(" ")
            text = text[:space] if space > room // 2 else text
            spans.append(Span(text.rstrip() + "…", span.href))
            room = 0
            break
        lines.append(spans)
        room -= 3  # the "- " or "1. " and newline a list item adds
        if room <= 0:
            break
    return Block(block.kind, lines, block.level, block.src)


# Where a gallery or slideshow prints a picture's caption.
_CAPTIONS = "figcaption, .wp-caption-text, [class*=caption]"
_CAPTION_CLASS = re.compile(r"caption|legend|slide-?text", re.I)
_SLIDE_TEXT_MAX = 300


def _caption_after(image: LexborNode) -> LexborNode | None:
    """A bare picture's caption: the element right after it, when its class says so (a
    slideshow's `<img><p class="slide-caption">`)."""
    sibling = image.next
    while sibling is not None and sibling.tag_id in (_TEXT, tags.COMMENT):
        sibling = sibling.next
    if sibling is None or not _CAPTION_CLASS.search(sibling.attributes.get("class") or ""):
        return None
    return sibling


def _first_below(node: LexborNode, ids: frozenset[int],
                 custom: str | None = None) -> LexborNode | None:
    """The first element below `node`, in document order, with a tag id in `ids` or the
    `custom` tag name: what `select.css_first` finds for a selector of tag names on a node
    not one of them (a selector matches its own node too, which callers never ask). The boxes
    asked about are small (a row, a list, a figure), where a selector's parse, paid on every
    query, costs more than this scan, which stops at the first hit."""
    below = node.traverse()
    next(below)  # `node` itself
    for element in below:
        tag_id = element.tag_id
        if tag_id in ids or (tag_id >= _CUSTOM and element.tag == custom):
            return element
    return None


def _is_slide(item: LexborNode) -> bool:
    """A list item that is a gallery's picture and its caption, not a line of text or a
    teaser (whose text is a link)."""
    return (_first_below(item, _IMGS) is not None
            and len(item.text()) < _SLIDE_TEXT_MAX
            and not any(a.text().strip() for a in select.css(item, "a")))


_Handler = Callable[[BodyBuilder, LexborNode, int], None]
_PICTURE = tags.tag_id("picture")
_OL = tags.tag_id("ol")
_FIGURE = tags.tag_id("figure")
_CUSTOM_HANDLERS: dict[str, _Handler] = {"amp-img": BodyBuilder._figure}
_HANDLERS: dict[int, _Handler] = {
    **dict.fromkeys(_LEVELS, BodyBuilder._heading),
    tags.tag_id("p"): BodyBuilder._paragraph,
    tags.tag_id("tr"): BodyBuilder._row,
    tags.tag_id("ul"): BodyBuilder._list,
    _OL: BodyBuilder._list,
    tags.tag_id("blockquote"): BodyBuilder._quote,
    tags.tag_id("pre"): BodyBuilder._pre,
    _FIGURE: BodyBuilder._figure,
    _IMG: BodyBuilder._figure,
    _PICTURE: BodyBuilder._figure,
}
