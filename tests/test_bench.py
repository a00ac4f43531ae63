"""bench/: one command runs every measurement of issue 14 and judges it against the issue's goals."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

DOC = REPO / "docs" / "benchmarks.md"
sys.path.insert(0, str(REPO / "bench"))

import search_bench  # noqa: E402

MARKERS = ["<!-- startup:begin -->", "<!-- startup:end -->", "<!-- search:begin -->", "<!-- search:end -->",
           "<!-- search-rich:begin -->", "<!-- search-rich:end -->"]
# Words of every goal of issue 14 as the written sections state them.
GOALS = ["who-supports (pipe)", "compare (table)", "--version", "--help", "big: matrix (warm)",
         "big: validate after a change", "time above the floor grows ≤ 2×", "time above the floor grows ≤ 3×",
         "faster than `rg -i -F`", "≤ 1.4× the floor", "ms CPU per document", "peak memory while building",
         "index ≤ 1.5× text", "no re-reading of files", "freshness check", "distinct terms", "typo planning",
         "recall"]


@pytest.mark.skipif(shutil.which("rg") is None, reason="the search benchmark compares with ripgrep")
def test_quick_run_measures_every_goal_and_leaves_the_docs_alone(tmp_path):
    before = DOC.read_bytes()
    out = tmp_path / "benchmarks.md"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "run_all.py"), "--quick", "--out", str(out),
                           "--work", str(tmp_path / "work")], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    written = out.read_text(encoding="utf-8")
    for marker in MARKERS:
        assert written.count(marker) == 1, marker
    for goal in GOALS:
        assert goal in written, goal
    # compound parts are a query class of their own: a row at both sizes of both corpora and in the growth
    # tables (above the floor, above bare Python) of both
    assert written.count("| compound part |") == 12
    assert "only indicative" in written  # a smoke test's verdicts are not passed off as issue 14's
    assert DOC.read_bytes() == before


def _size(floor: float, ours: dict[str, float], rg: float, cpu_s: float, n: int) -> dict:
    times = {search_bench.FLOOR: [floor], search_bench.BARE: [0.01]}
    for q, t in ours.items():
        times[f"stancecli:{q}"] = [t]
        times[f"rg:{q}"] = [rg]
    return {"text": 1000 * n, "index": 1200 * n, "times": times, "lib": {q: 1.0 for q in ours},
            "build": {"wall": cpu_s, "cpu": cpu_s, "main_mb": 50.0, "worker_mb": 40.0, "peak_mb": 90.0,
                      "terms": 300_000},
            "fresh": {"ms": 12.0, "opened": 0, "indexed": 0, "runs": 3}}


def test_report_names_each_missed_goal_and_judges_growth_above_the_floor():
    queries = {"word": ["anbud"], "typo": ["anbudsutseting"], "compound part": ["utsetting"],
               "phrase": ["varige tiltak"]}
    small = {"anbud": 0.110, "anbudsutseting": 0.095, "utsetting": 0.110, "varige tiltak": 0.110}
    # above a 100 ms floor: 10 ms at 1,000 (typos 5 ms below it); at 30,000 15 ms (1.5×) for words, 50 ms (5×)
    # for compound parts, 25 ms (2.5×) for phrases, 15 ms for typos (no ratio from below the floor)
    large = {"anbud": 0.115, "anbudsutseting": 0.115, "utsetting": 0.150, "varige tiltak": 0.125}
    res = {"rg": "ripgrep 13.0.0",
           "sizes": {1000: _size(0.100, small, 0.020, 1.0, 1000),
                     10000: _size(0.100, small, 0.500, 10.0, 10000),
                     30000: _size(0.100, large, 0.140, 90.0, 30000)},
           "planning": {"plan_ms": {q: 5.0 for qs in search_bench.QUERIES.values() for q in qs}, "scan_ms": {}},
           "stages": {"list and stat every file": 9.0}}
    cfg = search_bench.Settings(1, queries, Path("work"), False)
    section = search_bench.report(search_bench.RICH, res, cfg, "python bench/search_bench.py")
    goals = {line.split(" | ")[0].lstrip("| "): line for line in section.splitlines() if line.startswith("| ")}
    assert goals["word queries: time above the floor grows ≤ 2× from 1,000 to 30,000 documents"].endswith("| met |")
    compound = goals["compound part queries: time above the floor grows ≤ 2× from 1,000 to 30,000 documents"]
    assert "10.0 → 50.0 ms, 5.00×" in compound and compound.endswith("| **missed** |")
    assert goals["phrase queries: time above the floor grows ≤ 3× from 1,000 to 30,000 documents"].endswith("| met |")
    typo = goals["typo queries: time above the floor grows ≤ 2× from 1,000 to 30,000 documents"]
    assert "-5.0 → 15.0 ms" in typo and typo.endswith("| **undecided** |")
    # below the floor, the growth is judged above bare Python's 10 ms too: 85 -> 105 ms
    bare = goals["typo queries, run below the floor: time above bare Python grows ≤ 2× from 1,000 to 30,000 documents"]
    assert "85.0 → 105.0 ms, 1.24×" in bare and bare.endswith("| met |")
    assert not any("word queries, run below the floor" in goal for goal in goals)
    assert goals["at 10,000 documents every query class faster than `rg -i -F`"].endswith("| met |")
    # at 30,000 the 150 ms compound-part search is slower than ripgrep's 140 ms: named
    assert "(not faster: `utsetting` 1.07×)" in goals["at 30,000 documents every query class faster than `rg -i -F`"]
    assert goals["at 1,000 documents every query ≤ 1.4× the floor"].endswith("| met |")
    assert "3.00 ms at 30,000" in goals["build ≤ 2 ms CPU per document (all processes)"]
    missed = next(line for line in section.splitlines() if line.startswith("Missed: "))
    assert missed == ("Missed: compound part queries: time above the floor grows ≤ 2× from 1,000 to 30,000 "
                      "documents; at 30,000 documents every query class faster than `rg -i -F`; build ≤ 2 ms CPU "
                      "per document (all processes).")
    assert ("Undecided (no time above the floor at the smallest size to grow from): typo queries: time above "
            "the floor grows ≤ 2× from 1,000 to 30,000 documents.") in section
    assert "only indicative" not in section  # issue 14's sizes, a full run
