"""Score our cleaner against its peers on labelled article corpora, in one run.

For each corpus (`--set DIR`, repeatable; a folder with `html/<id>.html.gz` and
`ground-truth.json`, as in /work/shared/corpus/) it prints every extractor's precision, recall
and F1 (token 4-shingles, as the shared evaluation tool defines them), pages/s, and how many
pages came out empty where the truth has text; then the best peer's F1 against ours, the
speed-up over trafilatura, and our worst pages with the truth lines we missed and the lines we
added. The metric and corpus loader are imported from the shared tool, so the figures agree
with it by construction; `--check` recomputes our F1 with the tool's own runner.

Peers: trafilatura with comments off (its defaults otherwise), the same with `fast=True` and
with `favor_precision=True`, and readability-lxml. Speed is pages per CPU second inside each
extractor, best of `--repeat` interleaved passes; compare speeds only within one run. Ours is
handed each page's bytes with a UTF-8 Content-Type, as the refresh hands it a download (the
corpus files are UTF-8, as the shared tool reads them), so its figure includes decoding; the
peers get the tool's decoded text.

    python bench/extraction.py --set /work/shared/corpus/wcxb-dev-articles [--only tui-reader]
    python bench/extraction.py --part holdout   # every 5th page only: a check on rules
                                                # developed against the other four fifths
    python bench/extraction.py --only tui-reader --worst 0 --profile 30   # where our time goes
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib.util
import pstats
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from compiled import build_line
from tui_reader.clean import extract_article

SHARED = Path("/work/shared")
TOOL = SHARED / "tools" / "eval_extraction.py"
CORPORA = [SHARED / "corpus" / "article-extraction-benchmark",
           SHARED / "corpus" / "wcxb-dev-articles"]
OURS = "tui-reader"
# A truth or output line counts as kept when this share of its shingles is on the other side.
_KEPT = 0.5
_LINES_SHOWN = 6

Extractor = Callable[[Any, str | None], str]
# What the refresh passes with a page's bytes; the corpus files are all UTF-8.
_CONTENT_TYPE = "text/html; charset=utf-8"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_extraction", TOOL)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {TOOL}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_extraction"] = module
    spec.loader.exec_module(module)
    return module


def ours(html: str | bytes, url: str | None = None) -> str:
    return extract_article(html, url, _CONTENT_TYPE).text


def _inputs(name: str, pages: Sequence[Any]) -> list[str | bytes]:
    """Each page as `name` is handed it: bytes for ours (see the module's docstring)."""
    if name == OURS:
        return [page.html.encode("utf-8") for page in pages]
    return [page.html for page in pages]


def _trafilatura(fast: bool = False, favor_precision: bool = False) -> Callable[[], Extractor]:
    def make() -> Extractor:
        import trafilatura

        def run(html: str, url: str | None = None) -> str:
            return trafilatura.extract(html, include_comments=False, fast=fast,
                                       favor_precision=favor_precision) or ""

        return run

    return make


def _readability() -> Extractor:
    from readability import Document  # type: ignore[import-untyped]
    from selectolax.lexbor import LexborHTMLParser

    def run(html: str, url: str | None = None) -> str:
        root = LexborHTMLParser(Document(html).summary(html_partial=True)).root
        return root.text(separator=" ") if root is not None else ""

    return run


EXTRACTORS: dict[str, Callable[[], Extractor]] = {
    OURS: lambda: ours,
    "trafilatura": _trafilatura(),
    "trafilatura-fast": _trafilatura(fast=True),
    "trafilatura-precision": _trafilatura(favor_precision=True),
    "readability-lxml": _readability,
}


def _pass(fn: Extractor, inputs: Sequence[str | bytes],
          pages: Sequence[Any]) -> tuple[list[str], float]:
    """One pass over every page: the outputs and the CPU seconds spent inside the extractor.
    CPU time, not wall time: on a shared machine other processes' load swings wall-clock
    ratios between runs by 2x, while every extractor here is single-threaded.

    The bench's own objects (the corpus, earlier passes' outputs, every extractor's modules)
    are frozen out of the cyclic collector for the pass: a full collection would otherwise
    walk them all, billing the extractor that happened to trigger it for the bench's heap."""
    gc.collect()
    gc.freeze()
    spent = 0.0
    results = []
    try:
        for html, page in zip(inputs, pages, strict=True):
            start = time.process_time()
            results.append(fn(html, page.url))
            spent += time.process_time() - start
    finally:
        gc.unfreeze()
    return results, spent


def _timed(extractors: dict[str, Extractor], pages: Sequence[Any],
           repeat: int) -> dict[str, tuple[list[str], float]]:
    """Each extractor's first-pass outputs and best pass's pages/s, passes interleaved."""
    outputs: dict[str, list[str]] = {}
    best = dict.fromkeys(extractors, float("inf"))
    inputs = {name: _inputs(name, pages) for name in extractors}
    for _ in range(repeat):
        for name, fn in extractors.items():
            results, spent = _pass(fn, inputs[name], pages)
            outputs.setdefault(name, results)
            best[name] = min(best[name], spent)
    return {name: (outputs[name], len(pages) / max(best[name], 1e-9)) for name in extractors}


def _part(pages: list[Any], part: str) -> list[Any]:
    """All pages, or the held-out fifth (every 5th page by id), or the other four fifths."""
    if part == "all":
        return pages
    held = part == "holdout"
    return [page for index, page in enumerate(pages) if (index % 5 == 4) == held]


def _unmatched(tool: ModuleType, text: str, other: str, limit: int) -> list[str]:
    """Lines of `text` whose shingles are mostly absent from `other`, at most `limit` shown
    (cut to one terminal line each) and a count of the rest."""
    present = tool.shingle_counts(tool.tokenize(other), 4)
    lines = []
    for line in (raw.strip() for raw in text.splitlines()):
        shingles = tool.shingle_counts(tool.tokenize(line), 4)
        total = sum(shingles.values())
        if total and sum((shingles & present).values()) < _KEPT * total:
            lines.append(line)
    shown = [line if len(line) <= 110 else line[:107] + "..." for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"... and {len(lines) - limit} more lines")
    return shown


def _report_set(tool: ModuleType, corpus: Path, part: str, extractors: dict[str, Extractor],
                repeat: int, worst: int) -> None:
    pages = _part(tool.load_corpus(corpus), part)
    print(f"\n== {corpus.name} ({part}): {len(pages)} pages")
    print(f"{'extractor':<22} {'P':>6} {'R':>6} {'F1':>6} {'pages/s':>9} {'empty':>6}"
          f"   (pages/s per CPU second; {OURS} is handed bytes, the peers text)")
    for name, fn in extractors.items():
        for html, page in zip(_inputs(name, pages[:3]), pages, strict=False):
            fn(html, page.url)  # warm-up: imports and lazy initialisation are not billed
    speeds: dict[str, float] = {}
    f1s: dict[str, float] = {}
    our_scores: list[Any] = []
    our_outputs: list[str] = []
    empties: list[str] = []
    for name, (outputs, speed) in _timed(extractors, pages, repeat).items():
        scores = [tool.score_page(p.truth, out) for p, out in zip(pages, outputs, strict=True)]
        summary = tool.aggregate(scores)
        empty = [p.page_id for p, s in zip(pages, scores, strict=True)
                 if s.pred_empty and not s.truth_empty]
        speeds[name], f1s[name] = speed, summary["f1"]
        print(f"{name:<22} {summary['precision']:6.3f} {summary['recall']:6.3f} "
              f"{summary['f1']:6.3f} {speed:9.1f} {len(empty):6d}")
        if name == OURS:
            our_scores, our_outputs, empties = scores, outputs, empty
    peers = {name: f1 for name, f1 in f1s.items() if name != OURS}
    if OURS in f1s and peers:
        peer = max(peers, key=peers.__getitem__)
        print(f"best peer: {peer} {peers[peer]:.3f}; ours {f1s[OURS] - peers[peer]:+.3f}")
    if OURS in speeds and "trafilatura" in speeds:
        print(f"speed-up over trafilatura: {speeds[OURS] / speeds['trafilatura']:.1f}x")
    if empties:
        print(f"our empty pages: {' '.join(empties)}")
    if not our_scores or not worst:
        return
    print(f"\nour {worst} worst pages (F1 P R):")
    ranked = sorted(zip(our_scores, pages, our_outputs, strict=True), key=lambda x: x[0].f1)
    for score, page, output in ranked[:worst]:
        print(f"  {page.page_id}  {score.f1:.3f} {score.precision:.3f} {score.recall:.3f}"
              f"  {page.url}")
        for line in _unmatched(tool, page.truth, output, _LINES_SHOWN):
            print(f"      - {line}")
        for line in _unmatched(tool, output, page.truth, _LINES_SHOWN):
            print(f"      + {line}")


def _profile(pages: Sequence[Any], lines: int) -> None:
    """Our extractor over every page under cProfile, its functions by time spent in their own
    code. The profiler's cost per call inflates Python code against C (the parser, the
    selector engine), so this ranks our hot spots; the pages/s above measure them."""
    profiler = cProfile.Profile()
    profiler.enable()
    for html, page in zip(_inputs(OURS, pages), pages, strict=True):
        ours(html, page.url)
    profiler.disable()
    print(f"\nour {lines} costliest functions under cProfile (own time):")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--set", dest="sets", type=Path, action="append",
                        help="a corpus folder (repeatable); default: both shared corpora")
    parser.add_argument("--part", choices=("all", "dev", "holdout"), default="all",
                        help="holdout: every 5th page; dev: the others")
    parser.add_argument("--repeat", type=int, default=1, help="timed passes; the best counts")
    parser.add_argument("--only", action="append", choices=sorted(EXTRACTORS))
    parser.add_argument("--worst", type=int, default=10)
    parser.add_argument("--check", action="store_true",
                        help="also score ours with the shared tool's runner")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also profile ours and print its N costliest functions")
    args = parser.parse_args(argv)

    tool = _load_tool()
    print(build_line())
    extractors = {name: EXTRACTORS[name]() for name in args.only or list(EXTRACTORS)}
    for corpus in args.sets or CORPORA:
        if not (corpus / "ground-truth.json").is_file():
            print(f"{corpus}: not a corpus folder (no ground-truth.json)", file=sys.stderr)
            return 2
        _report_set(tool, corpus, args.part, extractors, args.repeat, args.worst)
        if args.check:
            pages = _part(tool.load_corpus(corpus), args.part)
            cand = tool.parse_extractor_spec(f"{Path(__file__).resolve()}:ours")
            tool.run_pass(cand, pages, keep_outputs=True)
            check = tool.aggregate([tool.score_page(p.truth, o) for p, o in
                                    zip(pages, cand.outputs, strict=True)])
            print(f"shared tool's runner, ours: F1 {check['f1']:.3f}")
        if args.profile:
            _profile(_part(tool.load_corpus(corpus), args.part), args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
