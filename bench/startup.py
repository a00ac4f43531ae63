"""Start-up timings of everyday commands against the Typer floor, measured in one run.

Usage: python bench/startup.py [--runs N] [--no-write]
Writes the "Start-up" section of docs/benchmarks.md (between its markers) and prints it.
The machine is shared and noisy, so each command is run N times, interleaved with the
baselines, and the report gives medians and ratios to the floor measured alongside: the
wall time of a one-command Typer app that prints one line (issue 14's floor), and bare
Python for scale. Targets are issue 14's.
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


def report(times: dict[str, list[float]], runs: int) -> str:
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
        END,
    ]
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
    args = parser.parse_args()
    section = report(measure(args.runs), args.runs)
    if not args.no_write:
        write(section)
    print(section)


if __name__ == "__main__":
    main()
