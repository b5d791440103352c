"""The terminal probe: every question in one round trip, answered over a real pseudo-terminal."""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from tui_reader.ui import terminal
from tui_reader.ui.terminal import DEFAULT_CELL, Answers, parse

pty = pytest.importorskip("pty")

DA1 = "\x1b[c"


@contextmanager
def fake_terminal(answer: Callable[[str], str]) -> Iterator[tuple[int, list[str]]]:
    """A pseudo-terminal whose far end reads what is asked and replies `answer(asked)` once
    the DA1 request arrives, as a terminal does; yields the near end and what was asked."""
    main, near = pty.openpty()
    asked: list[str] = []

    def serve() -> None:
        text = ""
        while DA1 not in text:
            try:
                chunk = os.read(main, 1024)
            except OSError:
                return
            if not chunk:
                return
            text += chunk.decode()
        asked.append(text)
        if reply := answer(text):
            os.write(main, reply.encode())

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        yield near, asked
    finally:
        os.close(near)
        os.close(main)
        server.join(timeout=5)


def test_answers_are_read_from_what_the_terminal_says() -> None:
    assert parse("\x1b_Gi=31;OK\x1b\\\x1b[?62;22c") == ("tgp", None)
    assert parse("\x1b[6;32;16t\x1b[?62;4;22c") == ("sixel", (16, 32))
    # Sixel is chosen over the graphics protocol where both are spoken, as textual-image does.
    assert parse("\x1b_Gi=31;OK\x1b\\\x1b[?64;4c") == ("sixel", None)
    assert parse("\x1b[?1;2c") == ("halfcell", None)
    assert parse("") == ("halfcell", None)
    # An error from the graphics protocol is no support; "4" must be a whole parameter.
    assert parse("\x1b_Gi=31;ENOTSUPPORTED:x\x1b\\\x1b[?62;14c") == ("halfcell", None)


def test_every_question_goes_out_at_once_and_the_answers_are_used() -> None:
    with fake_terminal(lambda asked: "\x1b_Gi=31;OK\x1b\\\x1b[6;40;20t\x1b[?62;22c") as (
            near, asked):
        answers = terminal._ask_posix(near, near)
    assert len(asked) == 1 and asked[0].startswith(terminal.GRAPHICS_QUERY)
    # A pty gives no pixel size, so the cell size is asked too, before DA1.
    assert asked[0].endswith(terminal.CELL_QUERY + DA1)
    assert answers == Answers("tgp", (20, 40))


def test_a_terminal_that_knows_neither_protocol_gets_half_blocks() -> None:
    with fake_terminal(lambda asked: "\x1b[?1;2c") as (near, _):
        assert terminal._ask_posix(near, near) == Answers("halfcell", DEFAULT_CELL)


def test_a_terminal_that_answers_nothing_is_waited_for_only_so_long(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(terminal, "WAIT", 0.05)
    with fake_terminal(lambda asked: "") as (near, asked):
        assert terminal._ask_posix(near, near) == Answers("halfcell", DEFAULT_CELL)
    assert asked


def test_without_a_terminal_pictures_are_drawn_in_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "__stdout__", io.StringIO())
    assert terminal._ask() == Answers("unicode")
