"""Intake of a whole hearing: one `stancecli add-document FOLDER` over 50 mixed files, timed.

Usage: python bench/intake_bench.py [--runs N] [--write]

Makes a folder of 50 synthetic responses in a temporary directory: slices of the five seeds'
paragraphs (each file a different window, so none duplicates another or a seed), each headed
"Høringssvar fra <organisation>" with an organisation of the bundled dataset, written as
10 UTF-8 .txt, 10 Windows-1252 .txt, 10 .docx, 10 .html and 10 .pdf. The synthetic files live only
in the temporary directory; the bundled dataset is copied there and never touched.

Each run adds the folder to a fresh copy of the dataset (organisations proposed from the texts,
accepted with --yes) and, in the same run, times two baselines on another fresh copy: adding one
.txt file, and `python -c pass`. The machine is shared and noisy, so runs are interleaved and
medians and ratios are reported. With --write, the "Intake" section of docs/benchmarks.md
(between its markers) is replaced; the section is always printed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import replace_section
from textpdf import text_pdf

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- intake:begin -->", "<!-- intake:end -->"
FILES_PER_KIND = 10
KINDS = ("txt", "latin1", "docx", "html", "pdf")
WINDOW = 12  # paragraphs per synthetic response


# ---------------------------------------------------------------- the corpus

def seed_paragraphs() -> list[tuple[str, list[str]]]:
    """(organisation name, paragraphs) of each seed, from the bundled dataset."""
    sys.path.insert(0, str(ROOT / "src"))
    from stancecli.loading import load_dataset

    ds, _problems = load_dataset(ROOT / "data" / "stances.yaml")
    out = []
    for doc in ds.documents.values():
        text = doc.path.read_text(encoding="utf-8")
        paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if len(p.split()) >= 4]
        out.append((ds.organisations[doc.organisation].name, paragraphs))
    return out


def make_corpus(folder: Path) -> None:
    seeds = seed_paragraphs()
    folder.mkdir(parents=True)
    n = 0
    for kind in KINDS:
        for _ in range(FILES_PER_KIND):
            org, paragraphs = seeds[n % len(seeds)]
            start = (n * 7) % max(1, len(paragraphs) - WINDOW)
            body = [f"Høringssvar fra {org}", f"Syntetisk utdrag nr. {n + 1} til måling av innlesing."]
            body += paragraphs[start:start + WINDOW]
            write(folder / f"{n + 1:02d}-{kind}", kind, body)
            n += 1


def write(stem: Path, kind: str, paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs) + "\n"
    if kind == "txt":
        stem.with_suffix(".txt").write_text(text, encoding="utf-8")
    elif kind == "latin1":
        stem.with_suffix(".txt").write_bytes(text.encode("cp1252", errors="replace"))
    elif kind == "html":
        from html import escape

        page = "<!doctype html><html><body>" + "".join(f"<p>{escape(p)}</p>" for p in paragraphs) + "</body></html>"
        stem.with_suffix(".html").write_text(page, encoding="utf-8")
    elif kind == "docx":
        import docx

        document = docx.Document()
        for p in paragraphs:
            document.add_paragraph(p)
        document.save(str(stem.with_suffix(".docx")))
    else:
        stem.with_suffix(".pdf").write_bytes(pdf(paragraphs))


def pdf(paragraphs: list[str]) -> bytes:
    """A small text PDF (Helvetica, WinAnsi), paragraphs wrapped at 90 characters, blank line between."""
    import textwrap

    lines: list[str] = []
    for p in paragraphs:
        lines += textwrap.wrap(p, 90) + [""]
    pages = [lines[i:i + 48] for i in range(0, len(lines), 48)]

    return text_pdf(pages)


# ---------------------------------------------------------------- timing

def fresh_dataset(root: Path) -> Path:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(ROOT / "seeds", root / "seeds")
    (root / "data").mkdir()
    shutil.copy2(ROOT / "data" / "stances.yaml", root / "data" / "stances.yaml")
    return root / "data"


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr}")
    return elapsed, done


def measure(runs: int, work: Path) -> tuple[dict[str, list[float]], int, str]:
    exe = shutil.which("stancecli", path=str(Path(sys.executable).parent)) or "stancecli"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["STANCECLI_CACHE_DIR"] = str(work / "cache")
    folder = work / "hearing"
    make_corpus(folder)
    single = work / "one.txt"
    single.write_text("Høringssvar fra Norsk Tjenestemannslag\n\nEn kort uttalelse om tiltak i NAV, til måling.\n",
                      encoding="utf-8")
    times: dict[str, list[float]] = {"50 files": [], "1 file": [], "python -c pass": []}
    lines, validated = 0, ""
    for _ in range(runs):
        data = fresh_dataset(work / "copy")
        elapsed, done = timed([exe, "add-document", str(folder), "--year", "2016", "--hearing", "Benchmark",
                               "--yes", "--data", str(data)], env)
        times["50 files"].append(elapsed)
        lines = len(done.stdout.splitlines())
        checked = subprocess.run([exe, "validate", "--data", str(data)], capture_output=True, text=True, env=env)
        validated = checked.stdout.strip().splitlines()[-1].split(": ", 1)[-1]
        undecided = sum("codebook issues not decided" in line for line in checked.stderr.splitlines())
        validated += f" (of the errors, {undecided} are 'codebook issues not decided' of the new documents)"
        data = fresh_dataset(work / "copy")
        times["1 file"].append(timed([exe, "add-document", str(single), "--year", "2016", "--yes",
                                      "--data", str(data)], env)[0])
        times["python -c pass"].append(timed([sys.executable, "-c", "pass"], env)[0])
    return times, lines, validated


def report(times: dict[str, list[float]], runs: int, lines: int, validated: str) -> str:
    one = statistics.median(times["1 file"])
    bare = statistics.median(times["python -c pass"])
    rows = [
        BEGIN,
        "## Intake",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores (shared), "
        f"Python {platform.python_version()}, with `python bench/intake_bench.py --runs {runs} --write` "
        f"({runs} interleaved runs; wall time of the whole process). The folder holds "
        f"{FILES_PER_KIND * len(KINDS)} synthetic responses cut from the five seeds "
        f"({FILES_PER_KIND} each of UTF-8 .txt, Windows-1252 .txt, .docx, .html and .pdf, about "
        f"{WINDOW + 2} paragraphs each), added by one `stancecli add-document FOLDER --year 2016 --yes` "
        "to a fresh copy of the bundled dataset, organisations proposed from the texts.",
        "",
        "| command | median | min | ratio to adding 1 file (median) | ratio to bare Python |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, values in times.items():
        med = statistics.median(values)
        rows.append(f"| {name} | {med * 1000:.0f} ms | {min(values) * 1000:.0f} ms | {med / one:.1f}× | "
                    f"{med / bare:.1f}× |")
    per_file = (statistics.median(times["50 files"]) - one) / (FILES_PER_KIND * len(KINDS) - 1)
    rows += [
        "",
        f"The batch printed {lines} summary lines (one per file); `stancecli validate` afterwards: "
        f"`{validated}`. Each further file costs about {per_file * 1000:.0f} ms "
        "((50-file median − 1-file median) / 49).",
        "",
        END,
    ]
    return "\n".join(rows)


def write_section(section: str) -> None:
    replace_section(DOC, BEGIN, END, section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="replace the Intake section of docs/benchmarks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as tmp:
        times, lines, validated = measure(args.runs, Path(tmp))
    section = report(times, args.runs, lines, validated)
    if args.write:
        write_section(section)
    print(section)


if __name__ == "__main__":
    main()
