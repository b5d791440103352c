"""Render cleaned blocks as Markdown, escaping web text so it cannot become markup."""

from __future__ import annotations

import re
from urllib.parse import quote

from tui_reader.body import Block, Span

# What CommonMark reads as markup anywhere in a line: emphasis, code, links, HTML, entity
# references ("&amp;" would show as "&"), GFM tables and strikethrough.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|&!~])")
# What starts a block at the beginning of a line: list items, a thematic break or a setext
# underline ("-", "+", "="), an ordered item ("1." or "1)").
_LINE_START = re.compile(r"([-+=])|([0-9]{1,9})([.)])")
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
# In a <destination>, a backslash escapes these; a line break cannot be there at all.
_DESTINATION = re.compile(r"([\\<>&])")


def _escape(text: str) -> str:
    """Text that CommonMark shows as it is, on one line."""
    return _SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", text))


def _destination(url: str) -> str:
    """A link target that only its own closing ">" can end, whatever it holds."""
    url = _LINE_BREAKS.sub(lambda m: quote(m.group()), url)
    return "<" + _DESTINATION.sub(r"\\\1", url) + ">"


def _line_start(markdown: str) -> str:
    """`markdown` made safe to begin a line with: it cannot open a list or a rule."""
    found = _LINE_START.match(markdown)
    if found is None:
        return markdown
    if found[1]:
        return "\\" + markdown
    return f"{found[2]}\\{markdown[found.end(2):]}"


def _inline(line: list[Span]) -> str:
    parts = []
    for span in line:
        text = _escape(span.text)
        parts.append(f"[{text}]({_destination(span.href)})" if span.href else text)
    return _line_start("".join(parts).strip())


def block_to_markdown(block: Block) -> str:
    if block.kind == "h":
        return (
            "#" * min(max(block.level, 2), 6) + " " + _inline(block.lines[0] if block.lines else [])
        )
    if block.kind == "ul":
        return "\n".join(f"- {_inline(line)}" for line in block.lines)
    if block.kind == "ol":
        return "\n".join(f"{n}. {_inline(line)}" for n, line in enumerate(block.lines, 1))
    if block.kind == "quote":
        return "\n".join(f"> {_inline(line)}" for line in block.lines)
    if block.kind == "pre":
        body = "\n".join("".join(s.text for s in line) for line in block.lines)
        return f"```\n{body.replace('```', '` ` `')}\n```"
    if block.kind == "img":
        alt = _escape(block.text)
        return f"![{alt}]({_destination(block.src)})" if block.src else _line_start(alt.strip())
    return "\n".join(_inline(line) for line in block.lines)


def blocks_to_markdown(blocks: list[Block]) -> str:
    return "\n\n".join(md for md in map(block_to_markdown, blocks) if md)
