"""Search: prefixes, phrases, ranking, snippets, any typed query, and a damaged index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.models import Article, Block, Span
from tui_reader.store import HIT_END, HIT_START, InvalidSearch, SearchTooBroad, Store
from tui_reader.store import search as search_module


def _add(store: Store, title: str, body: str, days_old: float = 0) -> int:
    article = Article(url=f"https://e.com/{title}", title=title,
                      published=datetime.now(UTC) - timedelta(days=days_old),
                      blocks=[Block("p", [[Span(body)]])])
    return store.save_article(article, feed_id=None, guid=None)[0]


def test_plain_words_match_as_prefixes_and_the_snippet_marks_hits(store: Store) -> None:
    _add(store, "Premiere", "The new Beyoncé documentary opened the festival.")
    _add(store, "Other", "Nothing to see here.")
    [hit] = store.search("beyon")
    assert hit.row.title == "Premiere"
    assert f"{HIT_START}Beyoncé{HIT_END}" in hit.snippet
    assert [h.row.title for h in store.search("beyonce documentary")] == ["Premiere"]


def test_a_trailing_space_means_the_whole_word(store: Store) -> None:
    _add(store, "Stardom", "stardom everywhere")
    _add(store, "Star", "a star is born")
    assert [h.row.title for h in store.search("star ")] == ["Star"]
    assert {h.row.title for h in store.search("star")} == {"Star", "Stardom"}


def test_english_words_find_their_inflections(store: Store) -> None:
    _add(store, "Directing", "She is directing the sequel")
    _add(store, "Directed", "The film was directed by Vale", days_old=1)
    _add(store, "Festivals", "Three festivals in one week", days_old=2)
    _add(store, "Director", "The director speaks", days_old=3)
    assert {h.row.title for h in store.search("direct ")} == {"Directing", "Directed"}
    assert {h.row.title for h in store.search("directs ")} == {"Directing", "Directed"}
    assert [h.row.title for h in store.search("festival ")] == ["Festivals"]
    assert [h.row.title for h in store.search('"directed by"')] == ["Directed"]
    [hit] = store.search("festival ")
    assert f"{HIT_START}festivals{HIT_END}" in hit.snippet


def test_cjk_words_are_found_inside_longer_words(store: Store) -> None:
    _add(store, "아이유 새 앨범", "가수 아이유가 새 앨범을 발표했다. 아이들이 좋아한다.")
    _add(store, "アニメ映画", "新しいアニメ映画が公開された。", days_old=1)
    _add(store, "中文", "这部电影在中国上映", days_old=2)
    _add(store, "English", "An IU album in English text", days_old=3)
    [hit] = store.search("아이유")
    assert hit.row.title == "아이유 새 앨범"
    assert f"{HIT_START}아이유{HIT_END}가" in hit.snippet
    assert [h.row.title for h in store.search("アニメ")] == ["アニメ映画"]
    assert [h.row.title for h in store.search("公開")] == ["アニメ映画"]
    assert [h.row.title for h in store.search("电影")] == ["中文"]
    assert [h.row.title for h in store.search("앨범 아이유")] == ["아이유 새 앨범"]
    assert [h.row.title for h in store.search("album 아이유")] == []


def test_two_and_one_character_cjk_words_are_found_and_ranked(store: Store) -> None:
    _add(store, "아이 하나", "아이가 웃었다")
    _add(store, "제목 없음", "이야기 속 아이 아이 아이", days_old=1)
    _add(store, "다른 글", "관계 없는 이야기", days_old=2)
    titles = [h.row.title for h in store.search("아이")]
    assert titles == ["아이 하나", "제목 없음"]  # a title hit outranks three in the body
    [first] = store.search("웃")
    assert first.snippet.startswith("아이가 " + HIT_START + "웃" + HIT_END)
    assert [h.row.title for h in store.search("이야기 아이")] == ["제목 없음"]
    assert [h.row.title for h in store.search("하나")] == ["아이 하나"]  # at a title's end
    assert store.search("없는 아이") == []


def test_only_articles_with_cjk_text_get_the_trigram_index(store: Store) -> None:
    _add(store, "Plain", "ASCII only")
    _add(store, "Beyoncé’s “tour”", "Accents — and quotes — are not CJK.")
    in_title = _add(store, "“아이유” tour", "English body")
    in_body = _add(store, "Café", "It’s Hangul at the end: 드라마")
    indexed = store.conn.execute("SELECT rowid FROM articles_cjk ORDER BY rowid").fetchall()
    assert [r[0] for r in indexed] == [in_title, in_body]
    assert [h.row.id for h in store.search("드라마")] == [in_body]


def test_cjk_index_follows_updates_and_deletes(store: Store) -> None:
    article_id = _add(store, "Title", "English only")
    assert store.search("한국") == []
    store.conn.execute("UPDATE articles SET body = '한국 드라마' WHERE id = ?", (article_id,))
    assert [h.row.id for h in store.search("한국")] == [article_id]
    store.conn.execute("UPDATE articles SET body = 'English again' WHERE id = ?", (article_id,))
    assert store.search("한국") == []
    other = _add(store, "드라마", "드라마 이야기")
    store.conn.execute("DELETE FROM articles WHERE id = ?", (other,))
    assert store.conn.execute("SELECT count(*) FROM articles_cjk").fetchone()[0] == 0


def test_phrases_and_column_filters_use_fts_syntax(store: Store) -> None:
    _add(store, "Heist film", "the red carpet was rolled out")
    _add(store, "Carpet sale", "a red and a blue carpet")
    assert [h.row.title for h in store.search('"red carpet"')] == ["Heist film"]
    assert [h.row.title for h in store.search("title:carpet")] == ["Carpet sale"]


def test_ranked_by_relevance_then_recency(store: Store) -> None:
    for n in range(20):  # bm25 needs a corpus where the word is not everywhere
        _add(store, f"Filler {n}", "weather and traffic")
    _add(store, "Passing mention", "a long review " + "of many things " * 40 + "and oscars", 0)
    _add(store, "Oscars night", "oscars oscars winners at the oscars", 5)
    _add(store, "Oscars night again", "oscars oscars winners at the oscars", 1)
    titles = [h.row.title for h in store.search("oscars")]
    assert titles == ["Oscars night again", "Oscars night", "Passing mention"]


def test_any_typed_query_gives_results_or_invalid_search(store: Store) -> None:
    _add(store, "Near miss", "AND OR NOT NEAR col x a star quote")
    outcomes: dict[str, object] = {}
    for query in ['"', "AND", "a OR", "NEAR(", "*", "col:x", "(", "^", "-x", "x:", "NEAR(a b, 5"]:
        try:
            outcomes[query] = [h.row.title for h in store.search(query)]
        except InvalidSearch:
            outcomes[query] = "invalid"
    assert outcomes == {
        '"': "invalid", "*": "invalid", "(": "invalid", "^": "invalid",
        "AND": ["Near miss"], "a OR": ["Near miss"], "NEAR(": ["Near miss"],
        "col:x": ["Near miss"], "-x": ["Near miss"], "x:": ["Near miss"],
        "NEAR(a b, 5": [],
    }


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small database for every example: hypothesis calls the test many times."""
    path = tmp_path_factory.mktemp("search") / "db.sqlite3"
    with Store.open(path) as store:
        _add(store, "a b", "a b abc AND OR NOT NEAR title col x é")
    return path


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('abc XYZ"*():^+-{}.,\'\\_é\x00\n')) | st.characters(),
               max_size=40)
       | st.lists(st.sampled_from(["AND", "OR", "NOT", "NEAR(", ")", '"', "*", "col:", "title:",
                                   "a", "b", "^", "+", "NEAR/3", "{title}", "-"]),
                  max_size=8).map(" ".join))
