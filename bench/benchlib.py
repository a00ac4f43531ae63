"""What every benchmark script shares: interleaved timing of commands, and its section of
docs/benchmarks.md replaced in place."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path


def interleaved(cmds: dict[str, list[str]], runs: int, env: dict[str, str], warm: bool = True,
                check: bool = True) -> dict[str, list[float]]:
    """Wall times of each command, `runs` rounds of all of them in turn, so that the noise of a shared
    machine hits every command alike; one untimed round first warms caches when `warm`. Output goes
    to a pipe, as a pipeline's reader would take it."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    if warm:
        for cmd in cmds.values():
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    for _ in range(runs):
        for name, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, check=check)
            times[name].append(time.perf_counter() - start)
    return times


def replace_section(doc: Path, begin: str, end: str, section: str) -> None:
    """Put `section` (from its `begin` marker to its `end` marker) where the old one stood, or last."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + section.rstrip("\n") + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    doc.write_text(text, encoding="utf-8")
