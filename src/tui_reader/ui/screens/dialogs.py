"""Modal dialogs: add a feed (validated, errors shown inline), confirm, and ask where to save."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui_reader.net.errors import FetchError, NotAFeed
from tui_reader.store import StoreError
from tui_reader.ui.text import plain

if TYPE_CHECKING:
    from tui_reader.ui.app import ReaderApp


USER_ERRORS = (FetchError, NotAFeed, StoreError)


class AddFeedScreen(ModalScreen[str | None]):
    """Dismisses with the new feed's title, or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="add.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Add a feed", classes="dialog-title")
            yield Input(
                placeholder="https://example.com/feed.xml or a site's address", id="add-url"
            )
            yield Static("", id="add-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Add", variant="primary", id="add-ok")
                yield Button("Cancel", id="add-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Button.Pressed, "#add-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#add-ok")
    def _submit(self) -> None:
        from tui_reader.net.http import check_url

        url = self.query_one(Input).value.strip()
        if url and "://" not in url:
            url = "https://" + url
        error = self.query_one("#add-error", Static)
        try:
            check_url(url)
        except FetchError as exc:
            error.update(plain(str(exc) if url else "Type a feed or site address"))
            return
        error.update(Content.styled("Checking…", "$text-muted"))
        self.subscribe(url)

    @work(exclusive=True, group="add")
    async def subscribe(self, url: str) -> None:
        app = cast("ReaderApp", self.app)
        self.query_one("#dialog").loading = True
        try:
            title = await app.subscribe(url)
        except USER_ERRORS as exc:
            self.query_one("#dialog").loading = False
            self.query_one("#add-error", Static).update(
                plain(str(exc) or type(exc).__name__).stylize("$error")
            )
            return
        self.dismiss(title)


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "dismiss(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "dismiss(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: Content) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question)
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="error", id="yes")
                yield Button("No (n)", id="no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class SavePathScreen(ModalScreen[Path | None]):
    """Asks where to save a file, offering `default`; dismisses with the path, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="save.cancel")]

    def __init__(self, title: str, default: Path) -> None:
        super().__init__()
        self.title_text, self.default = title, default

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Input(str(self.default), id="save-path")
            yield Static("", id="save-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save-ok")
                yield Button("Cancel", id="save-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Button.Pressed, "#save-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#save-ok")
    def _submit(self) -> None:
        typed = self.query_one(Input).value.strip()
        path = Path(typed).expanduser() if typed else None
        if path is None or path.is_dir():
            self.query_one("#save-error", Static).update(
                Content.styled("Type a file name, not a folder", "$error"))
            return
        self.dismiss(path)
