"""Search benchmark, judged against the goals of issue 14.

Usage: python bench/search_bench.py [--sizes 1000 10000 30000] [--rich 1000 10000 30000] [--runs 7]
                                    [--no-write | --doc PATH] [--work DIR] [--quick]
       python bench/search_bench.py --stages N [--runs 5]

For each size of two corpora, the synthetic one (bench/gen_corpus.py, a few thousand distinct
terms) and the one with a realistic vocabulary (`--rich-vocab`, at least 250,000 distinct terms at
10,000 documents), generated under bench/out/ (or --work), it measures in one run:
  - the index build in a fresh process: CPU per document (all processes), wall time, peak memory
    of the whole process tree (proportional set size, sampled), index size over text size;
  - end-to-end `stancecli search QUERY CORPUS --index-dir ...` in a pipe, per query, interleaved
    with `rg -i -F QUERY CORPUS`, the floor (the one-command Typer app of bench/startup.py) and
    `python -c pass`, every size of the corpus in the same rounds, so that machine noise hits all
    alike and the sizes are compared under the same conditions; queries of four classes: word,
    typo, compound part, phrase;
  - the search alone, in-process; the freshness check of an unchanged corpus (public API: read the
    index's folder memo, collect, sync) and how many sources it opened;
  - top-20 recall against a brute-force rapidfuzz scan of every sentence (synthetic corpus only);
  - on the largest realistic corpus: typo planning in-process, and where a warm search spends its time.
Then it judges issue 14's goals: the time above the floor (stancecli minus the floor, same run;
the mean of a class's queries) grows at most 2x from the smallest to the largest size (3x for
phrases); at every size but the
smallest every query beats ripgrep; at the smallest every query is within 1.4x the floor; build
CPU, peak memory, index size, freshness, distinct terms, typo planning. Every miss is named.
Writes the "Search" and "Search: realistic vocabulary" sections of docs/benchmarks.md (between
their markers) and prints them. `--quick` is a smoke test: tiny corpora, one query per class,
one run; its verdicts mean nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchlib import interleaved, replace_section
from startup import TYPER_APP

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

QUERIES = {
    "word": ["anbud", "tiltak", "arbeidsgiver"],
    "typo": ["anbudsutseting", "overslagsbevilling", "arbeidsmarkedsbedrifer"],
    "compound part": ["utsetting", "bevilgning"],
    "phrase": ["tett oppfølging av brukere", "ordinært arbeidsliv", "varige tiltak"],
}
QUICK_QUERIES = {cls: qs[:1] for cls, qs in QUERIES.items()}
ISSUE_SIZES = [1000, 10000, 30000]
QUICK_SIZES = [30, 60]
# issue 14's goals
GROWTH = {"word": 2.0, "typo": 2.0, "compound part": 2.0, "phrase": 3.0}  # time above the floor, smallest -> largest
SMALL_OVER_FLOOR = 1.4  # every query at the smallest size, times the floor
BUILD_CPU_MS = 2.0  # per document, all processes
PEAK_BUILD_MB = 300.0  # at the largest size
RICH_INDEX_OVER_TEXT = 1.5
FRESHNESS_MS = 30.0  # at the largest size, unchanged corpus
RICH_MIN_TERMS = 250_000
TYPO_PLAN_MS = 20.0
RECALL = 0.95
BUILD_REPEATS_UP_TO = 1000  # builds this small are timed five times (median)

FLOOR = "floor"
BARE = "python -c pass"
PLAIN_MARKS = ("<!-- search:begin -->", "<!-- search:end -->")
RICH_MARKS = ("<!-- search-rich:begin -->", "<!-- search-rich:end -->")

# As installed: Python keeps compiled bytecode. (A shell with PYTHONDONTWRITEBYTECODE set
# would make every run compile every module, about 40 ms more per command.)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Kind:
    """One of the two corpora."""

    rich: bool
    prefix: str  # bench/out/<prefix>-N holds the corpus of N documents
    index: str  # and bench/out/<index>-N its index
    marks: tuple[str, str]
    title: str

    def folder(self, work: Path, n: int) -> Path:
        return work / f"{self.prefix}-{n}"

    def index_dir(self, work: Path, n: int) -> Path:
        return work / f"{self.index}-{n}"


PLAIN = Kind(False, "corpus", "index", PLAIN_MARKS, "Search")
RICH = Kind(True, "rich", "rich-index", RICH_MARKS, "Search: realistic vocabulary")


def ensure_rg() -> str:
    rg = shutil.which("rg")
    if rg:
        return rg
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("ripgrep missing: installing it with apt-get", file=sys.stderr)
        subprocess.run("apt-get update -qq && apt-get install -y -qq ripgrep", shell=True,
                       stdout=subprocess.DEVNULL, check=False)
        rg = shutil.which("rg")
    if not rg:
        sys.exit("bench: ripgrep (rg) is needed as the baseline; install it (apt-get install ripgrep, "
                 "brew install ripgrep) and run again")
    return rg


def stancecli_cmd() -> list[str]:
    exe = shutil.which("stancecli", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "stancecli"]


def corpus(work: Path, kind: Kind, n: int) -> Path:
    from gen_corpus import generate

    folder = kind.folder(work, n)
    if len(list(folder.glob("*.txt"))) != n:
        shutil.rmtree(folder, ignore_errors=True)
        print(f"[{kind.prefix} {n}] generating ...", file=sys.stderr)
        generate(n, folder, rich_vocab=kind.rich)
    return folder


def text_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.txt"))


def index_bytes(index: Path) -> int:
    return sum(p.stat().st_size for p in index.iterdir() if p.is_file())


def med(xs: list[float]) -> float:
    return 1000 * statistics.median(xs)


# ---------------------------------------------------------------- build

_BUILD = """
import resource, sys, time
from pathlib import Path
from stancecli.search.index import IndexStore
from stancecli.search.listing import collect
started = time.perf_counter()
snap = IndexStore(Path(sys.argv[2])).sync(collect([Path(sys.argv[1])]))
me, ch = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
# Linux keeps ru_maxrss across exec: a process started by a large parent reports the parent's size.
# VmHWM is the high-water mark of this program's own memory.
try:
    own = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    own = me.ru_maxrss / 1024