def test_fuzzed_queries_never_raise_anything_else(small_db: Path, query: str) -> None:
    with Store.open(small_db) as store:
        try:
            hits = store.search(query)
        except InvalidSearch:
            return
        assert all(isinstance(h.snippet, str) for h in hits)


def test_surrogates_and_control_characters_are_harmless(store: Store) -> None:
    _add(store, "Umlaut", "Motörhead live")
    assert [h.row.title for h in store.search("mot\udcff")] == ["Umlaut"]
    assert [h.row.title for h in store.search("motör\x00")] == ["Umlaut"]


def test_a_damaged_search_index_is_rebuilt_not_fatal(store: Store) -> None:
    for n in range(300):
        _add(store, f"Story {n}", f"festival film number {n} " * 20)
    store.conn.execute(
        "UPDATE articles_fts_data SET block = randomblob(length(block)) WHERE id > 10")
    assert len(store.search("festival", limit=500)) == 300
    assert store.check_search_index() is False


def test_an_out_of_sync_index_is_detected_and_rebuilt(store: Store) -> None:
    article_id = _add(store, "Kept", "unique zebra text")
    store.conn.execute(
        "INSERT INTO articles_fts (articles_fts, rowid, title, author, body)"
        " VALUES ('delete', ?, 'Kept', '', 'unique zebra text')", (article_id,))
    assert store.search("zebra") == []
    assert store.check_search_index() is True
    assert [h.row.title for h in store.search("zebra")] == ["Kept"]


