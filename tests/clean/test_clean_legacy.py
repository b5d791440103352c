"""Old table layouts: a credit line becomes author and date, bold one-line subheads become
headings, link bars and notice boxes above the headline are dropped."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pytest

from tui_reader import extract_article
from tui_reader.models import Article

PAGES = Path(__file__).parent / "pages"
DEMO = resources.files("tui_reader.demo").joinpath("site")


def _page(body: str, head: str = "<title>Harbour Lights | The Gazette</title>") -> Article:
    return extract_article(f"<html><head>{head}</head><body>{body}</body></html>",
                           "https://gazette.example/news/harbour-lights.html")


def _cell(content: str) -> str:
    """Content in the layout table of an old page: a menu cell beside the story's cell."""
    return ("<table><tr><td><a href='/'>Home</a><br><a href='/news/'>News</a></td>"
            f"<td>{content}</td></tr></table>")


PROSE = ("The festival opened on Friday with a sold-out screening at the old harbour cinema, "
         "and the queue for returns stretched past the fish market and round the corner.")
MORE = ("Organisers said the programme had grown to forty films this year, including three "
        "restorations from the national archive and a strand of silent comedies with piano.")


def test_old_table_review_page() -> None:
    raw = (PAGES / "legacy_review.html").read_bytes()
    assert "’".encode("cp1252") in raw  # really windows-1252
    article = extract_article(raw, "http://pixelattic.example/reviews/lanternfall.html")
    # No declared title: the bold headline that contains a <title> segment is the title.
    assert article.title == "Lanternfall review: the lighthouse game that kept us up all night"
    assert article.author == "Rosa Lindqvist"  # from "Reviewed by Rosa Lindqvist · 9 March…"
    assert article.published == datetime(1998, 3, 9, tzinfo=UTC)
    assert article.text == (
        "There is a moment, about an hour into Lanternfall, when the fog rolls in over the bay "
        "and the lamp at the top of your lighthouse starts to flicker. You have one can of "
        "paraffin left, three ships on the horizon and a keeper’s logbook that makes less sense "
        "with every page.\n\n"
        "Brightmoor Software’s puzzle adventure is small, strange and completely gripping. It "
        "comes on a single CD, runs happily on a modest Pentium and asks nothing of you but "
        "patience.\n\n"
        "Keeping the light\n\n"
        "Each night you manage the lamp, the foghorn and the radio, and each morning the tide "
        "washes up something new: a bottle, a boot, a letter addressed to a keeper who died "
        "forty years ago. The puzzles grow out of these objects rather than out of locked "
        "doors, which makes solving them feel like remembering.\n\n"
        "What we did not like\n\n"
        "The save system is stingy, and one late puzzle involving semaphore flags is more "
        "tedious than clever. Neither spoils the whole.\n\n"
        "Is it worth your pocket money?\n\n"
        "Yes. Lanternfall is the best adventure of the year so far, and the ending will stay "
        "with you for weeks."
    )
    assert [(b.kind, b.level) for b in article.blocks] == [
        ("p", 0), ("p", 0), ("h", 3), ("p", 0), ("h", 3), ("p", 0), ("p", 0), ("p", 0)]
    assert article.links == []
    assert article.related == []


@pytest.mark.parametrize("line", [
    "<b>Is it worth it?</b>",  # a question, as interviews print them
    "<b>Short verdict.</b>",  # a sentence
    "<b>Bold lead-in:</b> and the rest of the line in plain type",
    "<b>Read <a href='/other'>our interview</a> with the director</b>",
])
def test_bold_lines_that_are_not_subheads_stay_paragraphs(line: str) -> None:
    article = _page(f"<div class='entry-content'><p>{PROSE}</p><p>{line}</p><p>{MORE}</p></div>")
    assert [b.kind for b in article.blocks] == ["p", "p", "p"]


