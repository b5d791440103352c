"""Find the elements that hold the article: paragraphs vote for their ancestors.

The scheme follows Arc90 Readability: every paragraph-like element scores by its length and
commas, passes the score to its parent (in full), grandparent (half) and great-grandparent
(a third); class/id hints nudge a candidate; link-dense candidates are discounted. Page
builders split one story into sections, each in its own chain of boxes: the winner climbs to
the ancestor whose extra content is still mostly paragraphs (`_climb`); failing that,
siblings of the winner that score well join it.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Iterator

from selectolax.lexbor import LexborNode

from tui_reader.clean import select, tags
from tui_reader.clean.boilerplate import Hints, Verdict, comments_of, is_hidden, verdict_of

_POSITIVE = Hints(r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|"
                  r"story|prose|rich-?text|paragraph")
_NEGATIVE = Hints(r"[\s_-](?:ad|ads|banner|combx|comment|com-|contact|foot|footer|"
                  r"footnote|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|"
                  r"shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|recirc|"
                  r"newsletter|trending|popular|nav|menu|teaser|card|byline|author)")
_TAG_BONUS = {tags.tag_id(name): float(bonus) for name, bonus in {
    "div": 5, "article": 8, "main": 5, "section": 3, "td": 3, "pre": 3, "blockquote": 3,
    "form": -3, "ul": -3, "ol": -3, "li": -3, "dl": -3, "th": -5, "h1": -5, "h2": -5, "h3": -5,
    "body": -5, "html": -10}.items()}
_BLOCKY = tags.ids(("p", "div", "section", "article", "td", "li", "ul", "ol", "table", "h1",
                    "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "main"))
_MIN_PARAGRAPH = 25
_P = tags.tag_id("p")
_A = tags.tag_id("a")
_WHOLE = frozenset({_P, tags.tag_id("pre")})
_INLINE = tags.ids(("font", "span", "b", "i", "em", "strong", "center", "small", "big"))
_TOP = frozenset({tags.tag_id("html"), tags.DOCUMENT, 0})
# A paragraph's score goes to its parent, grandparent and great-grandparent in these shares.
_SHARES = (1.0, 0.5, 1 / 3)
_LINK_DENSITY_FOR = 4


def _weight(node: LexborNode, tag_id: int) -> float:
    weight = _TAG_BONUS.get(tag_id, 0.0)
    attrs = node.attributes
    if not attrs:
        return weight
    if attrs.get("itemprop") == "articleBody":
        weight += 30
    return weight + _hint_weight(attrs.get("class") or "", attrs.get("id") or "")


@functools.lru_cache(maxsize=65536)
def _hint_weight(klass: str, ident: str) -> float:
    """Cached: the same class names recur on every page of a site and across sites."""
    hint = f"{klass} {ident}"
    weight = 0.0
    if _NEGATIVE.found_in(hint):
        weight -= 25
    if _POSITIVE.found_in(hint):
        weight += 25
    return weight


def link_density(node: LexborNode, text_length: int | None = None,
                 linked: int | None = None) -> float:
    """The share of `node`'s text inside links; its text's length and its links' (`_linked`)
    are read unless given."""
    length = text_length if text_length is not None else len(node.text(skip_empty=True))
    if not length:
        return 1.0
    return min((linked if linked is not None else _linked(node)) / length, 1.0)


def _linked(node: LexborNode) -> int:
    return sum(len(a.text(skip_empty=True)) for a in select.css(node, "a"))


# Everything that can carry paragraph text; `find_content` takes this query's result.
_VOTING = ("p", "pre", "div", "td", "section", "article", "span", "font", "center", "blockquote")
# List items do not vote: they are many (menus), and their text nearly always sits beside
# <p>s that vote already. They count as article text when climbing (see `_climb`).
QUERY = ", ".join(_VOTING)
_MIN_ITEM = 10
_VOTERS = tags.ids(_VOTING)
_CHROME = tags.ids(("footer", "aside", "nav", "header", "template", "noscript"))
_PAGE = _TOP | {tags.tag_id("body")}


def _outside_chrome(node: LexborNode) -> list[LexborNode] | None:
    """`node`'s ancestors below <body>, innermost first; None when it or one of them is page
    chrome, a link, hidden or a comment section. Page chrome and comment sections are not
    stripped up front (that costs a tree walk); a winner inside one is rejected instead."""
    ancestors: list[LexborNode] = []
    ancestor: LexborNode | None = node
    while ancestor is not None:
        tag_id = ancestor.tag_id
        if tag_id in _PAGE:
            break
        if tag_id in _CHROME or tag_id == _A:
            return None
        attrs = ancestor.attributes
        if attrs and (verdict_of(attrs) is Verdict.HIDDEN or comments_of(attrs)
                      or _chrome_hint(attrs.get("class") or "", attrs.get("id") or "")):
            return None
        ancestors.append(ancestor)
        ancestor = ancestor.parent
    return ancestors[1:]


# Boxes that are never the article, whatever else their names say (`modal__modal-content`,
# `related-posts-content`): unlike the boilerplate hints, words such as content or body
# do not outweigh these.
_CHROME_HINTS = Hints(r"[\s_-](?:modal|popup|related|subscription)(?=$|[\s_-])")


@functools.lru_cache(maxsize=65536)
def _chrome_hint(klass: str, ident: str) -> bool:
    return _CHROME_HINTS.found_in(f"{klass} {ident}")


def find_content(found: list[LexborNode], rest: list[LexborNode]) -> list[LexborNode]:
    """The article's elements in page order; empty when nothing looks like prose.

    `found` holds the page's `QUERY` matches: <p>/<pre> vote with all their text, other
    elements with their direct text only (bare text in divs or table cells split by <br>).
    It may hold other elements too, selected in the same walk because every CSS query costs a
    walk over the whole tree; those are appended to `rest`, which saves the caller a pass."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    voters: list[tuple[LexborNode, int]] = []
    # element -> the last voter listed when it was first voted for: most often one inside it
    first: dict[int, int] = {}
    for node in found:
        tag_id = node.tag_id
        whole = tag_id in _WHOLE
        if whole:
            text = node.text()
        elif tag_id not in _VOTERS:
            rest.append(node)
            continue
        else:
            text = node.text(deep=False, skip_empty=True)
        length = len(text)
        if length < _MIN_PARAGRAPH or (length := len(text.strip())) < _MIN_PARAGRAPH:
            continue
        if not (tag_id in _INLINE and node.parent is not None and node.parent.tag_id == _P):
            voters.append((node, length))
        commas = text.count(",")
        if not text.isascii():  # CJK commas: counted only where they can be
            commas += text.count("，") + text.count("、")
        score = 1 + commas + min(length / 100, 3)
        ancestor = node.parent if whole else node
        for share in _SHARES:
            if ancestor is None:
                break
            key = ancestor.mem_id
            if key in scores:
                scores[key] += score * share
            else:
                if (ancestor_tag := ancestor.tag_id) in _TOP:
                    break
                nodes[key] = ancestor
                first[key] = len(voters) - 1
                scores[key] = _weight(ancestor, ancestor_tag) + score * share
            ancestor = ancestor.parent
    best: LexborNode | None = None
    best_score = 0.0
    # What the climb reads again of the winner: its links' text and its ancestors, which the
    # check for chrome has found clear of anything that would stop the climb.
    best_linked: int | None = None
    above: list[LexborNode] | None = None
    # What `heapq.nlargest` picks (ties in insertion order), but sorted in C: nlargest runs
    # a Python loop over every candidate.
    top = sorted(scores, key=scores.__getitem__, reverse=True)[:_LINK_DENSITY_FOR]
    for key in top:
        raw = scores[key]
        if raw <= 0 or (best is not None and raw <= best_score):
            break  # link density only pulls a score towards zero: this one cannot win
        candidate = nodes[key]
        ancestors = _outside_chrome(candidate)
        if ancestors is None:
            continue
        linked = _linked(candidate)
        final = raw * (1 - link_density(candidate, linked=linked))
        if best is None or final > best_score:
            best, best_score, best_linked, above = candidate, final, linked, ancestors
    if best is None:
        if not top or scores[top[0]] <= 0:
            return []
        # Every strong candidate sits in something that looks like chrome: a <header> or an
        # unclosed <aside> around the whole page, a wrapper hidden until a script shows it.
        # The page's prose is still its article.
        best = nodes[top[0]]
        best_score = scores[top[0]] * (1 - link_density(best))
    start = first[best.mem_id]
    while best.tag_id in _INLINE and best.parent is not None:
        best = best.parent  # text voted for a <font> or <span>: its box is the article
        best_linked, above = None, above and above[1:]
    climbed = _climb(best, best_linked, above, voters, start)
    if climbed is not best:
        return [climbed]
    return _with_siblings(best, best_score, scores)


