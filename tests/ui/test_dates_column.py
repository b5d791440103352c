"""The list's date column is seven characters wide: every relative date must fit it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_reader.ui import text

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=365 * 80)))
def test_every_age_fits_the_date_column(age: timedelta) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text, "now", lambda: NOW)
        assert 0 < len(text.relative_date(NOW - age)) <= 7


def test_an_old_date_names_its_year() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text, "now", lambda: NOW)
        assert text.relative_date(datetime(2022, 11, 28, 12, tzinfo=UTC)) == "Nov '22"
