"""Class 1 on the command line: ids, limits and days that are not plain numbers in range get
one usage line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_reader.cli import main

ODD = ["²", "٣", "1_0", "9" * 30, "-1", "0x10", " ", "1e3", "𝟙"]


def _run(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        code = main(["--home", str(home), *args])
    except SystemExit as exc:  # argparse's usage error
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize("command", [["read"], ["bookmark"], ["unbookmark"],
                                     ["articles", "--limit"], ["search", "x", "--limit"],
                                     ["prune", "--days"]], ids=" ".join)
def test_odd_numbers_are_one_usage_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], value: str
) -> None:
    code, err = _run(tmp_path, capsys, *command, value)
    assert code == 2, err
    assert "Traceback" not in err and err.strip()


def test_prune_takes_any_days_in_range(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, capsys, "prune", "--days", "36500")[0] == 0
    code, err = _run(tmp_path, capsys, "prune", "--days", "99999999")
    assert code == 2 and "out of range" in err


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=12))
def test_any_article_id_is_a_value_or_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    code, err = _run(tmp_path, capsys, "bookmark", value)
    assert code in (1, 2) and "Traceback" not in err


@pytest.mark.parametrize("command", [["remove"], ["read"], ["add"], ["articles", "--feed"]],
                         ids=" ".join)
def test_a_100_kb_url_is_shortened_in_error_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    url = "https://x.example/" + "a" * 100_000
    code, err = _run(tmp_path, capsys, *command, url)
    assert code in (1, 2)
    assert len(err) < 1000 and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["remove"], ["read"], ["articles", "--feed"], ["search"]],
                         ids=" ".join)
def test_arguments_that_are_not_utf8_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    # What Python makes of a byte that is not UTF-8 in argv.
    code, err = _run(tmp_path, capsys, *command, "https://x.example/\udcff\ud800")
    assert code in (0, 1, 2) and "Traceback" not in err
