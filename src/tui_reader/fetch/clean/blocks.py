"""Turn the chosen elements into `Block`s: walk them in page order, keep prose and structure,
drop boilerplate, and divert related reads.

Recursion is bounded: below `_MAX_DEPTH` a subtree is taken as plain text, so pathological
nesting costs time proportional to its size and never a RecursionError.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from tui_reader.fetch.clean import boilerplate, related
from tui_reader.fetch.clean.boilerplate import Verdict
from tui_reader.models import Block, Link, Span
from tui_reader.sanitize import clean_text

_MAX_DEPTH = 100
_INLINE = frozenset({
    "span", "b", "strong", "em", "i", "u", "small", "sup", "sub", "mark", "abbr", "cite", "q",
    "code", "time", "font", "s", "del", "ins", "label", "big", "tt", "kbd", "var", "dfn", "bdi",
    "bdo", "nobr", "acronym", "strike", "data", "samp", "ruby", "rb", "rt", "rp", "-text",
})
_SKIP = frozenset({
    "form", "header", "footer", "aside", "nav", "figcaption", "button", "select", "input",
    "textarea", "script", "style", "noscript", "template", "svg", "iframe", "object", "embed",
    "video", "audio", "canvas", "map", "dialog", "wbr", "head", "title", "meta", "link", "hr",
    "amp-ad", "amp-embed", "amp-analytics", "amp-social-share", "amp-sidebar", "amp-consent",
})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_IMAGES = frozenset({"img", "amp-img", "picture"})
_BLOCK_INSIDE = "p, div, h1, h2, h3, h4, h5, h6, ul, ol, figure, table, img, amp-img, section"
_SRC_ATTRS = ("data-src", "data-lazy-src", "data-original", "src")


def _collapse(text: str) -> str:
    """Web text with whitespace runs folded to one space (an edge run stays one space) and,
    when anything unprintable is left, passed through `clean_text`. Splitting first and
    cleaning only unprintable text is what keeps this cheap; the result is the same."""
    core = " ".join(text.split())
    if not core.isprintable():
        core = " ".join(clean_text(core).split())
    if not core:
        return " " if text else ""
    return f"{' ' if text[0].isspace() else ''}{core}{' ' if text[-1].isspace() else ''}"


def finish_line(raw: list[tuple[str, str | None]]) -> list[Span]:
    """Spans from raw (text, href) runs: web text cleaned, whitespace collapsed across runs,
    spaces kept outside links, neighbouring runs merged."""
    out: list[Span] = []
    space = True  # a line never starts with a space

    def emit(text: str, href: str | None) -> None:
        nonlocal space
        if space:
            text = text.lstrip()
        if not text:
            return
        space = text.endswith(" ")
        if out and out[-1].href == href:
            out[-1] = Span(out[-1].text + text, href)
        else:
            out.append(Span(text, href))

    plain: list[str] = []
    for text, href in raw:
        if href is None:
            plain.append(text)
            continue
        if plain:
            emit(_collapse("".join(plain)), None)
            plain = []
        text = _collapse(text)
        core = text.strip()
        if not core:
            emit(text, None)
            continue
        if text[0] == " ":
            emit(" ", None)
        emit(core, href)
        if text[-1] == " ":
            emit(" ", None)
    if plain:
        emit(_collapse("".join(plain)), None)
    while out and not out[-1].text.rstrip():
        out.pop()
    if out:
        out[-1] = Span(out[-1].text.rstrip(), out[-1].href)
    return out


def line_text(line: list[Span]) -> str:
    return "".join(span.text for span in line)


def _line_link(line: list[Span]) -> Link:
    """A list item of a related-reads list: the whole item as title, its first link as URL."""
    return Link(line_text(line), next(s.href for s in line if s.href))


class BodyBuilder:
    """Accumulates blocks and related links while walking the article's elements."""

    def __init__(self, base: str | None, cap: int) -> None:
        self.base = base
        self.cap = cap
        self.blocks: list[Block] = []
        self.related: list[Link] = []
        self.truncated = False
        self._size = 0
        self._line: list[tuple[str, str | None]] = []
        self._flat = 0
        self._in_p = 0
        self._breaks = 0
        self._scope = 1

    def build(self, roots: list[LexborNode]) -> None:
        for root in roots:
            if self.truncated:
                break
            self._scope = max(len(root.text()), 1)
            self._element(root, 0, check=False)
            self._flush()

    # -- walking --------------------------------------------------------------------------

    def _children(self, node: LexborNode, depth: int) -> None:
        child = node.child
        while child is not None and not self.truncated:
            self._element(child, depth + 1)
            child = child.next

    def _element(self, node: LexborNode, depth: int, check: bool = True) -> None:
        tag = node.tag
        if tag == "-text":
            text = node.text_content
            if text:
                if self._breaks and not text.isspace():
                    self._breaks = 0
                self._line.append((text, None))
            return
        if tag is None or tag in _SKIP or tag[0] == "-":
            return
        if depth > _MAX_DEPTH:
            self._text(node.text(separator=" "))
            return
        if check and self._drop(node):
            return
        if tag == "br":
            self._break()
        elif tag in _INLINE:
            self._children(node, depth)
        elif tag == "a":
            self._anchor(node, depth)
        elif self._flat:
            self._text(" ")
            self._children(node, depth)
            self._text(" ")
        else:
            self._block(node, tag, depth)

    def _drop(self, node: LexborNode) -> bool:
        """Hidden elements and boilerplate boxes; a related box yields its links first.
        A box holding most of the article's text is never dropped on its class alone."""
        verdict = boilerplate.verdict(node)
        if verdict is Verdict.KEEP or verdict is Verdict.HIDDEN:
            return verdict is Verdict.HIDDEN
        if len(node.text()) > 0.5 * self._scope:
            return False
        if verdict is Verdict.RELATED:
            self._flush()
            self.related.extend(related.harvest(node, self.base))
        return True

    def _block(self, node: LexborNode, tag: str, depth: int) -> None:
        self._flush()
        if tag in _HEADINGS:
            self._children(node, depth)
            self._flush("h", _HEADINGS[tag])
        elif tag in ("ul", "ol"):
            self._list(node, tag, depth)
        elif tag == "blockquote":
            self._quote(node, depth)
        elif tag == "pre":
            self._pre(node)
        elif tag == "figure" or tag in _IMAGES:
            self._figure(node)
        elif tag == "tr" and node.css_first(_BLOCK_INSIDE) is None:
            self._flat += 1
            self._children(node, depth)
            self._flat -= 1
        elif tag == "p":
            self._in_p += 1
            self._children(node, depth)
            self._in_p -= 1
        else:
            self._children(node, depth)
        self._flush()

    def _anchor(self, node: LexborNode, depth: int) -> None:
        """A link is one span, unless it wraps blocks (a teaser card): then its content."""
        child = node.child
        while child is not None:
            if child.tag not in _INLINE and child.tag not in ("br", "-comment", "img"):
                self._children(node, depth)
                return
            child = child.next
        text = node.text()
        if text.strip():
            self._breaks = 0
            self._line.append((text, related.absolute(self.base, node.attributes.get("href"))))

    def _text(self, text: str) -> None:
        if text:
            if not text.isspace():
                self._breaks = 0
            self._line.append((text, None))

    def _break(self) -> None:
        """Outside a <p> (old layouts have none) a <br> ends the paragraph; inside one, only
        two in a row do, and a single one is a space."""
        self._breaks += 1
        if self._flat or (self._in_p and self._breaks < 2):
            self._line.append((" ", None))
        else:
            self._flush()

    def _list(self, node: LexborNode, tag: str, depth: int) -> None:
        lines: list[list[Span]] = []
        for item in node.css("li"):
            if item.parent is None or item.parent.mem_id != node.mem_id or self._drop(item):
                continue
            self._flat += 1
            self._children(item, depth + 1)
            self._flat -= 1
            line = finish_line(self._line)
            self._line = []
            if line:
                lines.append(line)
        if lines:
            self._add(Block("ul" if tag == "ul" else "ol", lines))

    def _quote(self, node: LexborNode, depth: int) -> None:
        start = len(self.blocks)
        self._children(node, depth)
        self._flush()
        inner = self.blocks[start:]
        del self.blocks[start:]
        lines = [line for block in inner if block.kind != "img" for line in block.lines]
        if lines:
            self._add(Block("quote", lines))

    def _pre(self, node: LexborNode) -> None:
        raw = clean_text(node.text()).expandtabs(4).split("\n")
        lines = [line.rstrip() for line in raw]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        if lines:
            self._add(Block("pre", [[Span(line)] for line in lines]))

    def _figure(self, node: LexborNode) -> None:
        image = node if node.tag in ("img", "amp-img") else node.css_first("img, amp-img")
        if image is None:
            return
        attrs = image.attributes
        src = next((u for a in _SRC_ATTRS if (u := related.absolute(self.base, attrs.get(a)))),
                   None)
        if src is None:
            return
        caption = node.css_first("figcaption, .wp-caption-text") if node.tag == "figure" else None
        text = caption.text(separator=" ") if caption is not None else (attrs.get("alt") or "")
        if caption is not None:
            for credit in caption.css("[class*=credit], [class*=copyright], small"):
                text = text.replace(credit.text(separator=" "), "")
        line = finish_line([(text, None)])
        self.blocks.append(Block("img", [line] if line else [], src=src))

    # -- emitting -------------------------------------------------------------------------

    def _flush(self, kind: str = "p", level: int = 0) -> None:
        self._breaks = 0
        if not self._line:
            return
        line = finish_line(self._line)
        self._line = []
        if line:
            self._add(Block("h" if kind == "h" else "p", [line], level))

    def _add(self, block: Block) -> None:
        if block.kind in ("p", "h"):
            line = block.lines[0]
            links = related.interstitial(line) if any(s.href for s in line) else None
            if links is not None:
                self.related.extend(links)
                return
            if boilerplate.junk_text(line_text(line)):
                return
        if block.kind in ("ul", "ol") and self.blocks and self.blocks[-1].kind in ("p", "h"):
            heading = self.blocks[-1].text
            if related.is_heading(heading) and block.lines and all(
                    any(s.href for s in line) for line in block.lines):
                self.blocks.pop()
                self.related.extend(_line_link(line) for line in block.lines)
                return
        size = len(block.text)
        if self._size + size > self.cap:
            self.truncated = True
            return
        self._size += size + 2
        self.blocks.append(block)
