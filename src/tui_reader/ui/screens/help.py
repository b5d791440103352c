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
            seen: set[str] = set()
            for binding in bindings:
                if not binding.description or binding.key in seen:
                    continue
                seen.add(binding.key)
                where = f"  [{binding.id}]" if binding.id else ""
                lines.append(
                    Content.assemble(
                        (f"  {_key_label(binding.key):<16}", "bold"),
                        binding.description,
                        (where, "$text-muted"),
                    )
                )
            lines.append(Content(""))
        lines.append(
            Content.styled("Rebind any key in config.toml under [keys] by its id.", "$text-muted")
        )
        with VerticalScroll(id="help-body"):
            yield Static(Content("\n").join(lines))
