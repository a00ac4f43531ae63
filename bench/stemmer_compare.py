"""The pure-Python Snowball stemmer against PyStemmer (the same stemmers in C) on one vocabulary.

Usage: python bench/stemmer_compare.py CORPUS_DIR [--runs N]
Reads every .txt under CORPUS_DIR, folds its words as the index does (stancecli.search.text),
and stems the distinct words with both, interleaved, N times each: prints the number of words,
how many stems differ, and the median time of each.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path


def vocabulary(folder: Path) -> list[str]:
    from stancecli.search import text

    words: set[str] = set()
    for path in sorted(folder.rglob("*.txt")):
        body = text.prepare(path.read_text(encoding="utf-8"))
        for toks in text.sentence_tokens(body, [(0, len(body))]):
            words.update(toks)
    return sorted(words)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    import Stemmer
    from snowballstemmer.norwegian_stemmer import NorwegianStemmer

    words = vocabulary(args.corpus)
    stemmers = {"snowballstemmer (pure Python)": NorwegianStemmer(), "PyStemmer (C)": Stemmer.Stemmer("norwegian")}
    times: dict[str, list[float]] = {name: [] for name in stemmers}
    stems: dict[str, list[str]] = {}
    for _ in range(args.runs):
        for name, stemmer in stemmers.items():
            start = time.perf_counter()
            stems[name] = stemmer.stemWords(words)
            times[name].append(time.perf_counter() - start)
    first, second = stems.values()
    print(f"{len(words):,} distinct words; stems differing: {sum(a != b for a, b in zip(first, second))}")
    for name, ts in times.items():
        print(f"{name}: median {statistics.median(ts):.2f} s of {args.runs}")


if __name__ == "__main__":
    main()
