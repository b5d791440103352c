"""Embedded trailers, posts and players stay in the body as linked blocks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tui_reader.body import Block
from tui_reader.clean import extract_article
from tui_reader.cli import main
from tui_reader.ui.text import render_body

PAGES = Path(__file__).parent / "pages"
URL = "https://reeltidings.example/2024/06/glass-orchard-trailer/"
EMBEDS = [
    ("▶ Trailer — YouTube: Glass Orchard Season 2 | Official Trailer",
     "https://www.youtube.com/watch?v=AbC123xyz_9"),
    ("▶ Post — X", "https://twitter.com/luciaferrand/status/1800000000000000000"),
    ("▶ Music — Spotify: Orchard Theme",
     "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC"),
    ("▶ Post — Instagram: A post shared by Glass Orchard (@glassorchard)",
     "https://www.instagram.com/p/C8xyzABC123/"),
    ("▶ Video: Premiere clip", "https://reeltidings.example/media/premiere-clip.mp4"),
    ("▶ Video — Vimeo", "https://vimeo.com/123456789"),
]


def _article() -> Any:
    return extract_article((PAGES / "embeds.html").read_bytes(), URL)


def test_embeds_are_blocks_in_page_order() -> None:
    article = _article()
    embeds = [b for b in article.blocks if b.kind == "embed"]
    assert [(b.lines[0][0].text, b.src) for b in embeds] == EMBEDS
    # "Watch it below." is followed by the trailer, not by the next paragraph.
    kinds = [b.kind for b in article.blocks]
    assert kinds[kinds.index("embed") - 1] == "p"
    assert article.blocks[kinds.index("embed") - 1].text == "Watch it below."


def test_embeds_are_numbered_links_everywhere() -> None:
    article = _article()
    embeds = [(link.title, link.url) for link in article.links if link.title.startswith("▶")]
    assert embeds == EMBEDS
    assert "[▶ Trailer — YouTube: Glass Orchard Season 2 \\| Official Trailer]" \
        "(<https://www.youtube.com/watch?v=AbC123xyz_9>)" in article.markdown
    _, links = render_body(article)
    assert links == [link.url for link in article.links]


def test_links_to_channels_and_share_dialogs_are_not_embeds() -> None:
    page = ("<article><p>" + "Prose long enough to be the article body here. " * 8 + "</p>"
            '<p><a href="https://www.youtube.com/c/somechannel">Subscribe on YouTube</a></p>'
            '<p><a href="https://twitter.com/share?text=hi">Click To Tweet</a></p></article>')
    assert not [b for b in extract_article(page, URL).blocks if b.kind == "embed"]


def test_unknown_frames_and_bad_urls_are_dropped() -> None:
    text = _article().text
    assert "ads.example" not in text and "Advertisement" not in text
    assert "javascript" not in text and "does not support" not in text


def test_embed_titles_are_cleaned_text() -> None:
    page = ('<article><p>' + "Prose long enough to be the article body here. " * 8 + '</p>'
            '<iframe src="https://player.vimeo.com/video/42" title="Clip\x1b[31m <b>red</b>">'
            '</iframe></article>')
    block = next(b for b in extract_article(page, URL).blocks if b.kind == "embed")
    assert block.src == "https://vimeo.com/42"
    assert "\x1b" not in block.text
    assert Block.from_dict(block.to_dict()) == block


def test_read_prints_the_article_with_its_embeds(site: Any, home: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    url = site.add("/2024/06/glass-orchard-trailer/", (PAGES / "embeds.html").read_bytes())
    assert main(["read", url]) == 0
    out = capsys.readouterr().out
    clip = url.split("/2024/")[0] + "/media/premiere-clip.mp4"
    assert out == (
        "Glass Orchard Trailer Teases a Darker Season\n"
        "Noor Haddad · 2024-06-11 · Reel Tidings\n"
        "\n"
        "The second season of Glass Orchard arrives on August 2, and the first full trailer, "
        "released on Monday, suggests the family saga has traded its sunlit vineyards for "
        "storms and secrets.\n\n"
        "Watch it below.\n\n"
        "▶ Trailer — YouTube: Glass Orchard Season 2 | Official Trailer "
        "<https://www.youtube.com/watch?v=AbC123xyz_9>\n\n"
        "Star Lucia Ferrand shared a behind-the-scenes look on the last day of filming, writing "
        "that the crew had become a second family over the long autumn shoot.\n\n"
        "That's a wrap on season two. I will miss every one of you. pic.twitter.com/abc\n"
        "— Lucia Ferrand (@luciaferrand) June 10, 2024\n\n"
        "▶ Post — X <https://twitter.com/luciaferrand/status/1800000000000000000>\n\n"
        "The score is again by composer Elias Brand, whose main theme is already streaming.\n\n"
        "▶ Music — Spotify: Orchard Theme "
        "<https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC>\n\n"
        "The cast also previewed a scene on Instagram before the trailer dropped.\n\n"
        "▶ Post — Instagram: A post shared by Glass Orchard (@glassorchard) "
        "<https://www.instagram.com/p/C8xyzABC123/>\n\n"
        "A short clip from the premiere also ran on the network's own player:\n\n"
        f"▶ Video: Premiere clip <{clip}>\n\n"
        "▶ Video — Vimeo <https://vimeo.com/123456789>\n\n"
        "Season two runs for eight episodes, with two arriving on the first night and the "
        "rest weekly.\n"
    )
