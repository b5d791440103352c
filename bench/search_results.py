"""What searches find on a benchmark database, saved or compared, so that a change made for
speed can be shown to keep the results.

    .venv/bin/python bench/search_results.py --db PATH --save before.json
    .venv/bin/python bench/search_results.py --db PATH --compare before.json

The database is one bench/store.py made (--db PATH --keep). The queries are the benchmark's
and a few hundred more drawn from the same vocabularies: whole words, prefixes of one to six
letters, two words, phrases, OR, and Korean and Japanese words of one to four characters.
Each query's ranked ids (the first 50) and the ids a saved search would use are recorded;
--compare prints every query whose results differ, and how. Both print the slowest queries
(one timing each: a hint where to look, not a measurement).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from store import Generator
from tui_reader.store import InvalidSearch, SearchTooBroad, Store
from tui_reader.store.search import run_search


def queries(store: Store) -> list[str]:
    rng = random.Random(11)
    gen = Generator()
    common = gen.words[:200]
    anywhere = rng.sample(gen.words, 100)
    korean = gen.korean[:300]
    japanese = gen.japanese[:300]
    ids = [r[0] for r in store.conn.execute("SELECT id FROM articles WHERE id % 97 = 1")]
    found: list[str] = []
    for word in rng.sample(common, 30) + rng.sample(anywhere, 30):
        found += [word, word + " ", word[:rng.randint(1, 6)], word + "s ", word[:3] + "*"]
    for _ in range(30):
        found.append(f"{rng.choice(common)} {rng.choice(anywhere)}")
        found.append(f"{rng.choice(anywhere)} OR {rng.choice(anywhere)}")
    for article_id in rng.sample(ids, 20):
        words = store.conn.execute("SELECT body FROM articles WHERE id = ?",
                                   (article_id,)).fetchone()[0].split()
        at = rng.randrange(max(len(words) - 3, 1))
        found.append('"' + " ".join(words[at:at + 2]).strip(".") + '"')
    for word in rng.sample(korean, 20) + rng.sample(japanese, 20):
        found += [word, word[:1], word[:2], word[-2:], f"{word} {rng.choice(korean)}"]
    return list(dict.fromkeys(found))


def results(store: Store, query: str) -> dict[str, object]:
    try:
        ranked = [h.row.id for h in store.search(query, limit=50)]
        window = sorted(run_search(store.conn, query, None))
    except (InvalidSearch, SearchTooBroad) as exc:
        return {"error": type(exc).__name__}
    return {"ranked": ranked, "window": window}


def _outcome(found: dict[str, object] | None) -> str:
    if found is None:
        return "not run"
    return str(found.get("error", "found"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path)
    action.add_argument("--compare", type=Path)
    args = parser.parse_args()
    found: dict[str, dict[str, object]] = {}
    took: dict[str, float] = {}
    with Store.open(args.db) as store:
        for query in queries(store):
            began = time.perf_counter()
            found[query] = results(store, query)
            took[query] = (time.perf_counter() - began) * 1000
    for query in sorted(took, key=took.__getitem__, reverse=True)[:10]:
        print(f"{took[query]:8.1f} ms  {query!r}")
    if args.save:
        args.save.write_text(json.dumps(found, ensure_ascii=False, indent=0))
        print(f"{len(found)} queries saved to {args.save}")
        return
    before = json.loads(args.compare.read_text())
    differ = 0
    for query, now in found.items():
        then = before.get(query)
        if then == now:
            continue
        differ += 1
        if then is None or "error" in then or "error" in now:
            print(f"{query!r}: {_outcome(then)} -> {_outcome(now)}")
            continue
        gone = [i for i in then["ranked"] if i not in now["ranked"]]
        new = [i for i in now["ranked"] if i not in then["ranked"]]
        order = "same set, other order" if not gone and not new else (
            f"{len(gone)} of the first 50 replaced")
        window = "" if then["window"] == now["window"] else (
            f"; saved-search ids {len(then['window'])} -> {len(now['window'])}")
        print(f"{query!r}: {order}{window}")
    print(f"{differ} of {len(found)} queries differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