def test_an_explicit_star_is_the_prefix_typing_gives(store: Store) -> None:
    _add(store, "Starring", "starring roles everywhere")
    _add(store, "Star", "a star is born")
    _add(store, "Other", "nothing here")
    for query in ("star*", "sta*", "s*", "born star*"):
        assert {h.row.title for h in store.search(query)} == {
            h.row.title for h in store.search(query[:-1])}, query
    assert {h.row.title for h in store.search("star*")} == {"Star", "Starring"}


def test_a_long_prefix_of_a_word_filling_the_window_is_searched_as_the_word(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Merging every word a long prefix starts costs ~140 ms at 50,000 articles; when the
    word alone fills the ranking window, the merge could barely change what is shown."""
    monkeypatch.setattr("tui_reader.store.search.RANK_WINDOW", 3)
    for n in range(4):
        _add(store, f"Festival {n}", "festival news")
    _add(store, "Festivalgoers", "festivalgoers everywhere", days_old=1)
    _add(store, "Rare", "premieres and premiere", days_old=1)
    _add(store, "Rarer", "premiered", days_old=2)
    assert "Festivalgoers" not in {h.row.title for h in store.search("festival*")}
    assert "Festivalgoers" not in {h.row.title for h in store.search("festival")}
    assert {h.row.title for h in store.search("premier*")} == {"Rare", "Rarer"}


def test_a_word_given_twice_is_searched_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """FTS5's time grows with the square of repeated terms: 60 × "the" took 6 s."""
    _add(store, "Premiere", "the premiere of the film")
    sent: list[str] = []
    real = search_module._ranked
    monkeypatch.setattr(search_module, "_ranked",
                        lambda conn, match, limit: sent.append(match) or real(conn, match, limit))
    assert [h.row.title for h in store.search("the " * 60 + "Film THE premi")] == ["Premiere"]
    assert sent == ['"the" "Film" "premi"*']


def test_a_search_past_its_time_limit_stops_with_a_clear_message(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(200):
        _add(store, f"Story {n}", "the a of and " * 50)
    monkeypatch.setattr(search_module, "SEARCH_SECONDS", 0.0)
    with pytest.raises(SearchTooBroad, match="try fewer or longer words"):
        store.search('"the a" OR of* OR and*')
    monkeypatch.setattr(search_module, "SEARCH_SECONDS", 60.0)
    assert len(store.search("the", limit=500)) == 200  # the connection is as it was


def test_the_excerpt_is_where_most_searched_words_are(store: Store) -> None:
    filler = "Nothing much happens in this sentence at all. " * 8
    _add(store, "Long", f"The premiere opened. {filler} The premiere of the festival film.")
    [hit] = store.search("festival premiere")
    assert f"{HIT_START}premiere{HIT_END} of the {HIT_START}festival{HIT_END}" in hit.snippet
    assert hit.snippet.startswith("…") and len(hit.snippet) < 200
    [hit] = store.search("long")  # found in the title only: the body's start
    assert hit.snippet.startswith("The premiere opened.") and hit.snippet.endswith("…")


@given(st.lists(st.tuples(st.text(alphabet="ab .\n가", max_size=60), st.booleans()),
                max_size=12))
def test_an_excerpt_keeps_its_marks_paired(pieces: list[tuple[str, bool]]) -> None:
    marked = "".join(HIT_START + text + HIT_END if hit else text for text, hit in pieces)
    excerpt = search_module._excerpt(marked)
    marks = [c for c in excerpt if c in (HIT_START, HIT_END)]
    assert marks == [HIT_START, HIT_END] * (len(marks) // 2)


def test_a_single_letter_is_searched_as_a_word(store: Store) -> None:
    """As a prefix it starts a tenth of all words: merging them took over 2 s at 50,000."""
    _add(store, "Vitamin", "vitamin v for vigour")
    _add(store, "Video", "a video", days_old=1)
    assert [h.row.title for h in store.search("v")] == ["Vitamin"]
    assert {h.row.title for h in store.search("vi")} == {"Vitamin", "Video"}


def test_a_one_character_cjk_search_ranks_the_latest_stored_matches(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its text is read and counted in Python, so ranked searches look at fewer articles;
    a saved search, which only lists, still gets the whole window."""
    monkeypatch.setattr(search_module, "SHORT_WINDOW", 2)
    ids = [_add(store, f"웃음 {n}", "아이가 웃었다") for n in range(3)]
    assert {h.row.id for h in store.search("웃")} == set(ids[1:])
    assert sorted(search_module.run_search(store.conn, "웃", None)) == sorted(ids)
