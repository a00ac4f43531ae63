"""Weigh tantivy (Python bindings) against the own index, on the same corpus and analysis.

Usage: python bench/tantivy_probe.py CORPUS_FOLDER [--threads 2]

The documents go through stancecli's own Norwegian analysis (sentences, folding, hyphen and
line joins; stems from the Snowball stemmer), one tantivy document per sentence with the
folded words and their stems, positions kept for phrases. Then, in this process:
  - build: CPU seconds per document (threads included), wall time, peak RSS, index bytes;
  - queries: a word (term query), a typo (fuzzy term query, distance 2), a compound part
    (regex query .*part.*), a phrase (phrase query with slop), each the best of 5 runs after
    a warm-up, top 20;
  - the same queries through stancecli.search.engine.search on its warm index, for comparison.
Prints one table; nothing is written under docs/ (bench/search_bench.py owns those figures).
Needs `pip install tantivy` (not a dependency of stancecli).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from stancecli.search import engine, sentences, text  # noqa: E402
from stancecli.search import index as ix  # noqa: E402

QUERIES = {"word": "tiltak", "typo": "anbudsutseting", "compound part": "utsetting",
           "phrase": "tett oppfølging av brukere"}
RUNS = 5


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def build_tantivy(folder: Path, out: Path, threads: int):
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("body", tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("stems", tokenizer_name="whitespace", index_option="position")
    sb.add_unsigned_field("doc", stored=True)
    sb.add_unsigned_field("sent", stored=True)
    schema = sb.build()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    index = tantivy.Index(schema, path=str(out))
    writer = index.writer(heap_size=200_000_000, num_threads=threads)
    files = sorted(folder.glob("*.txt"))
    stem_cache: dict[str, str] = {}
    started, c0 = time.perf_counter(), cpu()
    for d, path in enumerate(files):
        body = path.read_text(encoding="utf-8")
        spans = sentences.split(body)
        for s, toks in enumerate(text.sentence_tokens(text.prepare(body), spans)):
            if not toks:
                continue
            stems = []
            for t in toks:
                got = stem_cache.get(t)
                if got is None:
                    got = stem_cache[t] = text.stem(t)
                stems.append(got)
            writer.add_document(tantivy.Document(body=" ".join(toks), stems=" ".join(stems), doc=d, sent=s))
    writer.commit()
    writer.wait_merging_threads()
    took, cpu_s = time.perf_counter() - started, cpu() - c0
    index.reload()
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    return index, schema, len(files), took, cpu_s, size


def tantivy_queries(index, schema) -> dict[str, float]:
    import tantivy

    folded = {k: text.query_terms(v) for k, v in QUERIES.items()}
    make = {
        "word": lambda: tantivy.Query.term_query(schema, "body", folded["word"][0]),
        "typo": lambda: tantivy.Query.fuzzy_term_query(schema, "body", folded["typo"][0], distance=2),
        "compound part": lambda: tantivy.Query.regex_query(schema, "body", f".*{folded['compound part'][0]}.*"),
        "phrase": lambda: tantivy.Query.phrase_query(schema, "body", folded["phrase"], slop=3),
    }
    out = {}
    for name, q in make.items():
        searcher = index.searcher()
        searcher.search(q(), 20)
        times = []
        for _ in range(RUNS):
            t = time.perf_counter()
            hits = index.searcher().search(q(), 20).hits
            times.append(time.perf_counter() - t)
        out[name] = min(times)
        assert hits is not None
    return out


def own_queries(folder: Path, index_dir: Path) -> dict[str, float]:
    engine.search("anbud", [folder], index_dir=index_dir)  # build or refresh, untimed
    out = {}
    for name, q in QUERIES.items():
        engine.search(q, [folder], index_dir=index_dir)
        times = []
        for _ in range(RUNS):
            t = time.perf_counter()
            engine.search(q, [folder], index_dir=index_dir)
            times.append(time.perf_counter() - t)
        out[name] = min(times)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "tantivy")
    ap.add_argument("--own-index", type=Path, help="stancecli's index of the corpus, if already built")
    args = ap.parse_args()
    index, schema, n, took, cpu_s, size = build_tantivy(args.corpus, args.work / "tantivy", args.threads)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text_bytes = sum(p.stat().st_size for p in args.corpus.glob("*.txt"))
    print(f"tantivy build: {n} documents, {took:.1f} s wall, {1000 * cpu_s / n:.2f} ms CPU per document, "
          f"peak RSS {peak:.0f} MB, index {size / text_bytes:.2f}x text")
    tq = tantivy_queries(index, schema)
    oq = own_queries(args.corpus, args.own_index or args.work / "own")
    print("query (in-process, best of 5) | tantivy ms | stancecli ms (whole search: freshness, plan, rank, read hits)")
    for name in QUERIES:
        print(f"{name:14s} | {1000 * tq[name]:8.1f} | {1000 * oq[name]:8.1f}")
    print(f"(stancecli's own index: {ix.__name__}, in {args.own_index or args.work / 'own'})")


if __name__ == "__main__":
    main()
