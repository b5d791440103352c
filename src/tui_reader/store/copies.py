"""One article carried by several feeds: the key copies share, and merging stored copies.

An article's copies are found by its canonical URL (the link with what differs between
feeds taken out: scheme, `www.`, a trailing slash, tracking parameters, the fragment) or by
a guid that is meant to be unique everywhere. The first copy stored is the article; every
later one is a row in `also_in` naming its feed and guid, so the feed still lists it and a
refresh still recognises the entry.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from functools import lru_cache
from urllib.parse import SplitResult, urlsplit

# Parameters that say who sent the reader, not what the page is.
_TRACKING = re.compile(
    r"utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid"
    r"|_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|wickedid|ncid|cmpid"
    r"|s_cid|at_medium|at_campaign|smid",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str | None) -> str | None:
    """The address copies of one article share, or None for anything not http(s).

    Total (never raises) and idempotent: the result, given again, comes back unchanged.
    Percent-escapes are kept as written, so two spellings of one character stay apart
    rather than two different pages coming together.
    """
    if not url:
        return None
    parts = _split(url)
    if parts is None:
        return None
    scheme, netloc, path, query = parts
    host = _canonical_host(scheme, netloc)
    if host is None:
        return None
    path = path.rstrip("/") or "/"
    kept = sorted(p for p in query.split("&")
                  if p and not _TRACKING.fullmatch(p.split("=", 1)[0]))
    query = "?" + "&".join(kept) if kept else ""
    return f"https://{host}{path}{query}"


# A link as the feeds' reader writes nearly all of them: a lower-case http(s) scheme, then
# printable ASCII without spaces and an authority without brackets, which `urlsplit` reads
# exactly so: nothing to strip or remove, no IPv6 address to check.
_PLAIN = re.compile(r"(https?)://([^/?#\[\]]*)(?=[/?#]|\Z)([^?#]*)(?:\?([^#]*))?")


def _split(url: str) -> tuple[str, str, str, str] | None:
    """Scheme, authority, path and query as `urlsplit` reads them; None where it refuses
    the URL. A plain link is read by one match: splitting each new link was a twentieth of
    preparing a feed entry for the store."""
    if url.isascii() and url.isprintable() and " " not in url \
            and (plain := _PLAIN.match(url)) is not None:
        scheme, netloc, path, query = plain.groups()
        return scheme, netloc, path, query or ""
    return _split_by_urllib(url)


def _split_by_urllib(url: str) -> tuple[str, str, str, str] | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return parts.scheme, parts.netloc, parts.path, parts.query


@lru_cache(maxsize=4096)
def _canonical_host(scheme: str, netloc: str) -> str | None:
    """The host (and port, unless the default) copies share, worked out once per site."""
    try:
        authority = SplitResult(scheme, netloc, "", "", "")
        port, host = authority.port, (authority.hostname or "").rstrip(".")
    except ValueError:
        return None
    if scheme.lower() not in _DEFAULT_PORTS or not host or any(c in host for c in "/?#@\\ "):
        return None
    while host.startswith("www.") and host.count(".") > 1:
        host = host[4:]
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port not in _DEFAULT_PORTS.values():
        host = f"{host}:{port}"
    return host


def global_guid(guid: str | None) -> str | None:
    """A guid that names the article wherever it appears: a URI (`tag:`, `urn:`, a URL).

    Plain numbers and slugs are only unique within one feed; two sites' "1234" are two
    articles.
    """
    if guid and ":" in guid and len(guid) > 8:
        return guid
    return None


def merge_copies(conn: sqlite3.Connection) -> None:
    """Fill `articles.canonical` and fold stored copies into the first one stored.

    The kept article is bookmarked if any copy was (at the latest bookmark's time) and read
    if any copy was read: there is no record of when each was marked, and a copy read is
    the article seen. The other copies become `also_in` rows for their feeds.
    """
    rows = conn.execute("SELECT id, url, guid FROM articles ORDER BY id").fetchall()
    conn.executemany("UPDATE articles SET canonical = ? WHERE id = ?",
                     [(key, i) for i, url, _ in rows if (key := canonical_url(url))])
    first: dict[str, int] = {}
    parent: dict[int, int] = {}

    def root(article_id: int) -> int:
        while parent.get(article_id, article_id) != article_id:
            article_id = parent[article_id]
        return article_id

    for article_id, url, guid in rows:
        for key in ("u" + (canonical_url(url) or ""), "g" + (global_guid(guid) or "")):
            if len(key) == 1:
                continue
            if key in first:
                a, b = root(first[key]), root(article_id)
                parent[max(a, b)] = min(a, b)
            else:
                first[key] = article_id
    groups: defaultdict[int, list[int]] = defaultdict(list)
    for article_id in parent:
        if root(article_id) != article_id:
            groups[root(article_id)].append(article_id)
    for keep, copies in groups.items():
        marks = ",".join("?" * len(copies))
        conn.execute(
            "UPDATE articles SET"  # noqa: S608
            f" read = max(read, (SELECT max(read) FROM articles WHERE id IN ({marks}))),"
            " bookmarked_at = (SELECT max(bookmarked_at) FROM articles"
            f" WHERE id = ? OR id IN ({marks})) WHERE id = ?",
            (*copies, keep, *copies, keep),
        )
        conn.execute(
            "INSERT OR IGNORE INTO also_in (article_id, feed_id, guid, entry_hash)"  # noqa: S608
            f" SELECT ?, feed_id, guid, entry_hash FROM articles WHERE id IN ({marks})"
            " AND feed_id IS NOT NULL AND guid IS NOT NULL", (keep, *copies),
        )
        conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", copies)  # noqa: S608
