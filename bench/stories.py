"""Story grouping: precision and recall of "same story" on a labelled set, and its speed.

    .venv/bin/python bench/stories.py [--data bench/data/story_articles.jsonl] [--show 10]

The set (written for this bench; every film, show, group, person and site is invented) holds
articles labelled with their story and a family of related stories: one film's trailer,
casting, review and box office; one show's episodes and renewal; one star's separate news
the same week; K-pop and K-drama news from English and Korean sites. The labelled pairs are
every two articles from different sites within 14 days of each other: same story or not.
Families are split in two halves by a fixed hash of their name, so no story (nor any of its
near-misses) is in both: the method's constants were chosen on half A only; half B is the
held-out measure. A pair across halves counts in neither. Document frequencies come from
every article in the set, as the store takes them from every article around the new ones.

Two measures per half: the pairwise test (`same_story`) and the stories `group` builds
(a pair is "said" when both articles land in one story). Targets, on half B: precision
>= 0.95 (different stories almost never merged) and recall >= 0.8.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from tui_reader.store.stories import Signature, Weights, group, same_story, signature

DATA = Path(__file__).parent / "data" / "story_articles.jsonl"
PAIR_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class Labelled:
    story: str
    family: str
    title: str
    lead: str
    sig: Signature


Pair = tuple[Labelled, Labelled]


def load(path: Path) -> list[Labelled]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        published = datetime.fromisoformat(row["published"].replace("Z", "+00:00"))
        items.append(Labelled(row["story"], row["family"], row["title"], row["lead"],
                              signature(row["title"], row["lead"], row["site"], published)))
    return items


def half(family: str) -> str:
    return "AB"[zlib.crc32(family.encode()) % 2]


def score(name: str, pairs: list[Pair], said: Callable[[Labelled, Labelled], bool],
          show: int) -> tuple[float, float]:
    tp = fp = fn = 0
    wrong: list[str] = []
    for a, b in pairs:
        says, truth = said(a, b), a.story == b.story
        tp += says and truth
        fp += says and not truth
        fn += truth and not says
        if says != truth and len(wrong) < show:
            wrong.append(f"      {'merged' if says else 'missed'}: {a.title!r} / {b.title!r}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"    {name}: precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f} "
          f"(fp {fp}, fn {fn})")
    if wrong:
        print("\n".join(wrong))
    return precision, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show", type=int, default=10, help="wrong pairs to print per measure")
    args = parser.parse_args()
    items = load(args.data)
    sigs = [item.sig for item in items]
    weights = Weights(sigs)
    start = time.perf_counter()
    stories = group(sigs, weights)
    grouping = time.perf_counter() - start
    story_of = {id(items[i]): n for n, story in enumerate(stories) for i in story}
    pairs = [(a, b) for a, b in itertools.combinations(items, 2)
             if a.sig.site != b.sig.site
             and abs(a.sig.published - b.sig.published) <= PAIR_WINDOW]
    print(f"{len(items)} articles, {len(pairs)} labelled pairs "
          f"({sum(a.story == b.story for a, b in pairs)} same story)")
    for name in "AB":
        mine = [(a, b) for a, b in pairs if half(a.family) == half(b.family) == name]
        label = "tuned on" if name == "A" else "held out"
        print(f"  half {name} ({label}): {len(mine)} pairs, "
              f"{sum(a.story == b.story for a, b in mine)} same story")
        score("pairwise", mine, lambda a, b: same_story(a.sig, b.sig, weights), args.show)
        score("grouped ", mine, lambda a, b: story_of[id(a)] == story_of[id(b)], args.show)
    rounds = 5
    start = time.perf_counter()
    for _ in range(rounds):
        for a, b in pairs:
            same_story(a.sig, b.sig, weights)
    per_pair = (time.perf_counter() - start) / (rounds * len(pairs))
    start = time.perf_counter()
    for item in items:
        signature(item.title, item.lead, item.sig.site, item.sig.published)
    per_sig = (time.perf_counter() - start) / len(items)
    print(f"time per comparison: {per_pair * 1e6:.1f} µs; per signature: {per_sig * 1e6:.0f} µs; "
          f"grouping all {len(items)}: {grouping * 1e3:.1f} ms into {len(stories)} stories "
          f"({len({i.story for i in items})} labelled)")


if __name__ == "__main__":
    main()
