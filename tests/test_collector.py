"""The collector is spaced out while a refresh or a grouping runs, and set back after."""

from __future__ import annotations

import gc

from tui_reader.collector import spaced


def test_collections_are_spaced_out_inside_and_set_back_after() -> None:
    before = gc.get_threshold()
    with spaced():
        inside = gc.get_threshold()
        assert inside[0] >= 10_000
        assert all(now >= then for now, then in zip(inside, before, strict=True))
        with spaced():
            assert gc.get_threshold() == inside
        assert gc.get_threshold() == inside
    assert gc.get_threshold() == before


def test_overlapping_uses_set_it_back_when_the_last_ends() -> None:
    # A refresh task and a grouping on a thread overlap without nesting.
    before = gc.get_threshold()
    first, second = spaced(), spaced()
    first.__enter__()
    second.__enter__()
    inside = gc.get_threshold()
    first.__exit__(None, None, None)
    assert gc.get_threshold() == inside
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_higher_thresholds_are_kept() -> None:
    before = gc.get_threshold()
    gc.set_threshold(50_000, 5, 100)
    try:
        with spaced():
            assert gc.get_threshold() == (50_000, 20, 100)
        assert gc.get_threshold() == (50_000, 5, 100)
    finally:
        gc.set_threshold(*before)
