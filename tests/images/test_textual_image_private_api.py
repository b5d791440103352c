"""The parts of textual-image we reach behind its public API for, checked on the version each
Python gets (0.12 on 3.11, 0.14 on 3.12+; see pyproject.toml): a change there fails here, by
name, instead of somewhere in the reader."""

from __future__ import annotations

import inspect

from textual_image._terminal import CellSize, get_cell_size
from textual_image.renderable import HalfcellImage, UnicodeImage
from textual_image.widget import HalfcellImage as HalfcellWidget
from textual_image.widget import Image as BestImage
from textual_image.widget._base import Image as ImageWidget

from tui_reader.ui.widgets.picture import fit


def test_cell_size_is_a_width_and_height_the_terminal_reports() -> None:
    cell = get_cell_size()
    assert isinstance(cell, CellSize)
    assert cell.width > 0 and cell.height > 0
    assert fit((800, 400), 80, 24, CellSize(10, 20), grow=False) == (80, 20)


def test_each_image_widget_names_the_renderable_it_draws_with() -> None:
    assert issubclass(BestImage, ImageWidget) and issubclass(HalfcellWidget, ImageWidget)
    assert HalfcellWidget._Renderable is HalfcellImage
    assert inspect.isclass(UnicodeImage)
    assert inspect.isclass(BestImage._Renderable)


def test_the_widget_lets_go_of_its_image() -> None:
    # Picture.on_unmount sets `image = None` to free the decoded pixels at once.
    assert hasattr(inspect.getattr_static(ImageWidget, "image"), "__set__")
