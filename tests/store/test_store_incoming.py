"""An article's JSON columns, written without the encoder, are what the encoder writes."""

from __future__ import annotations

import json
from typing import get_args

from hypothesis import given
from hypothesis import strategies as st

from tui_reader.models import Article, Block, BlockKind, Link, Span
from tui_reader.store.incoming import blocks_json, related_json, tags_json

_spans = st.builds(Span, st.text(), st.none() | st.text())
_blocks = st.builds(Block, st.sampled_from(get_args(BlockKind)),
                    st.lists(st.lists(_spans, max_size=3), max_size=3),
                    st.integers(0, 6), st.none() | st.text())
_links = st.builds(Link, st.text(), st.text())


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@given(st.lists(_blocks, max_size=4), st.lists(st.text(), max_size=3),
       st.lists(_links, max_size=3))
def test_the_columns_are_the_encoders_text_byte_for_byte(
        blocks: list[Block], tags: list[str], related: list[Link]) -> None:
    article = Article(blocks=blocks, tags=tags, related=related)
    assert blocks_json(article) == _dumps([b.to_dict() for b in blocks])
    assert tags_json(article) == _dumps(tags)
    assert related_json(article) == _dumps([link.to_dict() for link in related])
    assert [Block.from_dict(b) for b in json.loads(blocks_json(article))] == [
        Block(b.kind, [[Span(s.text, s.href or None) for s in line] for line in b.lines],
              b.level, b.src or None) for b in blocks]


def test_text_that_needs_escaping_is_escaped() -> None:
    article = Article(blocks=[Block("p", [[Span('a "quote" \\ \n\t\x00 \u2028 é 드라마')]])],
                      tags=['"'])
    assert json.loads(blocks_json(article))[0]["lines"][0][0][0] == (
        'a "quote" \\ \n\t\x00 \u2028 é 드라마')
    assert json.loads(tags_json(article)) == ['"']
