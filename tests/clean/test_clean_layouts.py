"""Layouts where the article is not one obvious box: each test page shows one general rule
of finding the whole article (and only it) on pages the cleaner was never tuned on."""

from __future__ import annotations

from tui_reader import extract_article

_PROSE = (
    "The studio confirmed the schedule on Tuesday, and the cast, crew and composer will "
    "return for the second season, which was shot over the summer in three cities."
)


def _para(n: int) -> str:
    return f"<p>Section {n} paragraph: {_PROSE}</p>"


def _page(body: str, title: str = "Season Two Confirmed") -> str:
    return (f"<html><head><title>{title}</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/tv'>TV</a></nav>"
            f"{body}<footer><p>Copyright the example site, all rights reserved.</p></footer>"
            "</body></html>")


def test_sections_each_in_their_own_chain_of_boxes_come_back_together() -> None:
    """Page builders wrap every section of one article in its own nest of containers; the
    sections' common ancestor is the article, not the biggest section alone."""
    section = ("<div class='sec'><div class='col'><div class='wrap'><div class='inner'>"
               "<h2>Part {n}</h2>{paras}</div></div></div></div>")
    sections = "".join(section.format(n=n, paras=_para(n) * (3 if n == 2 else 1))
                       for n in range(1, 5))
    article = extract_article(_page(f"<div class='page'>{sections}</div>"))
    text = article.text
    for n in range(1, 5):
        assert f"Part {n}" in text
        assert f"Section {n} paragraph" in text


def test_climbing_stops_at_a_sidebar_of_teasers() -> None:
    """The container above the article also holds a list of linked teasers: that is not
    more article."""
    teasers = "".join(f"<li><a href='/story-{n}'>Another story number {n} from this week's "
                      f"news</a></li>" for n in range(8))
    body = (f"<div class='layout'><div class='main'><div class='a'>{_para(1)}</div>"
            f"<div class='b'>{_para(2)}</div></div>"
            f"<div class='rail'><h3>More stories</h3><ul>{teasers}</ul></div></div>")
    text = extract_article(_page(body)).text
    assert "Section 1 paragraph" in text and "Section 2 paragraph" in text
    assert "Another story" not in text


def test_a_comment_list_named_body_is_not_the_article() -> None:
    """`comment-body` names a comment, whatever the word body suggests."""
    comments = "".join(f"<div class='comments-body'><p>Reader {n} says: I loved the first "
                       f"season, the pacing, the score, everything about it.</p></div>"
                       for n in range(4))
    body = f"<div class='post'><div class='blogbody'>{_para(1) * 3}</div>{comments}</div>"
    text = extract_article(_page(body)).text
    assert "Section 1 paragraph" in text
    assert "Reader" not in text


def test_a_post_marked_as_having_comments_is_still_the_article() -> None:
    """`has-comments` says something about the post; it is not a comment section."""
    body = (f"<main><article class='post has-comments'><div class='entry'><div class='text'>"
            f"{_para(1) * 3}</div></div></article></main>")
    assert "Section 1 paragraph" in extract_article(_page(body)).text


def test_an_article_inside_a_header_element_is_still_found() -> None:
    """Some builders put the whole post inside <header>: when every strong candidate sits in
    chrome, the page's prose is still its article."""
    body = (f"<header class='post-hero'><div class='rt'><div class='x'>{_para(1) * 4}"
            "</div></div></header>")
    assert "Section 1 paragraph" in extract_article(_page(body)).text


def test_a_box_whose_every_block_is_named_like_boilerplate_keeps_its_text() -> None:
    """When class names drop every block of the winning box, the names mislead: the box won
    on its prose."""
    widgets = "".join(f"<div class='WidgetArea_{n}'>{_para(n)}</div>" for n in range(4))
    body = f"<div class='layout'><div class='region'>{widgets}</div></div>"
    text = extract_article(_page(body)).text
    assert all(f"Section {n} paragraph" in text for n in range(4))


