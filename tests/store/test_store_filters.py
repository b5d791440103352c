"""Filters from config.toml: hide or mark read, as articles come in and when rules change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tui_reader.cli import main
from tui_reader.config import parse_config
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.store.filters import Filter


def _titles(store: Store, **options: Any) -> list[str]:
    return sorted(r.title for r in store.articles(**options))


def _add(store: Store, make: Any, n: int, title: str, body: str = "text", **row: Any) -> int:
    article = make(n, body, title=title)
    for key, value in row.items():
        setattr(article, key, value)
    return store.save_article(article, feed_id=row.pop("feed_id", None), guid=None)[0]


def test_rules_hide_or_mark_read_what_comes_in(store: Store, feed_id: int, make: Any) -> None:
    store.use_filters((Filter.make("title", "sponsored|giveaway", "hide"),
                       Filter.make("author", r"^press desk$", "read"),
                       Filter.make("text", "spoilers ahead", "read"),
                       Filter.make("link", r"/deals/", "hide")))
    _add(store, make, 1, "Win a GIVEAWAY")
    _add(store, make, 2, "Plain review")
    _add(store, make, 3, "Wire copy", author="Press Desk")
    _add(store, make, 4, "Finale recap", "Big SPOILERS AHEAD for the finale")
    _add(store, make, 5, "Discount", url="https://e.com/deals/tv")
    assert _titles(store) == ["Finale recap", "Plain review", "Wire copy"]
    assert _titles(store, unread=True) == ["Plain review"]
    assert _titles(store, hidden=True) == [
        "Discount", "Finale recap", "Plain review", "Win a GIVEAWAY", "Wire copy"]
    assert {r.title for r in store.articles(hidden=True) if r.hidden} == {
        "Discount", "Win a GIVEAWAY"}
    assert store.counts() == {"all": 3, "unread": 1, "bookmarks": 0}


def test_a_feed_rule_and_articles_stored_before_the_rules(
        store: Store, feed_id: int, make: Any) -> None:
    store.save_article(make(1, title="From the feed"), feed_id=feed_id, guid="a")
    _add(store, make, 2, "Opened by URL")
    store.use_filters((Filter.make("feed", "^example$", "hide"),))
    assert _titles(store) == ["Opened by URL"]
    assert [f.unread for f in store.feeds()] == [0]
    store.use_filters(())  # rules removed: hidden articles come back
    assert _titles(store) == ["From the feed", "Opened by URL"]


def test_a_changed_rule_is_applied_again_to_every_article(store: Store, make: Any) -> None:
    store.use_filters((Filter.make("title", "trailer", "hide"),))
    _add(store, make, 1, "Trailer drops")
    _add(store, make, 2, "Teaser drops")
    assert _titles(store) == ["Teaser drops"]
    store.use_filters((Filter.make("title", "teaser", "hide"),))
    assert _titles(store) == ["Trailer drops"]


def test_config_rules_and_one_warning_line_per_bad_rule(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    settings = parse_config(
        '[[filter]]\nmatch = "title"\npattern = "(?i)sponsored|giveaway"\naction = "hide"\n'
        '[[filter]]\nmatch = "text"\npattern = "broken["\naction = "read"\n'
        '[[filter]]\nmatch = "body"\npattern = "x"\n', path)
    assert [(f.field, f.pattern.pattern, f.action) for f in settings.filters] == [
        ("title", "(?i)sponsored|giveaway", "hide")]
    assert len(settings.warnings) == 2
    assert "[[filter]] 2 (pattern = 'broken[')" in settings.warnings[0]
    assert "invalid regular expression" in settings.warnings[0]
    assert "[[filter]] 3" in settings.warnings[1] and "match must be one of" in settings.warnings[1]
    assert all("\n" not in w for w in settings.warnings)


def test_articles_all_lists_hidden_ones(tmp_path: Path, make: Any,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    paths = Paths.resolve(tmp_path).ensure()
    paths.config_file.write_text('[[filter]]\nmatch = "title"\npattern = "giveaway"\n'
                                 '[[filter]]\npattern = "(unclosed"\n')
    with Store.open(paths.database) as store:
        _add(store, make, 1, "Giveaway time")
        _add(store, make, 2, "Review")
    assert main(["--home", str(tmp_path), "articles"]) == 0
    out, err = capsys.readouterr()
    assert "Review" in out and "Giveaway" not in out
    assert err.count("\n") == 1 and "(unclosed" in err
    assert main(["--home", str(tmp_path), "articles", "--all"]) == 0
    out, _ = capsys.readouterr()
    assert "Giveaway time  [hidden]" in out