def _with_siblings(top: LexborNode, top_score: float, scores: dict[int, float]) -> list[LexborNode]:
    parent = top.parent
    if parent is None or parent.tag_id in _TOP:
        return [top]
    threshold = max(10.0, top_score * 0.2)
    chosen: list[LexborNode] = []
    sibling = parent.child
    while sibling is not None:
        if sibling.mem_id == top.mem_id:
            chosen.append(sibling)
        elif sibling.tag_id in _BLOCKY and not is_hidden(sibling):
            score = scores.get(sibling.mem_id, 0.0)
            if score >= threshold or (sibling.tag_id == _P and _good_paragraph(sibling)):
                chosen.append(sibling)
        sibling = sibling.next
    return chosen


def _good_paragraph(node: LexborNode) -> bool:
    text = node.text(strip=True)
    if len(text) > 80:
        return link_density(node, len(text)) < 0.25
    return bool(text) and link_density(node, len(text)) == 0 and text.rstrip()[-1:] in ".!?\"”"


_CLIMB_LEVELS = 8
# Paragraphs under these are not the article's: page chrome, and teaser cards (a link around
# a headline and its excerpt).
_NOT_PROSE = _PAGE | _CHROME | {_A}
# Text an ancestor may add without counting as a step (a wrapper's own labels and spacing).
_WRAPPER_SLACK = 150
# What an ancestor adds must be at least this share paragraphs and at most this share links.
_PROSE_SHARE = 0.3
_ADDED_LINKS = 0.25


