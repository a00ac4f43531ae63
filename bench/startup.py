"""Start-up timings of everyday commands against the Typer floor, measured in one run.

Usage: python bench/startup.py [--runs N] [--big ORGSxISSUES] [--no-write | --doc PATH]
Writes the "Start-up" section of docs/benchmarks.md (or --doc) between its markers and prints it.
The machine is shared and noisy, so each command is run N times, interleaved with the
baselines, and the report gives medians and ratios to the floor measured alongside: the
wall time of a one-command Typer app that prints one line (issue 14's floor), and bare
Python for scale. Targets are issue 14's.

With --big ORGSxISSUES (default 100x240, about 12,000 positions; 0 to skip) it also generates a
large dataset with bench/gen_dataset.py, times warm `compare`, `matrix` and `validate` on it in
the same interleaved runs, `validate` after a change of the dataset (cold: YAML, checks, quotes)
a few times, and, in-process, the warm snapshot load against `pickle.loads` of the same dataset.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchlib import interleaved, replace_section

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- startup:begin -->", "<!-- startup:end -->"
FLOOR = "one-command Typer app (floor)"
TARGETS = {"who-supports (pipe)": 1.25, "compare (table)": 1.6, "--version": 1.1, "--help": 1.1,
           "validate": 2.0, "big: compare (warm)": 1.3, "big: matrix (warm)": 1.5}
# issue 14: `validate` of the 12,000-position dataset within this many seconds
BIG_VALIDATE_SECONDS = 2.0
BIG_VALIDATE = "big: validate (warm)"
COLD_RUNS = 3
DEFAULT_BIG = "100x240"
# The floor of issue 14: a Typer app with one command that prints one line.
TYPER_APP = ("import typer\n"
             "app = typer.Typer()\n"
             "@app.command()\n"
             "def main() -> None:\n"
             "    print('one line')\n"
             "app()\n")


def _exe() -> str:
    return shutil.which("stancecli", path=str(Path(sys.executable).parent)) or "stancecli"


def commands(big_data: Path | None = None) -> dict[str, list[str]]:
    exe = _exe()
    cmds = {
        "python -c pass": [sys.executable, "-c", "pass"],
        FLOOR: [sys.executable, "-c", TYPER_APP],
        "who-supports (pipe)": [exe, "who-supports", "egenregi"],
        "compare (table)": [exe, "compare", "anbud", "--format", "table", "--color", "always"],
        "--version": [exe, "--version"],
        "--help": [exe, "--help"],
        "validate": [exe, "validate"],
    }
    if big_data is not None:
        data = ["--data", str(big_data)]
        cmds["big: compare (warm)"] = [exe, "compare", "sak-01", *data]
        cmds["big: matrix (warm)"] = [exe, "matrix", *data]
        cmds[BIG_VALIDATE] = [exe, "validate", *data]
    return cmds


def _env() -> dict[str, str]:
    # Bytecode caching on, as for any installed package (some shells set PYTHONDONTWRITEBYTECODE,
    # which makes every process recompile every module).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["COLUMNS"] = "120"
    return env


def measure(runs: int, big_data: Path | None = None) -> dict[str, list[float]]:
    env = _env()
    return interleaved(commands(big_data), runs, env)


def make_big(spec: str) -> tuple[Path, Path]:
    """A generated dataset of ORGSxISSUES in a temporary folder, with its own cache folder."""
    import tempfile

    orgs, issues = (int(x) for x in spec.lower().split("x"))
    work = Path(tempfile.mkdtemp(prefix="stancecli-big-"))
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_dataset.py"), str(work / "big"),
                    "--orgs", str(orgs), "--issues", str(issues)], check=True, stdout=subprocess.DEVNULL)
    os.environ["STANCECLI_CACHE_DIR"] = str(work / "cache")  # the subprocesses inherit it
    return work, work / "big" / "data" / "stances.yaml"


def cold_validate(path: Path, runs: int) -> list[float]:
    """Wall time of `validate` right after the dataset file changed (its snapshot is then stale)."""
    env = _env()
    times = []
    for _ in range(runs):
        path.write_bytes(path.read_bytes() + b"\n")
        started = time.perf_counter()
        subprocess.run([_exe(), "validate", "--data", str(path)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env, check=True)
        times.append(time.perf_counter() - started)
    return times


def big_snapshot(spec: str, path: Path, runs: int) -> dict:
    """In-process medians: the warm snapshot load (checks included, positions left unbuilt), the
    same plus building one issue's positions and every position, and `pickle.loads` of the same
    dataset (every object rebuilt one by one), interleaved."""
    import gc
    import pickle

    sys.path.insert(0, str(ROOT / "src"))
    from stancecli import cache
    from stancecli.cli.common import load

    started = time.perf_counter()
    dataset = load(path)
    cold = time.perf_counter() - started
    blob = pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL)
    positions = len(dataset.positions)
    del dataset  # as in a fresh process: no cold-loaded heap for the collector to walk
    gc.collect()
    timings: dict[str, list[float]] = {"load": [], "one": [], "all": [], "pickle": []}
    for _ in range(runs):
        started = time.perf_counter()
        snap = cache.load(path)
        assert snap is not None
        timings["load"].append(time.perf_counter() - started)
        snap.positions_on("sak-01")
        timings["one"].append(time.perf_counter() - started)
        len(snap.positions)
        timings["all"].append(time.perf_counter() - started)
        started = time.perf_counter()
        pickle.loads(blob)
        timings["pickle"].append(time.perf_counter() - started)
    return {"spec": spec, "positions": positions, "cold": cold, "runs": runs,
            "size": cache._snapshot_path(path).stat().st_size,
            **{name: statistics.median(values) for name, values in timings.items()}}


def report(times: dict[str, list[float]], runs: int, big: dict | None = None) -> str:
    base = statistics.median(times["python -c pass"])
    floor = statistics.median(times[FLOOR])
    lines = [
        BEGIN,
        "## Start-up",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, with `python bench/startup.py --runs {runs}"
        f"{'' if big else ' --big 0'}{' --big ' + big['spec'] if big and big['spec'] != DEFAULT_BIG else ''}` "
        f"({runs} interleaved runs of each command; wall time of the whole process; bytecode caching on, "
        "the dataset snapshot warm). Rows marked *big* use the generated dataset described below.",
        "",
        "| command | median | min | ratio to the floor (median) | target (issue 14) | met | ratio to bare Python |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for name, values in times.items():
        med = statistics.median(values)
        target = TARGETS.get(name)
        ratio = med / floor
        met = "" if target is None else ("yes" if ratio <= target else "**no**")
        shown = f"≤ {target:g}×" if target else ""
        if name == BIG_VALIDATE:
            shown, met = f"≤ {BIG_VALIDATE_SECONDS:g} s", "yes" if med <= BIG_VALIDATE_SECONDS else "**no**"
        lines.append(f"| {name} | {med * 1000:.1f} ms | {min(values) * 1000:.1f} ms | {ratio:.2f}× | "
                     f"{shown} | {met} | {med / base:.1f}× |")
    if big:
        cold = statistics.median(big["cold_validate"])
        lines.append(f"| big: validate after a change (cold, {len(big['cold_validate'])} runs after the others) | "
                     f"{cold * 1000:.0f} ms | {min(big['cold_validate']) * 1000:.0f} ms | {cold / floor:.2f}× | "
                     f"≤ {BIG_VALIDATE_SECONDS:g} s | {'yes' if cold <= BIG_VALIDATE_SECONDS else '**no**'} | "
                     f"{cold / base:.1f}× |")
    lines += [
        "",
        "The floor is a Typer app with one command that prints one line, run the same way. Read",
        "commands load a snapshot of the dataset (quotes already located) from the user's cache",
        "directory while the YAML file and every source keep their size, mtime, ctime and inode:",
        "`marshal` of plain tuples behind a CRC-32, with each issue's positions in a section of their",
        "own that is decoded and built only when a command asks for that issue (`matrix` asks for all).",
        "`validate` gives a clean validation's findings again from the snapshot while nothing changed.",
        "The first run after a change pays for YAML parsing, the checks and locating the quotes.",
        "",
    ]
    if big:
        orgs, issues = big["spec"].split("x")
        lines += [
            f"The generated dataset (`bench/gen_dataset.py DIR --orgs {orgs} --issues {issues}`, "
            f"{big['positions']:,} positions; snapshot {big['size'] / 1e6:.1f} MB): the first load (YAML, "
            f"validation, locating every quote) took {big['cold']:.1f} s. In-process medians of "
            f"{big['runs']} interleaved runs: the warm snapshot loads in {big['load'] * 1000:.1f} ms (stamps "
            f"and checksum checked, positions not yet built), {big['one'] * 1000:.1f} ms with one issue's "
            f"positions built, {big['all'] * 1000:.0f} ms with every position built; `pickle.loads` of "
            f"the same dataset alone (every object rebuilt) takes {big['pickle'] * 1000:.0f} ms: "
            f"{big['one'] / big['pickle']:.2f}× and {big['all'] / big['pickle']:.2f}× of it.",
            "",
        ]
    lines += [END]
    return "\n".join(lines)


def write(section: str, doc: Path = DOC) -> None:
    replace_section(doc, BEGIN, END, section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-write", action="store_true", help="print the section, leave docs/ alone")
    parser.add_argument("--doc", type=Path, default=DOC, help="the Markdown file whose section is replaced")
    parser.add_argument("--big", default=DEFAULT_BIG, help="ORGSxISSUES of a generated dataset; 0 skips")
    args = parser.parse_args()
    big = None
    work = big_data = None
    if args.big != "0":
        work, big_data = make_big(args.big)
        big = big_snapshot(args.big, big_data, min(args.runs, 9))
    times = measure(args.runs, big_data)
    if big is not None and big_data is not None:
        big["cold_validate"] = cold_validate(big_data, min(COLD_RUNS, args.runs))
    if work is not None:
        shutil.rmtree(work, ignore_errors=True)
    section = report(times, args.runs, big)
    if not args.no_write:
        write(section, args.doc)
    print(section)


if __name__ == "__main__":
    main()