def test_sections_of_list_items_count_as_article_when_climbing() -> None:
    """A listicle's sections are mostly list items: they are article text, not a menu."""
    items = "".join(f"<li>Step {n}: keep the schedule, the cast and the crew together</li>"
                    for n in range(6))
    section = ("<div class='row'><div class='col'><div class='mod'><div class='inner'>"
               "<h2>Part {n}</h2><ul>{items}</ul>{paras}</div></div></div></div>")
    sections = "".join(section.format(n=n, items=items, paras=_para(n) if n == 1 else "")
                       for n in range(1, 4))
    text = extract_article(_page(f"<div class='builder'>{sections}</div>")).text
    assert all(f"Part {n}" in text for n in range(1, 4))


def test_a_section_wrapper_named_like_boilerplate_does_not_stop_the_climb() -> None:
    """A wrapper around the article called `listicle-header` or `overlay` is not a reason
    to keep only the first section."""
    section = "<div class='s'><div class='t'><div class='u'>{p}</div></div></div>"
    sections = "".join(section.format(p=_para(n) * 2) for n in range(1, 4))
    body = f"<div class='page'><section class='ds-overlay'>{sections}</section></div>"
    text = extract_article(_page(body)).text
    assert all(f"Section {n} paragraph" in text for n in range(1, 4))


def test_a_subscription_modal_with_more_text_than_a_short_post_is_not_the_article() -> None:
    """A box named as a modal, popup, related or subscription box is never the article,
    even when its name also says content."""
    modal = ("<div class='newsletter-modal'><div class='modal__modal-content'><div class='x'>"
             + "<p>Join our list, and get tips, news, offers and updates, every week, "
               "straight to your inbox, for free, forever, with no spam at all.</p>" * 4
             + "</div></div></div>")
    body = f"<main><div class='entry'><div class='text'>{_para(1) * 2}</div></div></main>{modal}"
    text = extract_article(_page(body)).text
    assert "Section 1 paragraph" in text
    assert "Join our list" not in text


def test_teaser_cards_wrapped_in_links_are_not_the_article() -> None:
    """A card whose link wraps a headline and excerpt is a teaser, however long the excerpt."""
    card = ("<a class='card' href='/story-{n}'><div class='c'><div class='d'><p>Teaser {n}: "
            "an excerpt from another story, with its opening lines, quotes, names and places, "
            "all of it there to make a reader click through.</p></div></div></a>")
    cards = "".join(card.format(n=n) for n in range(6))
    body = f"<div class='story'><div class='text'>{_para(1) * 2}</div></div><div>{cards}</div>"
    text = extract_article(_page(body)).text
    assert "Section 1 paragraph" in text
    assert "Teaser" not in text


def test_a_table_inside_a_figure_is_kept() -> None:
    """Block editors put tables in <figure> (wp-block-table): a figure without a picture is
    walked like any other box."""
    table = ("<figure class='wp-block-table'><table><tr><td>Rank</td><td>Film</td></tr>"
             "<tr><td>1</td><td>The Lantern Keepers</td></tr></table></figure>")
    body = f"<article><div class='text'>{_para(1)}{table}{_para(2)}</div></article>"
    text = extract_article(_page(body)).text
    assert "Rank Film" in text and "1 The Lantern Keepers" in text


def test_a_page_builders_widget_blocks_hold_the_article() -> None:
    """`widget` inside a builder's class name (`builder-widget-container`) is a building
    block, not a sidebar widget; a class that starts with it still is one."""
    block = ("<div class='builder-element builder-widget-text'><div class='builder-widget-"
             "container'>{p}</div></div>")
    blocks = "".join(block.format(p=_para(n)) for n in range(1, 4))
    sidebar = ("<div class='widget widget_recent'><p>Recent: a list of the latest posts on "
               "the site, updated every hour, from every section, all of them.</p></div>")
    body = f"<div class='builder'><div class='col'>{_para(0)}{blocks}</div>{sidebar}</div>"
    text = extract_article(_page(body)).text
    assert all(f"Section {n} paragraph" in text for n in range(1, 4))
    assert "Recent:" not in text
