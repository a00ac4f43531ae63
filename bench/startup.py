"""Start-up timings of everyday commands against the Typer floor, measured in one run.

Usage: python bench/startup.py [--runs N] [--no-write]
Writes the "Start-up" section of docs/benchmarks.md (between its markers) and prints it.
The machine is shared and noisy, so each command is run N times, interleaved with the
baselines, and the report gives medians and ratios to the floor measured alongside: the
wall time of a one-command Typer app that prints one line (issue 14's floor), and bare
Python for scale. Targets are issue 14's.

With --big ORGSxISSUES (default 100x120, 0 to skip) it also generates a large dataset with
bench/gen_dataset.py and times, in-process, loading its warm snapshot (JSON, checks included)
against `pickle.loads` of the same dataset, interleaved.
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

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- startup:begin -->", "<!-- startup:end -->"
FLOOR = "one-command Typer app (floor)"
TARGETS = {"who-supports (pipe)": 1.25, "compare (table)": 1.6, "--version": 1.1, "--help": 1.1,
           "validate": 2.0}
# The floor of issue 14: a Typer app with one command that prints one line.
TYPER_APP = ("import typer\n"
             "app = typer.Typer()\n"
             "@app.command()\n"
             "def main() -> None:\n"
             "    print('one line')\n"
             "app()\n")


def commands() -> dict[str, list[str]]:
    exe = shutil.which("stancecli", path=str(Path(sys.executable).parent)) or "stancecli"
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        FLOOR: [sys.executable, "-c", TYPER_APP],
        "who-supports (pipe)": [exe, "who-supports", "egenregi"],
        "compare (table)": [exe, "compare", "anbud", "--format", "table", "--color", "always"],
        "--version": [exe, "--version"],
        "--help": [exe, "--help"],
        "validate": [exe, "validate"],
    }


def measure(runs: int) -> dict[str, list[float]]:
    # Bytecode caching on, as for any installed package (some shells set PYTHONDONTWRITEBYTECODE,
    # which makes every process recompile every module).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["COLUMNS"] = "120"
    cmds = commands()
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for cmd in cmds.values():  # warm the file cache and the dataset snapshot once
        subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, check=True)
    for _ in range(runs):
        for name, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, check=True)
            times[name].append(time.perf_counter() - start)
    return times


def big_snapshot(spec: str, runs: int) -> dict:
    """Median ms of a warm snapshot load of a generated dataset, and of pickle.loads of it."""
    import pickle
    import tempfile

    orgs, issues = (int(x) for x in spec.lower().split("x"))
    work = Path(tempfile.mkdtemp(prefix="stancecli-big-"))
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_dataset.py"), str(work / "big"),
                    "--orgs", str(orgs), "--issues", str(issues)], check=True, stdout=subprocess.DEVNULL)
    os.environ["STANCECLI_CACHE_DIR"] = str(work / "cache")
    sys.path.insert(0, str(ROOT / "src"))
    from stancecli import cache
    from stancecli.cli.common import load

    path = work / "big" / "data" / "stances.yaml"
    started = time.perf_counter()
    dataset = load(path)
    cold = time.perf_counter() - started
    blob = pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL)
    ours, theirs = [], []
    for _ in range(runs):
        started = time.perf_counter()
        assert cache.load(path) is not None
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        pickle.loads(blob)
        theirs.append(time.perf_counter() - started)
    shutil.rmtree(work, ignore_errors=True)
    return {"spec": spec, "positions": len(dataset.positions), "cold": cold, "runs": runs,
            "json": statistics.median(ours), "pickle": statistics.median(theirs),
            "pickle_bytes": len(blob)}


def report(times: dict[str, list[float]], runs: int, big: dict | None = None) -> str:
    base = statistics.median(times["python -c pass"])
    floor = statistics.median(times[FLOOR])
    lines = [
        BEGIN,
        "## Start-up",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, with `python bench/startup.py --runs {runs}` "
        f"({runs} interleaved runs of each command; wall time of the whole process; bytecode caching on, "
        "the dataset snapshot warm).",
        "",
        "| command | median | min | ratio to the floor (median) | target (issue 14) | met | ratio to bare Python |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for name, values in times.items():
        med = statistics.median(values)
        target = TARGETS.get(name)
        ratio = med / floor
        met = "" if target is None else ("yes" if ratio <= target else "**no**")
        lines.append(f"| {name} | {med * 1000:.1f} ms | {min(values) * 1000:.1f} ms | {ratio:.2f}× | "
                     f"{f'≤ {target:g}×' if target else ''} | {met} | {med / base:.1f}× |")
    lines += [
        "",
        "The floor is a Typer app with one command that prints one line, run the same way. Read",
        "commands load a snapshot of the validated dataset (quotes already located) from the user's",
        "cache directory while the YAML file and every source keep their size, mtime, ctime and",
        "inode: JSON behind a CRC-32, with only the model's own classes rebuilt from it. The first",
        "run after a change pays for YAML parsing and locating the quotes.",
        "",
    ]
    if big:
        lines += [
            f"A generated dataset (`bench/gen_dataset.py DIR --orgs {big['spec'].split('x')[0]} --issues "
            f"{big['spec'].split('x')[1]}`, {big['positions']:,} "
            f"positions): the first load (YAML, validation, locating every quote) took {big['cold']:.1f} s; "
            f"the warm snapshot loads in {big['json'] * 1000:.0f} ms (median of {big['runs']}, stamps and "
            f"checksum checked), against {big['pickle'] * 1000:.0f} ms for `pickle.loads` of the same "
            f"dataset alone, interleaved: {big['json'] / big['pickle']:.2f}×. Either way the objects "
            "are rebuilt one by one, so a warm `compare` on a dataset this size cannot meet 1.3× the floor.",
            "",
        ]
    lines += [END]
    return "\n".join(lines)


def write(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-write", action="store_true", help="print the section, leave docs/ alone")
    parser.add_argument("--big", default="100x120", help="ORGSxISSUES of a generated dataset; 0 skips")
    args = parser.parse_args()
    big = big_snapshot(args.big, min(args.runs, 9)) if args.big != "0" else None
    section = report(measure(args.runs), args.runs, big)
    if not args.no_write:
        write(section)
    print(section)


if __name__ == "__main__":
    main()
