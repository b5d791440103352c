"""Find the elements that hold the article: paragraphs vote for their ancestors.

The scheme follows Arc90 Readability: every paragraph-like element scores by its length and
commas, passes the score to its parent (in full), grandparent (half) and great-grandparent
(a third); class/id hints nudge a candidate; link-dense candidates are discounted. Siblings of
the winner that score well join it, because many sites split one story into several boxes.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from tui_reader.fetch.clean.boilerplate import hints

_POSITIVE = re.compile(r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|"
                       r"story|prose|rich-?text|paragraph", re.I)
_NEGATIVE = re.compile(r"(?:^|[\s_-])(?:ad|ads|banner|combx|comment|com-|contact|foot|footer|"
                       r"footnote|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|"
                       r"shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|recirc|"
                       r"newsletter|trending|popular|nav|menu|teaser|card|byline|author)",
                       re.I)
_TAG_BONUS = {"div": 5, "article": 8, "main": 5, "section": 3, "td": 3, "pre": 3,
              "blockquote": 3, "form": -3, "ul": -3, "ol": -3, "li": -3, "dl": -3, "th": -5,
              "h1": -5, "h2": -5, "h3": -5, "body": -5, "html": -10}
_BLOCKY = frozenset({"p", "div", "section", "article", "td", "li", "ul", "ol", "table", "h1",
                     "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "main"})
_MIN_PARAGRAPH = 25
_LINK_DENSITY_FOR = 8


def _weight(node: LexborNode) -> float:
    hint = hints(node)
    weight = float(_TAG_BONUS.get(node.tag or "", 0))
    if node.attributes.get("itemprop") == "articleBody":
        weight += 30
    if hint.strip():
        if _NEGATIVE.search(hint):
            weight -= 25
        if _POSITIVE.search(hint):
            weight += 25
    return weight


def link_density(node: LexborNode, text_length: int | None = None) -> float:
    length = text_length if text_length is not None else len(node.text(strip=True))
    if not length:
        return 1.0
    linked = sum(len(a.text(strip=True)) for a in node.css("a"))
    return min(linked / length, 1.0)


def _paragraphs(body: LexborNode) -> list[tuple[LexborNode, str]]:
    """Paragraph-like elements and their own text: <p>/<pre>, plus any element whose direct
    text is long (text in bare divs or table cells split by <br>)."""
    found: list[tuple[LexborNode, str]] = []
    for node in body.css("p, pre"):
        found.append((node, node.text()))
    for node in body.css("div, td, section, article, span, font, center, blockquote, li"):
        own = node.text(deep=False)
        if len(own) >= _MIN_PARAGRAPH and len(own.strip()) >= _MIN_PARAGRAPH:
            found.append((node, own))
    return found


def find_content(body: LexborNode) -> list[LexborNode]:
    """The article's elements in page order; empty when nothing looks like prose."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for node, text in _paragraphs(body):
        length = len(text.strip())
        if length < _MIN_PARAGRAPH:
            continue
        score = 1 + text.count(",") + text.count("，") + text.count("、") + min(length / 100, 3)
        ancestor = node if node.tag not in ("p", "pre") else node.parent
        for level in range(3):
            if ancestor is None or ancestor.tag in ("html", "#document", None):
                break
            key = ancestor.mem_id
            if key not in scores:
                nodes[key] = ancestor
                scores[key] = _weight(ancestor)
            scores[key] += score / (level + 1 if level < 2 else 3)
            ancestor = ancestor.parent
    if not scores:
        return []
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:_LINK_DENSITY_FOR]
    final = {key: scores[key] * (1 - link_density(nodes[key])) for key in ranked}
    best = max(final, key=final.__getitem__)
    top, top_score = nodes[best], final[best]
    return _with_siblings(top, top_score, scores)


def _with_siblings(top: LexborNode, top_score: float, scores: dict[int, float]) -> list[LexborNode]:
    parent = top.parent
    if parent is None or parent.tag in ("html", "#document", None):
        return [top]
    threshold = max(10.0, top_score * 0.2)
    chosen: list[LexborNode] = []
    sibling = parent.child
    while sibling is not None:
        if sibling.mem_id == top.mem_id:
            chosen.append(sibling)
        elif sibling.tag in _BLOCKY:
            score = scores.get(sibling.mem_id, 0.0)
            if score >= threshold or (sibling.tag == "p" and _good_paragraph(sibling)):
                chosen.append(sibling)
        sibling = sibling.next
    return chosen


def _good_paragraph(node: LexborNode) -> bool:
    text = node.text(strip=True)
    if len(text) > 80:
        return link_density(node, len(text)) < 0.25
    return bool(text) and link_density(node, len(text)) == 0 and text.rstrip()[-1:] in ".!?\"”"
