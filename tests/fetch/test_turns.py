"""Turns at the store among a refresh's processes: one at a time, each woken when it is free."""

from __future__ import annotations

import threading

import pytest

from tui_reader.refresh.turns import Turns, shared_turns


def test_a_turn_waits_for_the_one_before_it_to_end() -> None:
    order: list[str] = []
    with shared_turns() as first:
        assert first is not None
        second = Turns(first.path)  # as another process opens it: an open file of its own
        try:
            waiting = threading.Thread(target=second.run,
                                       args=(lambda: order.append("second"),))

            def holding() -> None:
                waiting.start()
                waiting.join(0.2)  # it cannot get in meanwhile
                order.append("first")

            first.run(holding)
            waiting.join(10)
        finally:
            second.close()
    assert order == ["first", "second"]


def test_a_turn_hands_back_what_the_call_returns_and_raises() -> None:
    with shared_turns() as turns:
        assert turns is not None
        assert turns.run(lambda: 42) == 42
        with pytest.raises(ZeroDivisionError):
            turns.run(lambda: 1 // 0)
        assert turns.run(lambda: "free again") == "free again"
        path = turns.path
    assert not path.exists()
