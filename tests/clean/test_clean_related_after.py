"""Related blocks after the body and unlinked "ALSO READ" lines become related reads."""

from __future__ import annotations

from pathlib import Path

from tui_reader.clean import extract_article

PAGES = Path(__file__).parent / "pages"
URL = "https://framedaily.example/news/moonlit-tide-box-office/"
SITE = "https://framedaily.example/news/"


def test_related_blocks_and_also_read_lines_leave_the_body() -> None:
    article = extract_article((PAGES / "related_after.html").read_bytes(), URL)
    assert article.text == (
        "Moonlit Tide washed over the competition this weekend, opening to an estimated $48 "
        "million in North America and comfortably beating the studio's own forecast of $35 "
        "million.\n\n"
        "The romantic drama, which cost a reported $30 million to make, played especially well "
        "with younger audiences, who made up nearly half of opening-night ticket buyers.\n\n"
        "Holdover Iron Kestrel slipped to second place with $21 million, bringing its domestic "
        "total to $164 million after three weekends in release.\n\n"
        "Analysts expect Moonlit Tide to hold well next weekend, when it faces only one new "
        "wide release."
    )
    assert [(r.title, r.url) for r in article.related] == [
        ("Harbor Lights Director Signs On for a Sequel", SITE + "harbor-lights-sequel/"),
        ("Iron Kestrel Review: A Thriller That Never Lands", SITE + "iron-kestrel-review/"),
        ("The Fall Festival Lineup Is Here", SITE + "fall-festival-lineup/"),
    ]


def test_also_read_headline_linked_only_elsewhere_is_a_related_read() -> None:
    prose = "<p>" + "The studio confirmed the news in a statement on Friday morning. " * 5 + "</p>"
    page = (f"<body><article>{prose}<p>Also Read: Nine Films to Watch This Autumn</p>{prose}"
            '</article><aside><a href="/autumn-films/">Nine Films to Watch This Autumn</a>'
            "</aside></body>")
    article = extract_article(page, URL)
    assert "Also Read" not in article.text
    assert [(r.title, r.url) for r in article.related] == [
        ("Nine Films to Watch This Autumn", "https://framedaily.example/autumn-films/")]


def test_a_related_heading_over_prose_stays_a_heading() -> None:
    prose = "<p>" + "The festival announced its full programme on Friday morning. " * 5 + "</p>"
    page = f"<article>{prose}<h2>More from the festival jury</h2>{prose}</article>"
    article = extract_article(page, URL)
    assert [b.text for b in article.blocks if b.kind == "h"] == ["More from the festival jury"]
