"""Help: the keys in force, screen by screen, a line on what each does, and how to close it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_reader.ui.keys import KeyPlan, Scope, key_label

# What each action does, beyond its footer label; by binding id.
EXPLAINED = {
    "main.quit": "Close the reader",
    "main.open": "Open the article; from the feeds, go to the articles",
    "main.down": "Next row; typed after a count (5j), that many rows",
    "main.up": "Previous row; 10k: ten rows up",
    "main.first": "First row; 12g: the 12th row",
    "main.last": "Last row; 12G: the 12th row",
    "main.feeds": "Go to the feeds pane",
    "main.next_unread": "Next unread article in the list; 3n: the third",
    "main.previous_unread": "Previous unread article in the list; 3p: the third",
    "main.next_feed": "Next feed, folder or list in the feeds pane; 3J: three on",
    "main.previous_feed": "Previous feed, folder or list; 3K: three back",
    "main.refresh_feed": "Fetch the selected feed or folder now, due or not",
    "main.browser": "Open the article's page in the web browser",
    "main.bookmark": "Keep the article for good, or stop keeping it",
    "main.toggle_read": "Mark the article read or unread",
    "main.mark_feed_read": "Mark all in this list read: feed, folder, search",
    "main.undo": "Undo the last mark-all-read",
    "main.bookmarks": "Show the bookmarked articles",
    "main.toggle_hidden": "List the articles a [[filter]] hides too, or stop",
    "main.sort": "Sort newest first, oldest first, by feed or unread first, in turn",
    "main.hide_read": "Hide the read articles in this view, or show them again",
    "main.add_feed": "Subscribe to a feed, or to the feed a site names",
    "main.search": "Full-text search over every stored article",
    "main.filter": "Narrow this list as you type; enter keeps it",
    "main.clear_filter": "Close the filter: every article again",
    "main.demo": "Try the bundled demo site (before adding feeds)",
    "reader.back": "Back to the list",
    "reader.down": "Scroll down",
    "reader.up": "Scroll up",
    "reader.top": "Top of the article",
    "reader.bottom": "End of the article",
    "reader.page_down": "Down a page",
    "reader.next": "Next article of the list",
    "reader.previous": "Previous article of the list",
    "reader.browser": "Open the article's page in the web browser",
    "reader.bookmark": "Keep the article for good, or stop keeping it",
    "reader.toggle_read": "Mark the article read or unread",
    "reader.sidebar": "Show or hide the related reads beside the article",
    "reader.images": "Show or hide pictures",
    "reader.copy_link": "Copy the article's link to the clipboard (OSC 52)",
    "reader.copy_numbered": "Copy a numbered link: press this, then its number",
    "reader.save": "Save the article as a Markdown file",
    "reader.switch_pane": "Move between the article and the related reads",
    "search.back": "Back to the list",
    "search.results": "From the query to the results",
    "app.help": "This page",
    "app.commands": "Commands by name; feeds and recent articles too",
    "app.refresh": "Fetch the feeds that are due, as on opening",
    "app.refresh_forced": "Fetch every feed now, but for sites that asked to wait",
    "app.theme": "Switch between light and dark",
}
LINKS = "Follow the article's numbered link"
SECTIONS = (("list", "Article list"), ("reader", "Reader"), ("search", "Search"),
            ("app", "Everywhere"))


def _rows(scope: Scope, plan: KeyPlan) -> list[tuple[str, str, str]]:
    """(keys, what they do, binding id) a line; the numbered links share one line."""
    bindings = {b.id: b for b in scope.bindings if b.id}
    links = [i for i in bindings if i.startswith("reader.link")]
    rows = [
        (key_label(plan.keys[i]) or "(no key)", EXPLAINED.get(i, b.tooltip or b.description), i)
        for i, b in bindings.items() if i not in links
    ]
    if links:
        keys = [k for i in links for k in plan.keys[i]]
        default = [k for i in links for k in plan.defaults[i]]
        shown = f"{keys[0]}…{keys[-1]}" if keys == default else key_label(keys)
        rows.append((shown, LINKS, f"{links[0]}…{links[-1]}"))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, plan: KeyPlan, scopes: list[Scope]) -> None:
        super().__init__()
        self.plan = plan
        self.scopes = {scope.name: scope for scope in scopes}

    def compose(self) -> ComposeResult:
        close = key_label(self.plan.keys["help.close"])
        lines = [
            Content.assemble(("Keys", "bold"), (f"   {close} closes this page", "$text-muted")),
            Content(""),
        ]
        for name, title in SECTIONS:
            lines.append(Content.styled(title, "bold $accent"))
            for keys, explained, binding_id in _rows(self.scopes[name], self.plan):
                lines.append(Content.assemble(
                    (f"  {keys:<10} ", "bold"), explained, (f"  {binding_id}", "$text-muted"),
                ))
            lines.append(Content(""))
        lines.append(Content.styled(
            "Rebind a key in config.toml under [keys] by the id shown in grey, for example "
            '"main.bookmark" = "B". ctrl+p finds every command by name.', "$text-muted"))
        with VerticalScroll(id="help-body"):
            yield Static(Content("\n").join(lines))
