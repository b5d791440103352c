"""Story grouping: precision and recall of "same story" on a labelled set, and its speed.

    .venv/bin/python bench/stories.py [--data bench/data/story_articles.jsonl] [--show 5]

The set (written for this bench; every film, studio, person and site is invented) holds
articles labelled with their story and a family of related stories: one film's release,
review and box office; one show's episodes; one star's separate news; weekly columns. The
labelled pairs are every two articles from different sites within 14 days of each other:
same story or not. So that the thresholds are not tuned on the figures reported, families
are split in two halves by a fixed hash of their name: half A was used to choose the
method's constants, half B was not; a pair across halves counts in neither. Targets:
precision >= 0.95 (different stories almost never merged) and recall >= 0.8.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from tui_reader.store.stories import Signature, group, same_story, signature

DATA = Path(__file__).parent / "data" / "story_articles.jsonl"
PAIR_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class Labelled:
    story: str
    family: str
    title: str
    lead: str
    sig: Signature


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show", type=int, default=5, help="wrong pairs to print per half")
    args = parser.parse_args()
    items = load(args.data)
    pairs = [(a, b) for a, b in itertools.combinations(items, 2)
             if a.sig.site != b.sig.site
             and abs(a.sig.published - b.sig.published) <= PAIR_WINDOW]
    print(f"{len(items)} articles, {len(pairs)} labelled pairs "
          f"({sum(a.story == b.story for a, b in pairs)} same story)")
    for name in "AB":
        mine = [(a, b) for a, b in pairs if half(a.family) == half(b.family) == name]
        tp = fp = fn = 0
        wrong: list[str] = []
        for a, b in mine:
            said, truth = same_story(a.sig, b.sig), a.story == b.story
            tp += said and truth
            fp += said and not truth
            fn += truth and not said
            if said != truth and len(wrong) < args.show:
                wrong.append(f"    {'merged' if said else 'missed'}: {a.title!r} / {b.title!r}")
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        label = "tuned on" if name == "A" else "held out"
        print(f"half {name} ({label}): {len(mine)} pairs, {tp + fn} same story: "
              f"precision {precision:.3f}, recall {recall:.3f} (fp {fp}, fn {fn})")
        print("\n".join(wrong))
    sigs = [item.sig for item in items]
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for a, b in pairs:
            same_story(a.sig, b.sig)
    per_pair = (time.perf_counter() - start) / (rounds * len(pairs))
    start = time.perf_counter()
    for item in items:
        signature(item.title, item.lead, item.sig.site, item.sig.published)
    per_sig = (time.perf_counter() - start) / len(items)
    start = time.perf_counter()
    stories = group(sigs)
    grouping = time.perf_counter() - start
    print(f"time per comparison: {per_pair * 1e6:.2f} µs; per signature: {per_sig * 1e6:.1f} µs; "
          f"grouping all {len(items)}: {grouping * 1e3:.1f} ms into {len(stories)} stories "
          f"({len({i.story for i in items})} labelled)")


if __name__ == "__main__":
    main()
