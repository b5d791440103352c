"""`tui-reader read <url>` on a sample page prints exactly the cleaned article."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tui_reader.clean import extract_article
from tui_reader.cli import main
from tui_reader.models import Article
from tui_reader.paths import Paths
from tui_reader.store import Store

PAGES = Path(__file__).parent / "pages"


def test_read_prints_the_article(site: Any, home: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    url = site.add("/2024/03/neon-harbor/", (PAGES / "wordpress.html").read_bytes())
    assert main(["read", url]) == 0
    out = capsys.readouterr().out
    assert out == (
        "Neon Harbor Season 2 Gets a Premiere Date\n"
        "Dana Whitfield · 2024-03-05 · Popcorn Dispatch\n"
        "\n"
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
        "to the company.\n"
        "\n"
        "Related:\n"
        "- Neon Harbor Finale Explained: Who Really Sank the Marlowe? "
        "<https://popcorndispatch.example/2024/02/neon-harbor-finale-explained/>\n"
        "- Ilse Brandt on Her Leap From Stage to Streaming "
        "<https://popcorndispatch.example/2024/01/ilse-brandt-interview/>\n"
        "- The Best TV Noir Shows to Stream Right Now "
        "<https://popcorndispatch.example/2024/02/best-tv-noir-shows/>\n"
        "- Streamline Unveils Its Spring Slate "
        "<https://popcorndispatch.example/2023/11/streamline-spring-slate/>\n"
    )


def test_reclean_says_an_unchanged_page_is_unchanged(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = (PAGES / "wordpress.html").read_bytes()
    url = "https://popcorndispatch.example/2024/03/neon-harbor/"
    with Store.open(Paths.resolve(home).ensure().database) as store:
        store.save_article(extract_article(page, url), feed_id=None, guid=None, raw_html=page)
    assert main(["reclean"]) == 0
    assert capsys.readouterr().out == "1 stored pages: 0 changed, 1 unchanged\n"


def test_reclean_reads_a_page_in_the_charset_its_header_named(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Japanese page names its charset only in the HTTP header: cleaned again offline, it is
    read in that charset (its bytes alone would be taken for Windows-1252)."""
    paragraphs = "".join(f"<p>新しいドラマの第{n}話では主人公が古い秘密に向き合い、視聴者は次の"
                         "展開を待ちながら結末についてさまざまな予想を語り合っている。</p>"
                         for n in range(1, 6))
    page = f"<html><body><article><h1>ドラマ評</h1>{paragraphs}</article></body></html>"
    url = "https://drama.example/review/1"
    with Store.open(Paths.resolve(home).ensure().database) as store:
        store.save_article(Article(url=url, title="ドラマ評"), feed_id=None, guid=None,
                           raw_html=page.encode("euc_jp"),
                           content_type="text/html; charset=EUC-JP")
    assert main(["reclean"]) == 0
    assert "1 changed" in capsys.readouterr().out
    with Store.open(Paths.resolve(home).database) as store:
        [row] = store.articles()
        article = store.article(row.id)
        assert article is not None and "視聴者は次の展開を待ちながら" in article.text
