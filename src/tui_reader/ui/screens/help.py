"""Help: every key of the screen underneath, generated from its bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


def _key_label(key: str) -> str:
    names = {"slash": "/", "question_mark": "?", "escape": "esc", "space": "space"}
    return ", ".join(names.get(k.strip(), k.strip()) for k in key.split(","))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        lines: list[Content] = []
        for title, bindings in self.sections:
            lines.append(Content.styled(title, "bold $accent"))
            # Keys bound to the same action share one line: "enter, l  Open".
            grouped: dict[tuple[str, str], list[Binding]] = {}
            for binding in bindings:
                if binding.description:
                    grouped.setdefault((binding.action, binding.description), []).append(binding)
            for (_, description), same in grouped.items():
                keys = ", ".join(dict.fromkeys(_key_label(b.key) for b in same))
                where = f"  [{same[0].id}]" if same[0].id else ""
                lines.append(
                    Content.assemble((f"  {keys:<16}", "bold"), description, (where, "$text-muted"))
                )
            lines.append(Content(""))
        lines.append(
            Content.styled("Rebind any key in config.toml under [keys] by its id.", "$text-muted")
        )
        with VerticalScroll(id="help-body"):
            yield Static(Content("\n").join(lines))
