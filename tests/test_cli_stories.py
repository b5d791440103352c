"""`articles` shows each story once with its other articles under it; mark-read follows
story_read."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from story_support import LANTERN, ORCHARD, store_told
from tui_reader.cli import main
from tui_reader.paths import Paths
from tui_reader.store import Store


@pytest.fixture
def told(home: Path) -> Paths:
    return store_told(home, [*LANTERN[:2], ORCHARD], datetime.now(UTC) - timedelta(days=1))


def test_articles_lists_a_story_once_with_its_other_articles_under_it(
    told: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["articles"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    head = next(line for line in lines if "Northlight sets" in line)
    assert "[2 sources]" in head
    under = lines[lines.index(head) + 1]
    assert under.lstrip().startswith("↳ 2  'Lantern Keepers' gets May 15")
    assert main(["articles", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == {1, 3}
    assert (rows[1]["story"], rows[1]["sources"]) == (1, 2)
    assert (rows[3]["story"], rows[3]["sources"]) == (None, 1)


def test_mark_read_marks_the_story_unless_story_read_is_article(
    told: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mark-read", "2"]) == 0
    with Store.open(told.database) as store:
        assert [store.row(i).read for i in (1, 2)] == [True, True]  # type: ignore[union-attr]
    told.config_file.write_text('[reader]\nstory_read = "article"\n', encoding="utf-8")
    assert main(["mark-unread", "2"]) == 0
    with Store.open(told.database) as store:
        assert [store.row(i).read for i in (1, 2)] == [True, False]  # type: ignore[union-attr]
    told.config_file.write_text('[reader]\nstory_read = "both"\n', encoding="utf-8")
    assert main(["mark-read", "2"]) == 2
    assert 'story_read must be "story" or "article"' in capsys.readouterr().err
