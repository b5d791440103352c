"""An article's body as plain data: blocks of inline spans. No I/O and no third-party imports.

Kept apart from `models` so that the renderers of a body (`markdown`) sit between the two:
`body` ← `markdown` ← `models`, where `Article.markdown` uses the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any, Literal

BlockKind = Literal["p", "h", "ul", "ol", "quote", "pre", "img", "embed"]


@dataclass(slots=True)
class Span:
    """A run of inline text; `href` is an absolute http(s) URL when the run is a link.

    Not frozen, like `Block`: nothing changes a span once made, and a frozen dataclass's
    constructor sets each field through `object.__setattr__`, several times slower; the
    cleaner makes one or more per line (about 2% of its time on wcxb-dev)."""

    text: str
    href: str | None = None


@dataclass(slots=True)
class Block:
    """One block of an article body.

    `lines` holds one line of spans for a paragraph, heading, quote or code block, and one
    line per item for a list. An image keeps its URL in `src` and its caption in `lines`;
    an embed (a trailer, a post, a player) its item's URL in `src` and one line, its label
    linked to that URL.
    """

    kind: BlockKind
    lines: list[list[Span]]
    level: int = 0
    src: str | None = None

    @property
    def text(self) -> str:
        """Read for every block on every save and length check, so the usual one-line block
        skips the general path."""
        lines = self.lines
        if self.kind == "embed":
            # Plain text has no link markup: the URL is printed as related reads print theirs.
            label = "".join([span.text for line in lines for span in line])
            return f"{label} <{self.src}>" if self.src else label
        if len(lines) == 1 and self.kind != "ul" and self.kind != "ol":
            line = lines[0]
            return line[0].text if len(line) == 1 else "".join([span.text for span in line])
        joined = ["".join([span.text for span in line]) for line in lines]
        if self.kind == "ul":
            return "\n".join(f"- {line}" for line in joined)
        if self.kind == "ol":
            return "\n".join(f"{n}. {line}" for n, line in enumerate(joined, 1))
        return "\n".join(joined)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "lines": [
                [[s.text, s.href] if s.href else [s.text] for s in line] for line in self.lines
            ],
        }
        if self.level:
            data["level"] = self.level
        if self.src:
            data["src"] = self.src
        return data

    def json(self) -> str:
        """`to_dict` as JSON text, byte for byte what `json.dumps(..., ensure_ascii=False)`
        writes (stored bodies are compared as text when pages are cleaned again): written
        here, it spares the encoder's set-up and a dict per block, a tenth of the work of
        storing an article."""
        lines = ", ".join([f"[{', '.join([_span_json(span) for span in line])}]"
                           for line in self.lines])
        level = f', "level": {self.level}' if self.level else ""
        src = f', "src": {encode_basestring(self.src)}' if self.src else ""
        return f'{{"kind": {encode_basestring(self.kind)}, "lines": [{lines}]{level}{src}}}'

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Block:
        lines = [[Span(*part) for part in line] for line in data["lines"]]
        return cls(data["kind"], lines, data.get("level", 0), data.get("src"))


def _span_json(span: Span) -> str:
    if span.href:
        return f"[{encode_basestring(span.text)}, {encode_basestring(span.href)}]"
    return f"[{encode_basestring(span.text)}]"
