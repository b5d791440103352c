"""Tag ids for the hot paths.

`LexborNode.tag` decodes a new string on every call while `tag_id` is a plain int, and the
cleaner asks for the tag of nearly every node it visits. Lexbor numbers the standard HTML tags
with small fixed ids (about 200); a custom element (`amp-img`, a site's own tags) gets an id of
its document's, an allocation address far above `CUSTOM`, so such elements are recognised by
name.
"""

from __future__ import annotations

from collections.abc import Iterable

from selectolax.lexbor import create_tag

TEXT = 0x02
DOCUMENT = 0x03
COMMENT = 0x04
CUSTOM = 0x400


def tag_id(name: str) -> int:
    found: int = create_tag(name).tag_id
    if found >= CUSTOM:
        raise ValueError(f"{name!r} is not a standard HTML tag")
    return found


def ids(names: Iterable[str]) -> frozenset[int]:
    return frozenset(tag_id(name) for name in names)