def _climb(best: LexborNode, linked: int | None, above: list[LexborNode] | None,
           voters: list[tuple[LexborNode, int]], start: int) -> LexborNode:
    """The ancestor of the winner that holds the whole article when the page wraps each of
    its sections in a chain of boxes of their own (page builders): paragraph votes reach
    three levels up, so the sections' common ancestor never scores. An ancestor is taken
    when what it adds to the box taken so far is mostly paragraphs and list items outside
    any boilerplate box, with few links; a level that adds only a headline or a picture is
    passed through, as the level above may still add the rest of the article.

    `linked` is the length of `best`'s links' text when known; `above` its ancestors below
    <body> when none is chrome; `voters` the page's paragraphs in page order, `voters[start]`
    most often one inside `best`."""
    chain = above[:_CLIMB_LEVELS] if above is not None else _chain(best)
    if not chain:
        return best
    # List items are looked for only under the climb's top box, not in the whole page.
    items = [(item, len(text)) for item in select.css(chain[-1], "li")
             if len(text := item.text(deep=False).strip()) >= _MIN_ITEM]
    gains = _prose_added(voters, start, items, best, chain)
    if not any(gains):
        return best  # no level adds a paragraph: none can be taken, and no text is read
    # The levels' text is read from the bottom up, and no further than a level can still be
    # taken: the top boxes are the biggest, with most of the page beside the article.
    last = max(level for level, gain in enumerate(gains) if gain)
    lengths = _text_lengths(best, chain)
    length = next(lengths)
    chosen = best
    prose = 0  # paragraph text the levels above `chosen` add, up to `ancestor`
    for level, (ancestor, gain) in enumerate(zip(chain, gains, strict=True)):
        prose += gain
        if not prose and level > last:
            break  # neither this level nor any above adds a paragraph
        ancestor_length = next(lengths)
        if not prose:
            continue  # adds no paragraph: cannot be taken, whatever else it adds
        added = ancestor_length - length
        if prose < _PROSE_SHARE * added and level >= last:
            break  # the levels above add no paragraph, and only more of the rest
        if added <= _WRAPPER_SLACK or prose < _PROSE_SHARE * added:
            continue
        if linked is None:
            linked = _linked(chosen)
        ancestor_linked = _linked(ancestor)
        if ancestor_linked - linked <= _ADDED_LINKS * added:
            chosen, length, linked, prose = ancestor, ancestor_length, ancestor_linked, 0
    return chosen


