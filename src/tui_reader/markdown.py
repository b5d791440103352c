"""Render cleaned blocks as Markdown, escaping web text so it cannot become markup."""

from __future__ import annotations

import re

from tui_reader.body import Block, Span

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _inline(line: list[Span]) -> str:
    parts = []
    for span in line:
        text = _escape(span.text)
        parts.append(f"[{text}](<{span.href}>)" if span.href else text)
    return "".join(parts).strip()


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
        return f"![{alt}](<{block.src}>)" if block.src else alt
    return "\n".join(_inline(line) for line in block.lines)


def blocks_to_markdown(blocks: list[Block]) -> str:
    return "\n\n".join(md for md in map(block_to_markdown, blocks) if md)
