"""Every measurement of issue 14, from a clean clone, with one command.

    python bench/run_all.py           # full sizes; replaces the measured sections of docs/benchmarks.md
    python bench/run_all.py --quick   # smoke test: tiny sizes, one run; writes bench/out/quick-benchmarks.md

Runs, one after another, each in a process of its own (nothing one sets leaks into the next):
  1. bench/startup.py: start-up of everyday commands against the floor (a one-command Typer app),
     and the generated dataset of 12,000 positions (bench/gen_dataset.py): `validate` cold and warm,
     warm `compare` and `matrix`;
  2. bench/search_bench.py: search at 1,000, 10,000 and 30,000 documents of the synthetic corpus and
     of the realistic-vocabulary corpus (generated under bench/out/, which git ignores): latency
     against the floor and ripgrep, growth with the corpus, build CPU and peak memory, index size,
     freshness, recall, typo planning, each judged against issue 14's goals;
  3. bench/tantivy_probe.py on the largest realistic corpus, when `tantivy` is installed (not a
     dependency; skipped otherwise): printed and kept in bench/out/tantivy-probe.txt, not in docs/.
Needs ripgrep (`rg`) on the PATH. A step that fails is reported and the next one still runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
QUICK_BIG = "4x10"  # organisations x issues of the dataset in the smoke test


def _shown(path: Path) -> str:
    """A path as the commands (run from the repository root) and the written sections name it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def steps(args: argparse.Namespace, doc: Path | None) -> list[tuple[str, list[str], Path | None]]:
    """(name, command, file its output is kept in) for every step."""
    py = sys.executable
    written = ["--no-write"] if doc is None else [] if doc == DOC else ["--doc", _shown(doc)]
    runs = [] if args.runs is None else ["--runs", str(args.runs)]
    work = [] if args.work == BENCH / "out" else ["--work", _shown(args.work)]
    startup = [py, "bench/startup.py", *written, *runs]
    search = [py, "bench/search_bench.py", *work, *written, *runs]
    if args.quick:
        startup += ["--big", QUICK_BIG] + ([] if args.runs else ["--runs", "1"])
        search += ["--quick"]
    out = [("start-up and dataset size", startup, None), ("search", search, None)]
    if importlib.util.find_spec("tantivy") is not None:
        from search_bench import ISSUE_SIZES, QUICK_SIZES, RICH

        largest = max(QUICK_SIZES if args.quick else ISSUE_SIZES)
        out.append(("tantivy probe", [py, "bench/tantivy_probe.py", _shown(RICH.folder(args.work, largest)),
                                      "--own-index", _shown(RICH.index_dir(args.work, largest)),
                                      "--work", _shown(args.work / "tantivy")],
                    args.work / "tantivy-probe.txt"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke test: tiny corpora and dataset, one run each")
    ap.add_argument("--out", type=Path, help="Markdown file to write the sections to (default docs/benchmarks.md; "
                    "with --quick bench/out/quick-benchmarks.md, started afresh)")
    ap.add_argument("--no-write", action="store_true", help="print the sections, write no file")
    ap.add_argument("--work", type=Path, default=BENCH / "out", help="where corpora and indexes are generated")
    ap.add_argument("--runs", type=int, help="interleaved rounds for every step (default: each script's own)")
    args = ap.parse_args()
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    doc = None if args.no_write else (args.out or (args.work / "quick-benchmarks.md" if args.quick else DOC)).resolve()
    if args.quick and doc is not None and doc != DOC:
        doc.unlink(missing_ok=True)  # a smoke test's file holds this run only
    if doc is not None:
        doc.parent.mkdir(parents=True, exist_ok=True)
    failed = []
    started = time.perf_counter()
    for name, cmd, keep in steps(args, doc):
        print(f"== {name}: {' '.join(cmd)}", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        sys.stdout.write(done.stdout)
        if keep is not None:
            keep.write_text(done.stdout, encoding="utf-8")
        verdict = f"failed (exit {done.returncode})" if done.returncode else "done"
        print(f"== {name}: {verdict} in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        if done.returncode:
            failed.append(name)
    print(f"== all steps in {time.perf_counter() - started:.0f} s"
          + (f"; written to {doc}" if doc is not None else ""), file=sys.stderr)
    if failed:
        sys.exit(f"bench: failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
