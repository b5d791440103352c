"""The same story from different sites: the pairwise test and grouping by it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui_reader.store.stories import Signature, group, same_story, signature

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _sig(title: str, lead: str, site: str, hours: float = 0) -> Signature:
    return signature(title, lead, site, T0 + timedelta(hours=hours))


RELEASE_A = _sig("Brightwater dates 'Copper Moths' for an August release",
                 "Brightwater Films will open the heist comedy Copper Moths on August 7, "
                 "the studio said.", "cinemadesk.test")
RELEASE_B = _sig("'Copper Moths' heist comedy set for August 7 release by Brightwater",
                 "Director Ilse Varga's comedy gets its release date: Copper Moths opens "
                 "August 7.", "moviewire.test", hours=5)


def test_one_event_in_other_words_from_another_site_is_one_story() -> None:
    assert same_story(RELEASE_A, RELEASE_B)
    assert same_story(RELEASE_B, RELEASE_A)


def test_the_same_site_is_never_one_story_with_itself() -> None:
    again = _sig("'Copper Moths' heist comedy set for August 7 release by Brightwater",
                 "Copper Moths opens August 7.", "CineMaDesk.test", hours=1)
    assert not same_story(RELEASE_A, again)


def test_beyond_the_window_is_another_story() -> None:
    later = _sig("'Copper Moths' heist comedy set for August 7 release by Brightwater",
                 "Director Ilse Varga's comedy gets its release date: Copper Moths opens "
                 "August 7.", "moviewire.test", hours=24 * 5)
    assert not same_story(RELEASE_A, later)
    assert same_story(RELEASE_A, later, window=timedelta(days=6))


def test_a_review_and_the_box_office_of_one_film_are_two_stories() -> None:
    review = _sig("'Copper Moths' review: a breezy heist with Brightwater polish",
                  "Ilse Varga's comedy is slight, quick and fun.", "cinemadesk.test")
    box = _sig("Box office: 'Copper Moths' steals the weekend with $31 million",
               "Brightwater's heist comedy opened to $31 million.", "moviewire.test", hours=30)
    assert not same_story(review, box)


def test_different_episodes_of_one_show_are_two_stories() -> None:
    ep5 = _sig("'Glass Orchard' episode 5 recap: the letter is found",
               "Min Ha-rin's heir finds the hidden letter in episode 5 of the drama.",
               "dramanotes.test")
    ep6 = _sig("'Glass Orchard' episode 6 recap: the letter is burned",
               "Min Ha-rin's heir destroys the letter in episode 6 of the drama.",
               "kdramaweek.test", hours=24)
    assert not same_story(ep5, ep6)


def test_different_sums_tell_different_events() -> None:
    first = _sig("'Copper Moths' opens to $31 million at the box office",
                 "Brightwater's heist comedy led the weekend.", "cinemadesk.test")
    second = _sig("'Copper Moths' adds $12 million at the box office in week two",
                  "Brightwater's heist comedy held on in its second weekend.",
                  "moviewire.test", hours=48)
    assert not same_story(first, second)


def test_no_shared_name_is_no_story() -> None:
    other = _sig("Studio sets comedy for an August release",
                 "A studio will open a comedy on August 7, it said.", "moviewire.test")
    assert not same_story(RELEASE_A, other)


def test_apostrophes_are_not_quotes() -> None:
    """A possessive is not the start of a quoted title running to the next apostrophe."""
    sig = _sig("Ilse Varga's next film is Nina Roe's 'Paper Gulls'", "", "a.test")
    assert "paper gulls" in sig.names
    assert not any("next film" in name for name in sig.names)


def test_grouping_is_the_union_of_pairs_in_first_seen_order() -> None:
    third = _sig("Brightwater sets Copper Moths release for August 7",
                 "Ilse Varga's heist comedy Copper Moths will open on August 7.",
                 "screenpost.test", hours=20)
    unrelated = _sig("Halden Games delays 'Frostline' to 2027",
                     "The studio pushed its shooter out of this year.", "gamedesk.test", hours=2)
    assert group([RELEASE_A, unrelated, RELEASE_B, third]) == [[0, 2, 3], [1]]
    assert group([]) == []