@pytest.mark.parametrize("markup", [
    "<p><strong>Behind the scenes</strong></p>",
    "<font size='3'><b>Behind the scenes</b></font><br>",
    "<b>Behind</b> <b>the scenes</b><br>",
])
def test_a_bold_line_on_its_own_is_a_subhead(markup: str) -> None:
    article = _page(_cell(f"{PROSE}<br><br>{markup}{MORE}<br><br>"))
    assert [(b.kind, b.level, b.text) for b in article.blocks] == [
        ("p", 0, PROSE), ("h", 3, "Behind the scenes"), ("p", 0, MORE)]


@pytest.mark.parametrize("bar", [
    "[ <a href='/'>Back to the Gazette</a> ] [ <a href='javascript:print()'>Print</a> ] "
    "[ <a href='mailto:?subject=x'>E-mail this to a friend</a> ]",
    "<a href='/'>Home</a> | <a href='/news/'>News</a> | <a href='/forum/'>Forum</a>",
    "<a href='javascript:void(0)'>Facebook</a> <a href='javascript:void(0)'>Twitter</a> "
    "<a href='mailto:?body=x'>Email</a>",
])
def test_link_bars_are_dropped_even_when_their_links_cannot_be_followed(bar: str) -> None:
    article = _page(f"<article><p>{PROSE}</p><p>{MORE}</p><p>{bar}</p></article>")
    assert article.text == f"{PROSE}\n\n{MORE}"


def test_prose_with_links_is_kept() -> None:
    line = ("Read <a href='/a'>the full programme</a> or <a href='/b'>buy tickets</a> before "
            "the weekend.")
    article = _page(f"<article><p>{PROSE}</p><p>{line}</p><p>{MORE}</p></article>")
    assert article.blocks[1].text == "Read the full programme or buy tickets before the weekend."
    assert [link.title for link in article.links] == ["the full programme", "buy tickets"]


def test_credit_line_gives_author_and_date() -> None:
    article = _page(_cell("<b>Harbour Lights</b><br>"
                          "<font size='1'>Reviewed by <a href='mailto:ann@gazette.example'>Ann "
                          "Oduya</a> &middot; 12 November 2026</font><br><br>"
                          f"{PROSE}<br><br>{MORE}"))
    assert article.author == "Ann Oduya"
    assert article.published == datetime(2026, 11, 12, tzinfo=UTC)
    assert article.text == f"{PROSE}\n\n{MORE}"


def test_notice_above_the_headline_is_dropped_but_kept_without_a_headline() -> None:
    notice = ("<table><tr><td><font color='red'>ARCHIVE: this story first ran in 1999 and "
              "appears as it ran.</font></td></tr></table>")
    with_headline = _page(_cell(f"{notice}<b>Harbour Lights</b><br>{PROSE}<br><br>{MORE}"))
    assert with_headline.title == "Harbour Lights"
    assert with_headline.text == f"{PROSE}\n\n{MORE}"
    without = _page(_cell(f"{notice}{PROSE}<br><br>{MORE}"))
    assert without.text.startswith("ARCHIVE: this story first ran in 1999")


def _legacy_pages() -> list[Traversable]:
    found = []
    stack = [DEMO]
    while stack:
        for node in stack.pop().iterdir():
            if node.is_dir():
                stack.append(node)
            elif node.name.endswith(".legacy.html"):
                found.append(node)
    return sorted(found, key=lambda node: node.name)


@pytest.mark.parametrize("page", _legacy_pages(), ids=lambda node: node.name)
def test_demo_legacy_pages_keep_only_the_story(page: Traversable) -> None:
    raw = page.read_bytes().replace(b"{base}", b"http://127.0.0.1:8000")
    article = extract_article(raw, f"http://127.0.0.1:8000/{page.name}")
    text = article.text
    assert article.author and article.published
    assert article.blocks[0].kind == "p" and len(article.blocks[0].text) > 150
    for leftover in ("Back to the Shelf", "Printer-friendly", "Reviewed by", "Posted by",
                     "ARCHIVE:", "THE CARTRIDGE SHELF", "All content ©"):
        assert leftover not in text, leftover
    subheads = re.findall(r'<font size="3"[^>]*><b>([^<]+)</b></font><br>', raw.decode("cp1252"))
    assert [b.text for b in article.blocks if b.kind == "h"] == [html.unescape(s) for s in subheads]
