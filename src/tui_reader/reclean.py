"""Clean the stored pages again, offline, after the cleaner improves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui_reader.models import Article
from tui_reader.store import Store

# A page's bytes, its URL and the Content-Type it was downloaded with.
Cleaner = Callable[[bytes, str | None, str | None], Article]
Progress = Callable[["RecleanReport", int], None]
BATCH = 50


@dataclass(slots=True)
class RecleanReport:
    """What a run did to each stored page: `changed` (saved anew), `unchanged` (cleaned to
    what was stored), `too_little` (the cleaner found less than an article, so the stored
    text stays) or `failed` (the cleaner raised, or the stored page is damaged)."""

    pages: int = 0
    changed: int = 0
    unchanged: int = 0
    too_little: int = 0
    failed: int = 0

    def summary(self) -> str:
        parts = [f"{self.changed} changed", f"{self.unchanged} unchanged"]
        if self.too_little:
            parts.append(f"{self.too_little} kept as stored (the cleaner found too little)")
        if self.failed:
            parts.append(f"{self.failed} failed")
        return f"{self.pages} stored pages: {', '.join(parts)}"


def reclean(store: Store, clean: Cleaner | None = None,
            progress: Progress | None = None) -> RecleanReport:
    """Re-run the cleaner over every stored page and save what changed, a batch at a time.

    Only the page-derived body (blocks, text, related links) is replaced, and only when the
    cleaner finds an article: a page it now rejects keeps its stored text, so an offline
    run can never lose what a refresh found. A page the cleaner chokes on is counted and
    skipped.
    """
    from tui_reader.clean import MIN_BODY_CHARS, extract_article

    clean = clean or extract_article
    total = store.raw_page_count()
    report = RecleanReport()
    last_id = 0
    while batch := store.raw_pages(after_id=last_id, limit=BATCH):
        cleaned: list[tuple[int, Article]] = []
        for page in batch:
            report.pages += 1
            try:
                if page.html is None:
                    raise ValueError("damaged stored page")
                article = clean(page.html, page.url, page.content_type)
            except Exception:
                report.failed += 1
                continue
            if len(article.text) >= MIN_BODY_CHARS:
                cleaned.append((page.id, article))
            else:
                report.too_little += 1
        changed = store.replace_cleaned(cleaned)
        report.changed += changed
        report.unchanged += len(cleaned) - changed
        last_id = batch[-1].id
        if progress:
            progress(report, total)
    return report
