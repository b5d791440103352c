"""Feed autodiscovery: the `<link rel="alternate">` feeds an HTML page names."""

from __future__ import annotations

from tui_reader.clean.htmltree import parse_html
from tui_reader.sanitize import safe_join

# Plain application/json is left out on purpose: WordPress names its REST API that way.
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json",
                        "application/rdf+xml"})


def discover_feeds(html: str, base_url: str) -> list[str]:
    """Feed URLs in page order, absolute (against `<base href>` too), http(s) only, no repeats."""
    tree = parse_html(html)
    base = base_url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = safe_join(base_url, (base_node.attributes.get("href") or "").strip()) or base
    found: list[str] = []
    for node in tree.css("link[rel][href]"):
        rels = (node.attributes.get("rel") or "").lower().split()
        kind = (node.attributes.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in rels or kind not in FEED_TYPES:
            continue
        url = safe_join(base, (node.attributes.get("href") or "").strip())
        if url and url not in found:
            found.append(url)
    return found
