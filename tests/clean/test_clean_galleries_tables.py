"""Galleries keep their captions in order; old table layouts print the body only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tui_reader.cli import main

PAGES = Path(__file__).parent / "pages"


def test_read_prints_the_gallery_with_its_captions_in_order(
        site: Any, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = site.add("/photos/starlight/", (PAGES / "gallery.html").read_bytes())
    assert main(["read", "--format", "markdown", url]) == 0
    out = capsys.readouterr().out
    pictures = url.split("/photos/")[0] + "/g/"
    assert out == (
        "# Red Carpet Looks From the Starlight Awards\n\n"
        "The Starlight Awards returned to the Lakeside Pavilion on Sunday night, and the nominees "
        "arrived ready to make a statement, trading last year's muted palettes for bold color "
        "and sculptural tailoring.\n\n"
        f"![Mara Lindqvist in a cobalt column gown with a dramatic cape.](<{pictures}1.jpg>)\n\n"
        f"![Tobias Reyes chose a velvet tuxedo in deep green.](<{pictures}2.jpg>)\n\n"
        f"![Ilse Brandt wore vintage silver sequins from the 1970s.](<{pictures}3.jpg>)\n\n"
        f"![Anton Vieira kept it classic in black and white.](<{pictures}4.jpg>)\n\n"
        "Best Picture went to Moonlit Tide, which also won awards for its score and "
        "cinematography, capping a remarkable run for the small independent production.\n"
    )


def test_read_prints_only_the_body_of_a_table_layout(
        site: Any, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = site.add("/news/42", (PAGES / "tablelayout.html").read_bytes())
    assert main(["read", url]) == 0
    assert capsys.readouterr().out == (
        "Retrospective Announced\n"
        "\n"
        "The Kinoklub will devote its entire spring season to the films of director Helena "
        "Varga, screening all eleven of her features in new restorations.\n\n"
        "Each screening will be introduced by a critic or a member of her crews, and the "
        "closing night will feature a conversation with Varga herself.\n\n"
        "Tickets go on sale on the first of the month at the box office and by telephone.\n"
    )