print(time.perf_counter() - started, me.ru_utime + me.ru_stime + ch.ru_utime + ch.ru_stime,
      own, ch.ru_maxrss / 1024, len(snap.vocab))
"""
SAMPLE_S = 0.1  # how often the build's memory is sampled


def _tree_pss_mb(pid: int) -> float | None:
    """Proportional set size of a process and its descendants (Linux /proc), in MB: pages
    shared by forked workers counted once."""
    total, todo, seen = 0, [pid], False
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
            seen = True
        except (OSError, ValueError, StopIteration):
            continue
    return total / 1024 if seen else None


def build(folder: Path, index: Path) -> dict:
    """The index built from scratch in a fresh process, as a first search would (imports on the
    way counted, not the interpreter's start), its memory sampled from outside while it runs."""
    shutil.rmtree(index, ignore_errors=True)
    env = {**ENV, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-c", _BUILD, str(folder), str(index)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak: list[float] = []

    def sample() -> None:
        while proc.poll() is None:
            mb = _tree_pss_mb(proc.pid)
            if mb is not None:
                peak.append(mb)
            time.sleep(SAMPLE_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    sampler.join()
    if proc.returncode:
        sys.exit(f"bench: building the index of {folder} failed:\n{err}")
    wall, cpu, main_mb, worker_mb, terms = out.split()
    # Sampling can miss a short spike that one process's own high-water mark caught: the larger counts.
    return {"wall": float(wall), "cpu": float(cpu), "main_mb": float(main_mb), "worker_mb": float(worker_mb),
            "peak_mb": max(peak + [float(main_mb), float(worker_mb)]) if peak else None, "terms": int(terms)}


def build_figures(folder: Path, index: Path, repeats: int) -> dict:
    """The median by CPU time of `repeats` builds."""
    runs = sorted((build(folder, index) for _ in range(repeats)), key=lambda b: b["cpu"])
    return runs[len(runs) // 2]


# ---------------------------------------------------------------- latency

def latencies(corpora: dict[int, tuple[Path, Path]], rg: str, cfg: Settings) -> dict[int, dict[str, list[float]]]:
    """Wall times of every command at every size ({size: (corpus, index)}), all sizes interleaved
    in the same rounds with one floor and one bare Python, after one round that warms the caches
    and stops the bench if a search fails (with --quick that round is the only one). Per size:
    the shared floor and bare Python, and that size's searches and rg runs."""
    cmds: dict[str, list[str]] = {BARE: [sys.executable, "-c", "pass"], FLOOR: [sys.executable, "-c", TYPER_APP]}
    for n, (folder, index) in corpora.items():
        for qs in cfg.queries.values():
            for q in qs:
                cmds[f"{n}/stancecli:{q}"] = stancecli_cmd() + ["search", q, str(folder), "--index-dir", str(index)]
                cmds[f"{n}/rg:{q}"] = [rg, "-i", "-F", q, str(folder)]
    first: dict[str, list[float]] = {}
    for name, cmd in cmds.items():
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
        first[name] = [time.perf_counter() - started]
        if done.returncode and "/rg:" not in name:  # rg finds nothing: 1
            sys.exit(f"bench: {' '.join(cmd)} failed:\n{done.stderr}")
    times = first if cfg.quick else interleaved(cmds, cfg.runs, ENV, warm=False, check=False)
    return {n: {BARE: times[BARE], FLOOR: times[FLOOR],
                **{name.split("/", 1)[1]: t for name, t in times.items() if name.startswith(f"{n}/")}}
            for n in corpora}


def in_process(folder: Path, index: Path, runs: int, queries: dict[str, list[str]]) -> dict[str, float]:
    """Median milliseconds of the library call alone (no process start, no CLI)."""
    from stancecli.search.engine import search

    out = {}
    for qs in queries.values():
        for q in qs:
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                search(q, [folder], index_dir=index, limit=20)
                samples.append(time.perf_counter() - started)
            out[q] = 1000 * statistics.median(samples)
    return out


_OPENED: list[str] | None = None  # while set, the audit hook records every file opened under _WATCHED
_WATCHED = ""
_HOOKED = False


def _audit(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], str | bytes):
        path = os.fsdecode(args[0])
        if os.path.abspath(path).startswith(_WATCHED):
            _OPENED.append(path)


def freshness(folder: Path, index: Path, runs: int) -> dict:
    """The check a search makes before it reads the index, on an unchanged corpus, through the
    public API (read the index's folder memo, list the sources, sync the index): median ms,
    sources opened, documents re-indexed."""
    global _OPENED, _WATCHED, _HOOKED
    from stancecli.search import memo
    from stancecli.search.index import IndexStore
    from stancecli.search.listing import collect

    def check() -> IndexStore:
        store = IndexStore(index)
        store.sync(collect([folder], memo=memo.of_index([str(folder)], index)))
        return store

    check()
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED = True
    _WATCHED, _OPENED = os.path.abspath(folder) + os.sep, []
    times, indexed = [], 0
    try:
        for _ in range(runs):
            started = time.perf_counter()
            store = check()
            times.append(time.perf_counter() - started)
            indexed += store.last_sync.indexed
        opened = len(_OPENED)
    finally:
        _OPENED = None
    return {"ms": med(times), "opened": opened, "indexed": indexed, "runs": runs}


# ---------------------------------------------------------------- recall (synthetic corpus)

def normalised(sentence: str) -> str:
    """A sentence as the reference compares it: folded words joined by single spaces."""
    from stancecli.search import text

    return " ".join(text.tokens(text.prepare(sentence)))


def brute_sentences(folder: Path) -> list[str]:
    from stancecli.corpus import read_source
    from stancecli.search import sentences, text

    out = []
    for path in sorted(folder.glob("*.txt")):
        src = read_source(path)
        prepared = text.prepare(src.text)
        for s, e in sentences.split(src.text):
            out.append(" ".join(text.tokens(prepared[s:e])))
    return out


def recall(folder: Path, index: Path, queries: dict[str, list[str]]) -> dict[str, float]:
    """Share of our top 20 that a brute-force partial_ratio scan also puts in its top 20.

    The scan scores every sentence at least as long as the query (a shorter one would
    score 100 whenever it is a substring of the query); ties at the 20th score all count.
    """
    from rapidfuzz import fuzz, process

    from stancecli.search.engine import search

    choices = brute_sentences(folder)
    out = {}
    for qs in queries.values():
        for q in qs:
            fq = normalised(q)
            pool = [c for c in choices if len(c) >= len(fq)]
            top = process.extract(fq, pool, scorer=fuzz.partial_ratio, processor=None, limit=20)
            cut = top[-1][1] if top else 101
            ours = search(q, [folder], index_dir=index, limit=20).hits
            want = min(20, len(top))
            good = sum(fuzz.partial_ratio(fq, normalised(h.sentence)) >= cut for h in ours[:want])
            out[q] = good / want if want else 1.0
    return out


def brute_force_curve(folder: Path, work: Path) -> list[tuple[int, int, float, float]]:
    """(documents, bytes, ms without index, ms with a warm index) on growing prefixes."""
    from stancecli.search.engine import search

    files = sorted(folder.glob("*.txt"))
    rows = []
    for n in (5, 10, 20, 50, 100):
        sub = files[:n]
        index = work / f"curve-index-{n}"
        shutil.rmtree(index, ignore_errors=True)
        search("anbud", sub, index_dir=index)
        mem, idx = [], []
        for _ in range(5):
            started = time.perf_counter()
            search("anbudsutseting", sub, use_index=False)
            mem.append(time.perf_counter() - started)
            started = time.perf_counter()
            search("anbudsutseting", sub, index_dir=index)
            idx.append(time.perf_counter() - started)
        rows.append((n, sum(p.stat().st_size for p in sub), 1000 * statistics.median(mem),
                     1000 * statistics.median(idx)))
        shutil.rmtree(index, ignore_errors=True)
    return rows


# ---------------------------------------------------------------- realistic vocabulary extras

def planning(folder: Path, index: Path, runs: int) -> dict:
    """In-process query planning on the warm index, per query; for typos also the scan of every
    term and stem that the typo table replaced (same run, interleaved)."""
    from stancecli.search import engine, text
    from stancecli.search.index import IndexStore
    from stancecli.search.listing import collect

    vocab = IndexStore(index).sync(collect([folder])).vocab
    plan_ms: dict[str, float] = {}
    scan_ms: dict[str, float] = {}
    scan = getattr(engine, "_typos_everywhere", None)  # private: skipped if it goes away
    for cls, qs in QUERIES.items():
        for q in qs:
            words = text.query_terms(q)
            engine.plan(words, vocab)  # warm: rapidfuzz's import, the page cache
            times, scans = [], []
            for _ in range(runs):
                started = time.perf_counter()
                engine.plan(words, vocab)
                times.append(time.perf_counter() - started)
                if cls == "typo" and scan is not None:
                    started = time.perf_counter()
                    scan(words[0], words[0], vocab, 2)
                    scans.append(time.perf_counter() - started)
            plan_ms[q] = med(times)
            if scans:
                scan_ms[q] = med(scans)
    return {"plan_ms": plan_ms, "scan_ms": scan_ms}


STAGE_QUERIES = ["tiltak", "anbudsutseting", "utsetting", "tett oppfølging av brukere"]


def stages(folder: Path, index: Path, runs: int) -> dict[str, float]:
    """Median ms of each stage of a warm search, in-process: where the time goes. Uses the
    engine's private functions: when they change, bench/search_bench.py must follow."""
    from stancecli.search import engine, memo, text
    from stancecli.search.index import IndexStore, _stale
    from stancecli.search.listing import collect

    def median_ms(fn):
        fn()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return 1000 * statistics.median(times)

    store = IndexStore(index)
    files = collect([folder])
    man = store._manifest()
    snap = store.snapshot(man)
    kept = memo.of_index([str(folder)], index)
    out = {"list and stat every file, unchanged folders from the index's memo": median_ms(
               lambda: collect([folder], memo=kept)),
           "list and stat every file, every folder read (no memo)": median_ms(lambda: collect([folder])),
           "load the manifest": median_ms(store._manifest),
           "compare stamps": median_ms(lambda: _stale(man, files)),
           "open the index": median_ms(lambda: store.snapshot(man))}
    shown = {f.key: f.shown for f in files}
    for q in STAGE_QUERIES:
        terms = engine.plan(text.query_terms(q), snap.vocab)
        ranked = engine.rank(terms, snap.segments, 21, 0.0, False, None, snap.vocab)
        out[f"plan `{q}`"] = median_ms(lambda q=q: engine.plan(text.query_terms(q), snap.vocab))
        out[f"rank `{q}`"] = median_ms(
            lambda t=terms: engine.rank(t, snap.segments, 21, 0.0, False, None, snap.vocab))
        in_c = getattr(engine, "_rank_phrase_py", None)  # private: skipped if it goes away
        if len(terms) > 1 and in_c is not None:
            out[f"rank `{q}`, the ranking loop in Python (its chain and re-scoring in C)"] = _python_ranking(
                engine, lambda t=terms: median_ms(
                    lambda: engine.rank(t, snap.segments, 21, 0.0, False, None, snap.vocab)))
        out[f"read the hits of `{q}`"] = median_ms(
            lambda r=ranked, t=terms: engine._materialise(r, t, snap, shown, {}, 0, []))
    return out


def _python_ranking(engine, measure):
    """`measure()` with the phrase ranking in Python (the C chain and re-ranking stay)."""
    in_c = engine._rank_phrase
    engine._rank_phrase = engine._rank_phrase_py
    try:
        return measure()
    finally:
        engine._rank_phrase = in_c


def listing_floor(folder: Path, runs: int) -> dict[str, float]:
    """What any per-file freshness check costs in Python: a bare scandir walk, with and without a stat."""

    def walk(d: str, out: list, with_stat: bool) -> None:
        with os.scandir(d) as it:
            for e in it:
                if e.is_dir(follow_symlinks=False):
                    walk(e.path, out, with_stat)
                else:
                    out.append(e.stat() if with_stat else e.name)

    def median_ms(with_stat: bool) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            walk(str(folder), [], with_stat)
            times.append(time.perf_counter() - started)
        return 1000 * statistics.median(times)

    return {"floor: a bare scandir walk listing the names": median_ms(False),
            "floor: the same walk with a stat per file": median_ms(True)}


# ---------------------------------------------------------------- one corpus, every size

@dataclass
class Settings:
    runs: int
    queries: dict[str, list[str]]
    work: Path
    quick: bool


def measure(kind: Kind, sizes: list[int], cfg: Settings, rg: str) -> dict:
    res: dict = {"rg": subprocess.run([rg, "--version"], capture_output=True, text=True).stdout.splitlines()[0],
                 "sizes": {}}
    corpora = {n: (corpus(cfg.work, kind, n), kind.index_dir(cfg.work, n)) for n in sizes}
    for n, (folder, index) in corpora.items():
        print(f"[{kind.prefix} {n}] building ...", file=sys.stderr)
        repeats = 1 if cfg.quick or n > BUILD_REPEATS_UP_TO else 5
        res["sizes"][n] = {"text": text_bytes(folder), "build": build_figures(folder, index, repeats),
                           "index": index_bytes(index)}
    for folder, _ in corpora.values():
        subprocess.run([rg, "-c", "-F", "anbud", str(folder)], stdout=subprocess.DEVNULL, check=False)  # file cache
    print(f"[{kind.prefix}] timing every size in the same rounds ...", file=sys.stderr)
    for n, times in latencies(corpora, rg, cfg).items():
        res["sizes"][n]["times"] = times
    for n, (folder, index) in corpora.items():
        row = res["sizes"][n]
        row["lib"] = in_process(folder, index, 1 if cfg.quick else 3, cfg.queries)
        row["fresh"] = freshness(folder, index, max(cfg.runs, 3))
        if not kind.rich:
            print(f"[{kind.prefix} {n}] recall ...", file=sys.stderr)
            row["recall"] = recall(folder, index, cfg.queries)
    largest = max(sizes)
    folder, index = kind.folder(cfg.work, largest), kind.index_dir(cfg.work, largest)
    if kind.rich:
        print(f"[{kind.prefix} {largest}] planning, stages ...", file=sys.stderr)
        res["planning"] = planning(folder, index, cfg.runs)
        try:
            res["stages"] = stages(folder, index, cfg.runs)
        except (AttributeError, ImportError, TypeError) as exc:  # the engine's private API moved
            res["stages_error"] = f"{type(exc).__name__}: {exc}"
    elif not cfg.quick:
        print("[brute force curve] ...", file=sys.stderr)
        res["curve"] = brute_force_curve(corpus(cfg.work, kind, 100), cfg.work)
    return res


# ---------------------------------------------------------------- judging

def above(row: dict, baseline: str = FLOOR) -> dict[str, float]:
    """Per query: median stancecli wall time minus the median floor (or bare Python) of the same run, ms."""
    t = row["times"]
    floor = med(t[baseline])
    return {k.split(":", 1)[1]: med(v) - floor for k, v in t.items() if k.startswith("stancecli:")}


def growth(a: float, b: float) -> float | None:
    """How many times the time above the floor grew from `a` to `b` ms; None when `a` is not above
    the floor at all (then no ratio says anything)."""
    return max(b, 0.0) / a if a > 0 else None


def _x(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}×"


MET, MISSED, UNDECIDED, NOT_JUDGED = "met", "**missed**", "**undecided**", ""


def _ok(good: bool) -> str:
    return MET if good else MISSED


def class_growth(cls: str, a: dict[str, float], b: dict[str, float], qs: list[str]) -> tuple[str, str]:
    """The class's time above the floor or bare Python (the mean of its queries') at the smallest
    and the largest size, judged: (measured, verdict)."""
    mean_a, mean_b = statistics.fmean(a[q] for q in qs), statistics.fmean(b[q] for q in qs)
    g = growth(mean_a, mean_b)
    per_query = "; ".join(f"`{q}` {a[q]:.0f} → {b[q]:.0f} ms" for q in qs)
    measured = f"{mean_a:.1f} → {mean_b:.1f} ms, {_x(g)} (per query: {per_query})"
    if g is not None:
        return measured, _ok(g <= GROWTH[cls])
    if mean_b <= 0:
        return measured, MET  # at the floor at both sizes: nothing grew
    return measured + "; not above the floor at the smallest size, so no ratio", UNDECIDED


def goals(kind: Kind, res: dict, queries: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(goal, measured, verdict) for every goal of issue 14 this corpus measures."""
    rows = res["sizes"]
    sizes = sorted(rows)
    small, large = sizes[0], sizes[-1]
    out: list[tuple[str, str, str]] = []
    if len(sizes) > 1:
        a, b = above(rows[small]), above(rows[large])
        bare_a, bare_b = above(rows[small], BARE), above(rows[large], BARE)
        for cls, qs in queries.items():
            out.append((f"{cls} queries: time above the floor grows ≤ {GROWTH[cls]:g}× from {small:,} to "
                        f"{large:,} documents", *class_growth(cls, a, b, qs)))
            if statistics.fmean(a[q] for q in qs) <= 0:  # below the floor: what grows is above bare Python
                out.append((f"{cls} queries, run below the floor: time above bare Python grows ≤ "
                            f"{GROWTH[cls]:g}× from {small:,} to {large:,} documents",
                            *class_growth(cls, bare_a, bare_b, qs)))
    else:
        out.append(("time above the floor: growth with the corpus", "needs two sizes", NOT_JUDGED))
    for n in sizes[1:]:
        t = rows[n]["times"]
        ratio = {q: med(t[f"stancecli:{q}"]) / med(t[f"rg:{q}"]) for qs in queries.values() for q in qs}
        slow = [q for q in ratio if ratio[q] >= 1.0]
        out.append((f"at {n:,} documents every query class faster than `rg -i -F`",
                    ", ".join(f"{cls} {_span([ratio[q] for q in qs])}" for cls, qs in queries.items()) + " of rg"
                    + (f" (not faster: {', '.join(f'`{q}` {ratio[q]:.2f}×' for q in slow)})" if slow else ""),
                    _ok(not slow)))
    t = rows[small]["times"]
    floor = med(t[FLOOR])
    ratio = {q: med(t[f"stancecli:{q}"]) / floor for qs in queries.values() for q in qs}
    over = [q for q in ratio if ratio[q] > SMALL_OVER_FLOOR]
    out.append((f"at {small:,} documents every query ≤ {SMALL_OVER_FLOOR:g}× the floor",
                f"{_span(list(ratio.values()))} of {floor:.0f} ms"
                + (f" (over: {', '.join(f'`{q}` {ratio[q]:.2f}×' for q in over)})" if over else ""),
                _ok(not over)))
    cpu = {n: 1000 * rows[n]["build"]["cpu"] / n for n in sizes}
    out.append((f"build ≤ {BUILD_CPU_MS:g} ms CPU per document (all processes)",
                ", ".join(f"{cpu[n]:.2f} ms at {n:,}" for n in sizes), _ok(max(cpu.values()) <= BUILD_CPU_MS)))
    peak = rows[large]["build"]["peak_mb"]
    out.append((f"peak memory while building {large:,} documents ≤ {PEAK_BUILD_MB:g} MB",
                "not measured (needs Linux /proc)" if peak is None else
                f"{peak:.0f} MB, the whole process tree (building process alone {rows[large]['build']['main_mb']:.0f} "
                f"MB, largest worker {rows[large]['build']['worker_mb']:.0f} MB)",
                NOT_JUDGED if peak is None else _ok(peak <= PEAK_BUILD_MB)))
    ratio_idx = {n: rows[n]["index"] / rows[n]["text"] for n in sizes}
    out.append((f"index ≤ {RICH_INDEX_OVER_TEXT:g}× text" + ("" if kind.rich else " (a goal on the realistic corpus)"),
                ", ".join(f"{ratio_idx[n]:.2f}× at {n:,}" for n in sizes),
                _ok(max(ratio_idx.values()) <= RICH_INDEX_OVER_TEXT) if kind.rich else NOT_JUDGED))
    fresh = rows[large]["fresh"]
    out.append(("an unchanged corpus costs no re-reading of files",
                f"{fresh['opened']} sources opened, {fresh['indexed']} re-indexed in {fresh['runs']} checks at "
                f"{large:,}", _ok(fresh["opened"] == 0 and fresh["indexed"] == 0)))
    out.append((f"freshness check at {large:,} files < {FRESHNESS_MS:g} ms",
                f"{fresh['ms']:.1f} ms (read the folder memo, list and stat the sources, load the manifest, compare; in-process median)",
                _ok(fresh["ms"] < FRESHNESS_MS)))
    if kind.rich:
        terms = rows[large]["build"]["terms"]
        out.append((f"≥ {RICH_MIN_TERMS:,} distinct terms", f"{terms:,} at {large:,}", _ok(terms >= RICH_MIN_TERMS)))
        plan = res["planning"]["plan_ms"]
        typo = {q: plan[q] for q in QUERIES["typo"]}
        out.append((f"typo planning ≤ {TYPO_PLAN_MS:g} ms in-process",
                    ", ".join(f"`{q}` {v:.1f} ms" for q, v in typo.items()), _ok(max(typo.values()) <= TYPO_PLAN_MS)))
    else:
        worst = min(min(r["recall"].values()) for r in rows.values())
        out.append((f"top-20 recall ≥ {RECALL:g} against the brute-force scan", f"lowest {worst:.2f}",
                    _ok(worst >= RECALL)))
    return out


def _span(ratios: list[float]) -> str:
    low, high = min(ratios), max(ratios)
    return f"{low:.2f}×" if f"{low:.2f}" == f"{high:.2f}" else f"{low:.2f}-{high:.2f}×"


# ---------------------------------------------------------------- the written section

def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def report(kind: Kind, res: dict, cfg: Settings, command: str) -> str:
    begin, end = kind.marks
    sizes = sorted(res["sizes"])
    judged = goals(kind, res, cfg.queries)
    missed = [g for g, _, v in judged if v == MISSED]
    undecided = [g for g, _, v in judged if v == UNDECIDED]
    lines = [begin, f"## {kind.title}", "",
             f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores ({_cpu()}), "
             f"Python {platform.python_version()}, {res['rg']}, with `{command}`; sizes "
             + ", ".join(f"{n:,}" for n in sizes) + " documents."]
    if sizes != ISSUE_SIZES or cfg.quick:
        lines += ["", f"**Not issue 14's sizes ({', '.join(f'{n:,}' for n in ISSUE_SIZES)}) or not a full run: "
                  "the verdicts below are only indicative.** The smallest size stands for 1,000 documents, the "
                  "largest for 30,000."]
    lines += ["", "| goal (issue 14) | measured | |", "|---|---|---|"]
    lines += [f"| {g} | {m} | {v} |" for g, m, v in judged]
    lines += ["", ("Missed: " + "; ".join(missed) + ".") if missed else "Every goal judged here is met.", ""]
    if undecided:
        lines += ["Undecided (no time above the floor at the smallest size to grow from): "
                  + "; ".join(undecided) + ".", ""]
    lines += _method(kind, cfg)
    for n in sizes:
        lines += _size_table(n, res["sizes"][n], cfg.queries, kind)
    lines += _growth_table(res, cfg.queries)
    lines += _growth_table(res, cfg.queries, BARE)
    lines += _build_table(res)
    if kind.rich:
        lines += _rich_extras(res, cfg.runs)
    elif "curve" in res:
        lines += _curve(res["curve"])
    lines += [end]
    return "\n".join(lines) + "\n"


def _method(kind: Kind, cfg: Settings) -> list[str]:
    corpus_line = (
        "Corpora from `bench/gen_corpus.py --rich-vocab`: the seed sentences recombined as below, plus invented "
        "compounds and names in every document, as real hearings have (about 250,000 distinct terms at "
        "10,000 documents)." if kind.rich else
        "Corpora are synthetic (`bench/gen_corpus.py`): sentences of the five seeds recombined into documents "
        "of 20-150 sentences, re-wrapped at 75-105 columns with line-end hyphenation, one in five "
        "double-spaced, under a header with an invented organisation and case number. Their vocabulary is a "
        "few thousand words (the realistic one is in the next section), and every seed sentence recurs "
        "hundreds of times, so phrase queries score fewer distinct sentences here than on real text.")
    return [
        corpus_line, "",
        "The floor is the one-command Typer app of `bench/startup.py` (prints one line), run in the same "
        "interleaved rounds as everything else, every size of the corpus included (so each size's table shows "
        "the same floor); \"above the floor\" is a command's median minus the floor's "
        f"median of the same run. Each latency is the median wall time of {cfg.runs} run(s) of the whole process "
        "with stdout to a pipe, bytecode caching on, the index built beforehand, the index and the file cache "
        + ("cold (--quick: one round, no warm-up)" if cfg.quick else "warm (one untimed round first)")
        + ". Commands, with `Q` the query and `C` the corpus folder:", "",
        *_aligned([(f"stancecli search Q C --index-dir bench/out/{kind.index}-N", "(top 20 hits)"),
                   ("rg -i -F Q C", "(every matching line)")]), "",
        "\"In-process\" is `stancecli.search.engine.search(Q, [C], index_dir=...)` inside the benchmark process "
        f"(median of {1 if cfg.quick else 3}): the search without process start, Typer or output. The build runs in a fresh process "
        "on an empty index folder (median of five builds up to 1,000 documents, one above); CPU counts every "
        "process; the peak is the proportional set size of the whole process tree, sampled every "
        f"{1000 * SAMPLE_S:.0f} ms, or a single process's own high-water mark if larger. Freshness is "
        "`IndexStore(index).sync(collect([C], memo=memo.of_index([C], index)))` on the unchanged corpus (the index's "
        "folder memo read, the sources listed and stat-ed, the index synced, as a search does), in-process, with an "
        "audit hook counting the sources opened.", ""] + ([] if kind.rich else [
        "Recall: the brute-force reference reads every sentence of the corpus (split by the engine's splitter, "
        "hyphenation joined, words folded and joined by single spaces) and scores it with "
        "`rapidfuzz.fuzz.partial_ratio` against the query normalised the same way, skipping sentences shorter "
        "than the query. A hit of ours counts when its sentence scores at least the reference's 20th best "
        "score (ties included).", ""])


def _aligned(rows: list[tuple[str, str]]) -> list[str]:
    """Commands as an indented block, their notes in one column."""
    width = max(len(cmd) for cmd, _ in rows) + 4
    return [f"    {cmd.ljust(width)}{note}" for cmd, note in rows]


def _size_table(n: int, row: dict, queries: dict[str, list[str]], kind: Kind) -> list[str]:
    t = row["times"]
    floor, bare = med(t[FLOOR]), med(t[BARE])
    over = above(row)
    lines = [f"### {n:,} documents", "",
             f"{row['text'] / 1e6:.1f} MB of text. The floor {floor:.1f} ms; `python -c pass` {bare:.1f} ms.", "",
             "| query | class | stancecli | above the floor | × floor | in-process | rg -i -F | stancecli / rg |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for cls, qs in queries.items():
        for q in qs:
            ours, rg = med(t[f"stancecli:{q}"]), med(t[f"rg:{q}"])
            lines.append(f"| `{q}` | {cls} | {ours:.1f} ms | {over[q]:.1f} ms | {ours / floor:.2f}× | "
                         f"{row['lib'][q]:.1f} ms | {rg:.1f} ms | {ours / rg:.2f}× |")
    if "recall" in row:
        lines += ["", "Top-20 recall against the brute-force scan: "
                  + ", ".join(f"`{q}` {v:.2f}" for q, v in row["recall"].items()) + "."]
    return lines + [""]


def _growth_table(res: dict, queries: dict[str, list[str]], baseline: str = FLOOR) -> list[str]:
    sizes = sorted(res["sizes"])
    if len(sizes) < 2:
        return []
    over = {n: above(res["sizes"][n], baseline) for n in sizes}
    what = "the floor" if baseline == FLOOR else "bare Python (`python -c pass`)"
    lines = [f"### Time above {what} as the corpus grows", "",
             "| query | class | " + " | ".join(f"{n:,}" for n in sizes) + f" | {sizes[-1]:,} / {sizes[0]:,} | goal |",
             "|---|---|" + "---:|" * len(sizes) + "---:|---:|"]
    for cls, qs in queries.items():
        for q in qs:
            g = growth(over[sizes[0]][q], over[sizes[-1]][q])
            lines.append(f"| `{q}` | {cls} | " + " | ".join(f"{over[n][q]:.1f} ms" for n in sizes)
                         + f" | {_x(g)} | |")
        mean = {n: statistics.fmean(over[n][q] for q in qs) for n in sizes}
        lines.append(f"| **{cls} (mean)** | {cls} | " + " | ".join(f"{mean[n]:.1f} ms" for n in sizes)
                     + f" | {_x(growth(mean[sizes[0]], mean[sizes[-1]]))} | ≤ {GROWTH[cls]:g}× |")
    return lines + ["", "The goal is judged on each class's mean; a query alone, with a few ms above the floor at "
                    "the smallest size, gives a ratio dominated by noise." if baseline == FLOOR else
                    "A search below the floor has no time above it to grow from; this table takes bare Python's "
                    "start instead (what remains includes stancecli's own imports, the same at every size).", ""]


def _build_table(res: dict) -> list[str]:
    lines = ["### Build, index size, freshness", "",
             "| documents | build CPU per document | build wall | peak memory (tree) | building process / largest "
             "worker | index / text | distinct terms | freshness check | sources opened |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in sorted(res["sizes"]):
        r = res["sizes"][n]
        b, f = r["build"], r["fresh"]
        peak = "n/a" if b["peak_mb"] is None else f"{b['peak_mb']:.0f} MB"
        lines.append(f"| {n:,} | {1000 * b['cpu'] / n:.2f} ms | {b['wall']:.1f} s | {peak} | {b['main_mb']:.0f} / "
                     f"{b['worker_mb']:.0f} MB | {r['index'] / r['text']:.2f} ({r['index'] / 1e6:.1f} MB) | "
                     f"{b['terms']:,} | {f['ms']:.1f} ms | {f['opened']} |")
    return lines + [""]


def _rich_extras(res: dict, runs: int) -> list[str]:
    largest = max(res["sizes"])
    p = res["planning"]
    lines = [f"### Query planning at {largest:,} documents", "",
             f"In-process `engine.plan` on the warm index, median of {runs} (ms): "
             + ", ".join(f"`{q}` {ms:.1f}" for q, ms in p["plan_ms"].items()) + "."]
    if p["scan_ms"]:
        lines += ["The typo queries against a scan of every term and stem (the method before the typo table), "
                  "same run: " + ", ".join(f"`{q}` {ms:.1f} ms ({ms / p['plan_ms'][q]:.1f}× slower)"
                                           for q, ms in p["scan_ms"].items()) + "."]
    lines += ["", f"Where a warm search of {largest:,} documents spends its time (in-process, median of {runs}):", ""]
    if "stages" in res:
        lines += ["| stage | ms |", "|---|---:|"] + [f"| {k} | {v:.1f} |" for k, v in res["stages"].items()]
    else:
        lines.append(f"Not measured: the engine's private API changed ({res['stages_error']}).")
    return lines + [""]


def _curve(curve: list[tuple[int, int, float, float]]) -> list[str]:
    from stancecli.search.engine import BRUTE_FORCE_BYTES

    lines = ["### Brute force or index", "",
             "In-process median of 5 searches for `anbudsutseting` over the first N documents of the "
             "100-document corpus:", "",
             "| documents | text | without index | with a warm index |", "|---:|---:|---:|---:|"]
    lines += [f"| {n} | {size / 1024:.0f} KiB | {mem:.1f} ms | {idx:.1f} ms |" for n, size, mem, idx in curve]
    return lines + ["", f"Sources under {BRUTE_FORCE_BYTES // 1024} KiB are searched without an index (and nothing "
                    "is written to the cache); past that the index is built once and kept fresh.", ""]


# ---------------------------------------------------------------- command line

def stage_run(n: int, runs: int, work: Path) -> None:
    from stancecli.search.index import IndexStore
    from stancecli.search.listing import collect

    folder, index = corpus(work, PLAIN, n), PLAIN.index_dir(work, n)
    IndexStore(index).sync(collect([folder]))  # built or brought up to date: then timed warm
    fresh = freshness(folder, index, runs)
    rows = {**stages(folder, index, runs), **listing_floor(folder, runs),
            f"freshness check (public API), {fresh['opened']} sources opened": fresh["ms"]}
    for name, ms in rows.items():
        print(f"| {name} | {ms:.1f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=None, help=f"default {ISSUE_SIZES}; none skips")
    ap.add_argument("--rich", type=int, nargs="*", default=None,
                    help=f"sizes of the realistic-vocabulary corpus, default {ISSUE_SIZES}; 0 or none skips")
    ap.add_argument("--runs", type=int, default=None, help="interleaved rounds (default 7; 1 with --quick)")
    ap.add_argument("--quick", action="store_true", help=f"smoke test: sizes {QUICK_SIZES}, one query per class")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out", help="where corpora and indexes go")
    ap.add_argument("--doc", type=Path, default=DOC, help="the Markdown file whose sections are replaced")
    ap.add_argument("--no-write", action="store_true", help="print the sections, write no file")
    ap.add_argument("--stages", type=int, default=0, metavar="N",
                    help="only print where a warm search of the N-document corpus spends its time")
    args = ap.parse_args()
    args.work = args.work.resolve()
    default_sizes = QUICK_SIZES if args.quick else ISSUE_SIZES
    runs = args.runs or (1 if args.quick else 7)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.stages:
        stage_run(args.stages, runs, args.work)
        return
    started = time.perf_counter()
    cfg = Settings(runs, QUICK_QUERIES if args.quick else QUERIES, args.work, args.quick)
    command = "python bench/" + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])
    rg = ensure_rg()
    for kind, sizes in ((PLAIN, args.sizes), (RICH, args.rich)):
        sizes = sorted({n for n in (default_sizes if sizes is None else sizes) if n > 0})
        if not sizes:
            continue
        section = report(kind, measure(kind, sizes, cfg, rg), cfg, command)
        print(section)
        if not args.no_write:
            replace_section(args.doc, *kind.marks, section)
    print(f"bench: {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
