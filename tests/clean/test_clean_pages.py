"""Each sample page, written in the style of a real entertainment site, cleans to exactly
its article: body, title, author, date and related reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from tui_reader import extract_article
from tui_reader.models import Article, Link

PAGES = Path(__file__).parent / "pages"


def clean(name: str, url: str | None = None) -> Article:
    return extract_article((PAGES / name).read_bytes(), url)


def test_wordpress_post_with_also_read_jetpack_and_comment_form() -> None:
    article = clean("wordpress.html", "https://popcorndispatch.example/?p=4821")
    assert article.title == "Neon Harbor Season 2 Gets a Premiere Date"
    assert article.author == "Dana Whitfield"
    assert article.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert article.url == (
        "https://popcorndispatch.example/2024/03/neon-harbor-season-2-premiere-date/")
    assert article.site_name == "Popcorn Dispatch"
    assert article.tags == ["TV", "Neon Harbor", "Streaming"]
    assert article.image == (
        "https://popcorndispatch.example/wp-content/uploads/2024/03/neon-harbor.jpg")
    assert article.text == (
        "The wait is nearly over for fans of Neon Harbor. Streamline confirmed on Tuesday that "
        "the noir drama returns for a second season on May 17, with all eight episodes dropping "
        "at once.\n\n"
        "Showrunner Priya Castellanos told reporters the new episodes pick up six months after "
        "the finale, with Detective Rui Almeida’s investigation “turning inward” as the harbor’s "
        "old families close ranks.\n\n"
        "Who is back\n\n"
        "Most of the core cast returns, including Mara Lindqvist and Tobias Reyes. Newcomer Ilse "
        "Brandt joins as a port authority auditor with secrets of her own.\n\n"
        "The first season became the service’s most-watched original debut of 2023, according "
        "to the company."
    )
    assert article.related == [
        Link("Neon Harbor Finale Explained: Who Really Sank the Marlowe?",
             "https://popcorndispatch.example/2024/02/neon-harbor-finale-explained/"),
        Link("Ilse Brandt on Her Leap From Stage to Streaming",
             "https://popcorndispatch.example/2024/01/ilse-brandt-interview/"),
        Link("The Best TV Noir Shows to Stream Right Now",
             "https://popcorndispatch.example/2024/02/best-tv-noir-shows/"),
        Link("Streamline Unveils Its Spring Slate",
             "https://popcorndispatch.example/2023/11/streamline-spring-slate/"),
    ]
    image = article.blocks[0]
    assert image.kind == "img"
    assert image.src == "https://popcorndispatch.example/wp-content/uploads/2024/03/neon-harbor.jpg"
    assert image.text == "The crew returns to the docks."
    assert [b.kind for b in article.blocks[1:]] == ["p", "p", "h", "p", "p"]
    assert article.blocks[3].level == 2


def test_trade_press_with_read_more_ads_newsletter_and_quotes() -> None:
    article = clean("tradepress.html")
    assert article.title == "Halvorsen Signs Overall Deal With Meridian Studios"
    assert article.author == "Owen Tremaine"
    assert article.published == datetime(2024, 6, 11, 10, 45,
                                          tzinfo=timezone(timedelta(hours=-7)))
    assert article.site_name == "Marquee Daily"
    assert article.url == (
        "https://marqueedaily.example/tv/news/halvorsen-meridian-overall-deal-1235901234/")
    assert article.tags == ["TV", "Ingrid Halvorsen", "Meridian Studios", "Overall Deals"]
    assert article.text == (
        "Ingrid Halvorsen, the writer-producer behind Glass Meridian, has signed a multi-year "
        "overall deal with Meridian Studios, Marquee Daily has learned.\n\n"
        "Under the pact, Halvorsen will create and develop scripted series for all platforms "
        "through her Northlight Pictures banner, which she runs with producing partner Caleb "
        "Osei.\n\n"
        "The deal comes as studios tighten spending on talent, making seven-figure pacts rarer "
        "than at the height of the streaming boom.\n\n"
        "“It felt like coming home.”\n\n"
        "“Meridian took a chance on Glass Meridian when nobody else would,” Halvorsen said. "
        "“It felt like coming home.”\n\n"
        "Ingrid writes characters audiences can’t stop talking about. We’re thrilled to be her "
        "home for the next chapter.\n"
        "— Meridian president Jo Park\n\n"
        "Halvorsen is repped by UTA and attorney Marcus Feld."
    )
    assert [b.kind for b in article.blocks] == ["p", "p", "p", "quote", "p", "quote", "p"]
    assert article.links == [
        Link("Glass Meridian", "https://marqueedaily.example/t/glass-meridian/")]
    assert article.related == [
        Link("‘Glass Meridian’ Renewed for Third Season",
             "https://marqueedaily.example/tv/news/glass-meridian-season-3-1235800000/"),
        Link("Meridian Studios Sets Upfront Date",
             "https://marqueedaily.example/tv/news/meridian-studios-upfront-1235700000/"),
    ]


def test_old_table_layout_in_windows_1252_with_br_paragraphs() -> None:
    raw = (PAGES / "oldtable.html").read_bytes()
    assert "é".encode("cp1252") in raw  # the page really is windows-1252, not UTF-8
    article = extract_article(raw, "http://gazette.example/news/lumiere.html")
    assert article.title == "Café Lumière Reopens"
    assert article.author == "Margit Sørensen"
    assert article.published == datetime(2003, 2, 14, tzinfo=UTC)
    assert article.text == (
        "The little repertory cinema on Harbour Street reopened its doors on Friday night after "
        "eighteen months of repairs, and the queue stretched past the bakery on the corner. The "
        "owners kept the red velvet seats, the hand-painted ceiling and the temperamental "
        "projector everyone calls “Old Bertha”.\n\n"
        "The opening programme was a double bill of silent comedies with live piano, followed by "
        "a midnight screening of a restored noir print borrowed from the national archive. "
        "Tickets for the first week sold out within a day.\n\n"
        "“We wanted it to feel like nothing had changed,” said co-owner Anton Vieira, “except "
        "that the roof no longer leaks on row F.”\n\n"
        "Next month’s season includes a retrospective of Nordic crime films and a children’s "
        "matinée every Sunday. See the full programme for dates and prices."
    )
    assert article.links == [Link("full programme", "http://gazette.example/programme.html")]
    assert article.related == []


def test_amp_page() -> None:
    article = clean("amp.html")
    assert article.title == "LUMEN Tops the Charts With Comeback Single ‘Afterglow’"
    assert article.author == "Hana Seo"
    assert article.published == datetime(2024, 4, 22, 8, tzinfo=timezone(timedelta(hours=9)))
    assert article.image == "https://kpopwire.example/img/lumen-afterglow.jpg"
    assert article.site_name == "KpopWire"
    assert article.url == "https://kpopwire.example/news/lumen-comeback-single-tops-charts"
    assert article.text == (
        "Five-member group LUMEN swept the real-time charts within hours of releasing "
        "“Afterglow,” the lead single from their third mini album.\n\n"
        "The song reached No. 1 on three major domestic music services by midnight, and its "
        "music video passed 12 million views in its first day.\n\n"
        "Leader Jiwoo said at the showcase that the members wrote lyrics for four of the six "
        "tracks, calling the record “our most honest work so far.”"
    )
    assert article.related == []


def test_lists_quotes_and_preformatted_text() -> None:
    article = clean("lists.html", "https://needledrop.example/2024/12/best-soundtracks")
    assert article.title == "The 5 Best Soundtracks of the Year, Ranked"
    assert article.author == "Theo Marchetti"
    assert article.published == datetime(2024, 12, 18, 15, tzinfo=timezone(timedelta(hours=-5)))
    assert article.markdown == (
        "Film scores had a remarkable year. Here are the five we kept coming back to, plus what "
        "to play if you only have ten minutes.\n\n"
        "## The ranking\n\n"
        "1. Tidewater — a patient, string-driven score that builds like weather.\n"
        "2. Night Shift Diner — lounge jazz with a detective's sense of timing.\n"
        "3. Paper Moons — [our full review](<https://needledrop.example/reviews/paper-moons-score>)"
        " called it “quietly perfect.”\n"
        "4. Hollow Crown — choral, enormous and a little overwhelming.\n"
        "5. Static Bloom — synthesizers, tape hiss and a surprising amount of heart.\n\n"
        "### If you only have ten minutes\n\n"
        "- “Low Tide” from Tidewater\n"
        "- “Last Call” from Night Shift Diner\n\n"
        "> A great score tells you what a scene is about before anyone speaks.\n\n"
        "That line, from composer Amara Lind at a panel this spring, sums up what the best of "
        "this year's soundtracks did.\n\n"
        "```\nTidewater (Original Score)\n  01. Low Tide      3:41\n  02. Breakwater    5:12\n```"
        "\n\n"
        "Tell us your favourites — we read every letter."
    )
    assert [b.kind for b in article.blocks] == ["p", "h", "ol", "h", "ul", "quote", "p", "pre",
                                                "p"]
    assert article.related == []


def test_listing_page_has_no_article() -> None:
    article = clean("listing.html", "https://reeltalk.example/movies")
    assert article.text == ""
    assert article.blocks == []
    assert article.site_name == "Reel Talk"