def _chain(best: LexborNode) -> list[LexborNode]:
    """The boxes the climb may take: `best`'s ancestors below the page, innermost first, up
    to chrome or a hidden box or comment section."""
    chain: list[LexborNode] = []
    node = best.parent
    while node is not None and len(chain) < _CLIMB_LEVELS and node.tag_id not in _NOT_PROSE:
        attrs = node.attributes
        if attrs and (verdict_of(attrs) is Verdict.HIDDEN or comments_of(attrs)):
            break
        chain.append(node)
        node = node.parent
    return chain


def _text_lengths(best: LexborNode, chain: list[LexborNode]) -> Iterator[int]:
    """How much longer than `best`'s `node.text()` each of `best, *chain` (its ancestors,
    innermost first) is: each box's counted as the box below it plus its other children, so
    the top box's text is read once, where reading each box whole would read the article once
    a level, and the climb, which compares levels, never reads the article's own text."""
    below = best
    length = 0
    yield length
    for box in chain:
        skip = below.mem_id
        for child in box.iter(include_text=True):
            if child.mem_id != skip:
                length += len(child.text())
        yield length
        below = box


# Where `_prose_added` finds an element that is not under `best` or any box of the climb.
_OUTSIDE = -2


def _prose_added(voters: list[tuple[LexborNode, int]], start: int,
                 items: list[tuple[LexborNode, int]], best: LexborNode,
                 chain: list[LexborNode]) -> list[int]:
    """How much paragraph text each box of `chain` (the ancestors of `best`, innermost first)
    adds to the box below it, leaving out paragraphs inside page chrome, a teaser link or a
    boilerplate box. The climb compares levels with each other only, so what lies under
    `best` itself is not sorted out. Each element is looked at once: what a walk up from it
    found is kept for the elements below it that lead there, and only elements between
    `best` and the top of `chain` have their names read.

    A box's paragraphs are one run of `voters` (page order), so when `voters[start]` is
    inside `best`, the ends of the run inside `best` are bisected for, and the paragraphs on
    either side of it are walked from only until one is outside the top of `chain`: neither
    the article's own paragraphs nor the rest of the page are walked from one by one.
    `items` all lie inside the top box."""
    index = {node.mem_id: i for i, node in enumerate([best, *chain])}
    # element -> the index of the first of `best, *chain` at or above it; -1 when something
    # not prose lies between, `_OUTSIDE` when it is under none of them
    reached: dict[int, int] = {}
    direct = [0] * (len(chain) + 1)

    def box_of(node: LexborNode) -> int:
        path: list[LexborNode] = []
        ancestor: LexborNode | None = node
        found = _OUTSIDE
        while ancestor is not None:
            key = ancestor.mem_id
            if key in index:
                found = index[key]
                break
            known = reached.get(key)
            if known is not None:
                found = known
                break
            path.append(ancestor)
            ancestor = ancestor.parent
        for element in reversed(path):  # from the top down: a box blocks what is under it
            if found > 0 and _not_prose(element):
                found = -1
            reached[element.mem_id] = found
        return found

    def add(tallied: Iterable[tuple[LexborNode, int]], stop: bool) -> None:
        for node, length in tallied:
            found = box_of(node)
            if found > 0:
                direct[found] += length
            elif found == _OUTSIDE and stop:
                return

    if 0 <= start < len(voters) and box_of(voters[start][0]) == 0:
        after = bisect.bisect_left(range(len(voters)), True, start + 1,
                                   key=lambda i: box_of(voters[i][0]) != 0)
        add(voters[after:], stop=True)
        first = bisect.bisect_left(range(start), True, key=lambda i: box_of(voters[i][0]) == 0)
        add(reversed(voters[:first]), stop=True)
    else:
        add(voters, stop=False)
    add(items, stop=False)
    return direct[1:]


def _not_prose(node: LexborNode) -> bool:
    """Chrome or a boilerplate box, by tag or name (a comment section's name never has the
    KEEP verdict)."""
    if node.tag_id in _NOT_PROSE:
        return True
    attrs = node.attributes
    return bool(attrs) and verdict_of(attrs) is not Verdict.KEEP
