"""Stance proposals scored leave-one-document-out on the bundled dataset, and timed.

Usage: python bench/suggest_eval.py [--runs N] [--no-timing] [--write]

For each of the five documents its positions (own and reported) and its not_addressed
entries are removed from the dataset, `propose` runs on its source over the codebook
issues, and the proposals are compared with the curated coding:

  (a) share of curated own positions whose quote (or a sentence overlapping it) is among
      the top 3 offered quotes;
  (b) share of decided (document, issue) pairs whose proposal is on the right side
      (for / mixed / against / not-addressed), next to the trivial baselines: the majority
      side of the other four documents, and "all not-addressed";
  (c) share of curated reported positions offered as reported views of the right actor,
      and how many were offered as the document's own words instead.

Then it times `stancecli suggest --doc` on the largest seed and on a 50 MB synthetic source
against bare-Python baselines measured in the same run. --write puts the report into the
"Stance proposals" section of docs/benchmarks.md (between its markers).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from benchlib import interleaved, replace_section

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from stancecli.corpus import Source, read_source  # noqa: E402
from stancecli.loading import load_or_fail  # noqa: E402
from stancecli.model import ABSENT, Dataset  # noqa: E402
from stancecli.suggest import Proposal, propose  # noqa: E402

DATA = ROOT / "data" / "stances.yaml"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- suggest:begin -->", "<!-- suggest:end -->"
TOP = 3
BIG_BYTES = 50 * 1024 * 1024
GOALS = {"recall": 0.85, "side": 0.80}
# The cues the issue and the brief named before anyone looked at the documents: scoring with only
# these shows how much of the result comes from cues designed while reading the five documents.
BRIEF_CUES = [
    (r"støtte[rs]?|støttes|går inn for|er positiv\w* til", 1.0, True),
    (r"er imot|advare[rs]? mot|er skeptisk\w* til|frarå\w*|bør ikke", -1.0, True),
    (r"bør", 0.8, False),
]
CONFIDENCE_BINS = [(0.0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)]


def side(stance: str) -> str:
    if stance == ABSENT:
        return ABSENT
    return "for" if stance.endswith("for") else "against" if stance.endswith("against") else "mixed"


def without(ds: Dataset, doc_id: str) -> Dataset:
    """The dataset as if the document had never been coded."""
    return dataclasses.replace(
        ds,
        positions=[p for p in ds.positions if p.source_document != doc_id],
        not_addressed={d: v for d, v in ds.not_addressed.items() if d != doc_id},
        broken_pairs={(d, i) for d, i in ds.broken_pairs if d != doc_id},
    )


def spans(source: Source, quotes: list[str]) -> list[tuple[int, int]]:
    out = []
    for q in quotes:
        span = source.find(q)
        if span:
            out.append((span.start, span.end))
    return out


def overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s < e2 and s2 < e for s, e in a for s2, e2 in b)


@dataclasses.dataclass
class Tally:
    recall_hit: int = 0
    recall_all: int = 0
    side_right: int = 0
    exact_right: int = 0
    pairs: int = 0
    majority_right: int = 0
    absent_right: int = 0
    reported_right: int = 0
    reported_all: int = 0
    reported_as_own: int = 0
    confusion: Counter = dataclasses.field(default_factory=Counter)
    bins: Counter = dataclasses.field(default_factory=Counter)
    bins_right: Counter = dataclasses.field(default_factory=Counter)
    per_doc: dict = dataclasses.field(default_factory=dict)


def evaluate(ds: Dataset) -> Tally:
    tally = Tally()
    codebook = [k for k, i in ds.issues.items() if i.codebook]
    for doc_id, document in ds.documents.items():
        source = read_source(document.path)
        train = without(ds, doc_id)
        reported = [p for p in ds.positions if p.reported_by == doc_id]
        keys = list(dict.fromkeys([*codebook, *(p.issue for p in reported)]))
        proposals = {p.issue: p for p in propose(train, doc_id, source, keys, limit=TOP)}
        majority = _majority_side(ds, doc_id, codebook)
        doc_tally = Tally()
        for key in codebook:
            truth = _truth(ds, doc_id, key)
            if truth is None:
                continue
            _score_pair(tally, doc_tally, proposals[key], truth, majority)
            own = [p for p in ds.positions if p.document == doc_id and p.issue == key]
            for position in own:
                curated = spans(source, [q.text for q in position.quotes])
                offered = spans(source, [c.quote for c in proposals[key].quotes[:TOP]])
                for t in (tally, doc_tally):
                    t.recall_all += 1
                    t.recall_hit += overlaps(curated, offered)
        own_quoted = spans(source, [q.text for p in ds.positions if p.document == doc_id for q in p.quotes])
        for position in reported:
            proposal = proposals[position.issue]
            curated = spans(source, [q.text for q in position.quotes])
            right = any(position.organisation in c.speaker_ids and overlaps(curated, spans(source, [c.quote]))
                        for c in proposal.reported)
            # A sentence the document also speaks in itself ("Vi støtter Ekspertgruppens forslag") may be
            # offered as its own; any other reported sentence must not be.
            alone = [span for span in curated if not overlaps([span], own_quoted)]
            as_own = overlaps(alone, spans(source, [c.quote for c in proposal.quotes]))
            for t in (tally, doc_tally):
                t.reported_all += 1
                t.reported_right += right
                t.reported_as_own += as_own
        tally.per_doc[doc_id] = doc_tally
    return tally


def _truth(ds: Dataset, doc_id: str, key: str) -> str | None:
    own = [p for p in ds.positions if p.document == doc_id and p.issue == key]
    if own:
        return own[0].stance
    if key in ds.not_addressed.get(doc_id, ()):
        return ABSENT
    return None


def _majority_side(ds: Dataset, doc_id: str, codebook: list[str]) -> str:
    sides = Counter(side(t) for d in ds.documents if d != doc_id for k in codebook
                    if (t := _truth(ds, d, k)) is not None)
    return sides.most_common(1)[0][0]


def _score_pair(tally: Tally, doc_tally: Tally, proposal: Proposal, truth: str, majority: str) -> None:
    right = side(proposal.stance) == side(truth)
    for t in (tally, doc_tally):
        t.pairs += 1
        t.side_right += right
        t.exact_right += proposal.stance == truth
        t.majority_right += majority == side(truth)
        t.absent_right += side(truth) == ABSENT
    tally.confusion[(side(truth), side(proposal.stance))] += 1
    for lo, hi in CONFIDENCE_BINS:
        if lo <= proposal.confidence < hi:
            tally.bins[(lo, hi)] += 1
            tally.bins_right[(lo, hi)] += right


# ---------------------------------------------------------------- timing

def big_source(workdir: Path) -> Path:
    """A 50 MB source: seed sentences recombined by bench/gen_corpus.py, concatenated."""
    target = workdir / "big-50mb.txt"
    if target.exists() and target.stat().st_size >= BIG_BYTES - 2048:
        return target
    corpus = workdir / "corpus"
    if not corpus.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "5000", str(corpus)],
                       check=True, stdout=subprocess.DEVNULL)
    with target.open("wb") as out:
        written = 0
        for path in sorted(corpus.glob("*.txt")):
            data = path.read_bytes()[: BIG_BYTES - written]
            cut = data.rfind(b"\n") + 1 if written + len(data) >= BIG_BYTES else len(data)
            out.write(data[:cut])
            written += cut
            if written >= BIG_BYTES - 1024:
                break
    return target


def distinct_source(workdir: Path, big: Path) -> Path:
    """The 50 MB source with a number put into every sentence, so that no two are the same."""
    import itertools
    import re

    target = workdir / "distinct-50mb.txt"
    if target.exists() and target.stat().st_mtime >= big.stat().st_mtime:
        return target
    text = big.read_text(encoding="utf-8")
    numbers = itertools.count()
    text = re.sub(r"\.(?=\s+[A-ZÆØÅ])", lambda m: f" nr{next(numbers)}.", text)
    target.write_text(text[: text.rfind("\n", 0, BIG_BYTES) + 1], encoding="utf-8")
    return target


def big_dataset(workdir: Path, sources: dict[str, Path]) -> Path:
    """The bundled organisations and issues, with one document per source (id -> file)."""
    import yaml

    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    org = raw["organisations"][0]["id"]
    raw["documents"] = [{"id": doc_id, "organisation": org, "title": f"Synthetic response {doc_id}",
                         "hearing": "Synthetic", "year": 2020, "source": path.name}
                        for doc_id, path in sources.items()]
    raw["positions"] = []
    raw["not_addressed"] = {}
    path = workdir / "stances.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def timings(runs: int, workdir: Path) -> dict[str, list[float]]:
    exe = shutil.which("stancecli", path=str(Path(sys.executable).parent)) or "stancecli"
    big = big_source(workdir)
    distinct = distinct_source(workdir, big)
    data = big_dataset(workdir, {"big-2020": big, "distinct-2020": distinct})
    tokenise = "import re,sys; t=open(sys.argv[1],encoding='utf-8').read(); len(re.findall(r'\\w+', t.lower()))"
    largest = max(load_or_fail(DATA).documents.values(), key=lambda d: d.path.stat().st_size)
    cmds = {
        "python -c pass": [sys.executable, "-c", "pass"],
        f"suggest --doc {largest.id} (all 20 codebook issues)": [exe, "suggest", "--doc", largest.id, "--format", "tsv"],
        "python: read 50 MB and list its words": [sys.executable, "-c", tokenise, str(big)],
        "suggest --doc on the 50 MB source (20 issues)": [exe, "suggest", "--doc", "big-2020", "--data", str(data),
                                                          "--format", "tsv"],
        "the same, every sentence made distinct": [exe, "suggest", "--doc", "distinct-2020", "--data", str(data),
                                                   "--format", "tsv"],
    }
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return interleaved(cmds, runs, env)


# ---------------------------------------------------------------- report

def _share(n: int, d: int) -> str:
    return f"{n / d:.2f} ({n}/{d})" if d else "n/a"


def _with_cues(entries, run):
    from stancecli.suggest import cues

    saved = cues._CUES
    cues._CUES = cues.compile_cues(entries)
    try:
        return run()
    finally:
        cues._CUES = saved


def report(tally: Tally, times: dict[str, list[float]] | None, runs: int, brief: Tally | None = None) -> str:
    lines = [BEGIN, "## Stance proposals", ""]
    lines += [
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, with `python bench/suggest_eval.py --runs {runs}`.",
        "",
        "Leave-one-document-out on the bundled dataset: each document's positions and not_addressed "
        "entries are removed, `propose` runs on its source over the 20 codebook issues, and the "
        "proposals are compared with the curated coding.",
        "",
        *_goal_lines(tally, times),
        "",
        "| measure | value | goal |",
        "|---|---:|---:|",
        f"| (a) curated positions whose quote (or an overlapping sentence) is in the top {TOP} | "
        f"{_share(tally.recall_hit, tally.recall_all)} | ≥ {GOALS['recall']:.2f} |",
        f"| (b) proposals on the right side (for / mixed / against / not-addressed) | "
        f"{_share(tally.side_right, tally.pairs)} | ≥ {GOALS['side']:.2f} |",
        f"| baseline: majority side of the other four documents | {_share(tally.majority_right, tally.pairs)} | |",
        f"| baseline: all not-addressed | {_share(tally.absent_right, tally.pairs)} | |",
        f"| exact label (five-point scale or not-addressed) | {_share(tally.exact_right, tally.pairs)} | |",
        f"| (c) reported views offered as the right actor's | {_share(tally.reported_right, tally.reported_all)} | |",
        f"| reported views offered as the document's own words (sentences no own position quotes) | "
        f"{tally.reported_as_own} of {tally.reported_all} | 0 |",
        "",
        "Per document (a, b):",
        "",
        "| document | (a) top-3 quote | (b) right side |",
        "|---|---:|---:|",
    ]
    for doc_id, t in tally.per_doc.items():
        lines.append(f"| {doc_id} | {_share(t.recall_hit, t.recall_all)} | {_share(t.side_right, t.pairs)} |")
    sides = ["for", "mixed", "against", ABSENT]
    lines += ["", "Sides, curated (rows) against proposed (columns):", "",
              "| curated \\ proposed | " + " | ".join(sides) + " |", "|---|" + "---:|" * len(sides)]
    for truth in sides:
        lines.append(f"| {truth} | " + " | ".join(str(tally.confusion[(truth, p)]) for p in sides) + " |")
    if brief is not None:
        lines += ["", "The same with only the cues named in the issue before the documents were read (støtter, går "
                  "inn for, er positiv til, er imot, advarer mot, er skeptisk til, frarår, bør / bør ikke), "
                  "negation, hedges, conditions and every other rule unchanged:", "",
                  "| measure | all cues | named cues only |", "|---|---:|---:|",
                  f"| (a) top-3 quote | {_share(tally.recall_hit, tally.recall_all)} | "
                  f"{_share(brief.recall_hit, brief.recall_all)} |",
                  f"| (b) right side | {_share(tally.side_right, tally.pairs)} | {_share(brief.side_right, brief.pairs)} |",
                  f"| exact label | {_share(tally.exact_right, tally.pairs)} | {_share(brief.exact_right, brief.pairs)} |"]
    lines += ["", "Confidence against how often the side was right:", "", "| confidence | proposals | right side |",
              "|---|---:|---:|"]
    for lo, hi in CONFIDENCE_BINS:
        n = tally.bins[(lo, hi)]
        lines.append(f"| {lo:.1f}–{min(hi, 1.0):.1f} | {n} | {_share(tally.bins_right[(lo, hi)], n)} |")
    lines += ["", *NOTES_ON_QUALITY]
    if times:
        lines += _timing_lines(times, runs)
        lines += ["", *NOTES_ON_TIMING]
    lines += ["", END]
    return "\n".join(lines)


NOTES_ON_QUALITY = [
    "Confidence separates proposals below 0.6 (right about 60 % of the time here) from those above (about 80 %), no finer: the two upper bins are equal within the noise of 35 and 40 proposals, and the confidence formula was set on these same documents.",
    "",
    "These figures are optimistic. The cue lexicon, the weights and the thresholds in "
    "`src/stancecli/suggest/` were designed while reading these same five documents, so leaving one "
    "document out hides its positions from the proposer but not from its designer; the column with only "
    "the cues named in the issue beforehand shows how much of the side accuracy rests on cues found "
    "in them. Expect less on a new hearing. Five documents and 100 pairs are few: one pair is one "
    "percentage point.",
    "",
    "(c) counts a curated reported position as found when a candidate in `reported` overlaps its quote "
    "and names its organisation (`speaker_ids`). Sentences of the document's own that refer to another "
    "actor's view (\"Vi støtter Ekspertgruppens forslag\") are offered both as the document's own "
    "quote and as that actor's reported view; descriptions of the hearing proposal (\"I "
    "høringsforslaget ...\", \"Det understrekes i utkastet ...\") are attributed to the proposal, "
    "which names no organisation, so they count as misses in (c).",
]
NOTES_ON_TIMING = [
    "The 50 MB source is the search benchmark's synthetic corpus (`bench/gen_corpus.py`, seed "
    "sentences recombined and re-wrapped) concatenated into one file; the baseline reads it and lists "
    "its words with one regular expression, which any proposer must at least do. Past 4 MiB the "
    "proposer splits sentences with a plain splitter instead of the search library's careful one, and "
    "it tokenises and scores each distinct sentence once: the synthetic source repeats the seeds' "
    "sentences (about 63,000 distinct of 630,000), which flatters it. The last row is the same "
    "source with a number written into every sentence, so that all of them are distinct (the "
    "vocabulary stays the seeds'): closer to the worst case of a real 50 MB text.",
]


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def _goal_lines(tally: Tally, times: dict[str, list[float]] | None) -> list[str]:
    recall = tally.recall_hit / max(tally.recall_all, 1)
    right = tally.side_right / max(tally.pairs, 1)
    out = ["Goals in this run:", "",
           f"- (a) top-3 quote ≥ {GOALS['recall']:.2f}: {_verdict(recall >= GOALS['recall'])} ({recall:.2f})",
           f"- (b) right side ≥ {GOALS['side']:.2f}: {_verdict(right >= GOALS['side'])} ({right:.2f}; "
           f"trivial baselines {tally.majority_right / max(tally.pairs, 1):.2f} and "
           f"{tally.absent_right / max(tally.pairs, 1):.2f})"]
    if times:
        small, big = (statistics.median(v) for k, v in list(times.items())[1:4:2])
        out += [f"- all codebook issues of the largest seed in ≤ 2 s: {_verdict(small <= 2)} ({small:.2f} s)",
                f"- a 50 MB source in ≤ 10 s: {_verdict(big <= 10)} ({big:.2f} s on the synthetic source; "
                "see the note under the timings)"]
    return out


def _timing_lines(times: dict[str, list[float]], runs: int) -> list[str]:
    names = list(times)
    base_small, small, base_big, big, distinct = (statistics.median(times[n]) for n in names)
    out = ["", f"Wall time of the whole process, median of {runs} interleaved runs, stdout to a pipe:", "",
           "| command | median | ratio to its baseline | goal |", "|---|---:|---:|---:|"]
    out.append(f"| `{names[0]}` | {base_small * 1000:.0f} ms | 1.0× | |")
    out.append(f"| `{names[1]}` | {small * 1000:.0f} ms | {small / base_small:.1f}× | ≤ 2 s |")
    out.append(f"| {names[2]} | {base_big:.2f} s | 1.0× | |")
    out.append(f"| `{names[3]}` | {big:.2f} s | {big / base_big:.1f}× | ≤ 10 s |")
    out.append(f"| {names[4]} | {distinct:.2f} s | {distinct / base_big:.1f}× | |")
    return out


def write(section: str) -> None:
    replace_section(DOC, BEGIN, END, section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out" / "suggest")
    args = parser.parse_args()
    tally = evaluate(load_or_fail(DATA))
    brief = _with_cues(BRIEF_CUES, lambda: evaluate(load_or_fail(DATA)))
    times = None
    if not args.no_timing:
        args.workdir.mkdir(parents=True, exist_ok=True)
        times = timings(args.runs, args.workdir)
    section = report(tally, times, args.runs, brief)
    print(section)
    if args.write:
        write(section)


if __name__ == "__main__":
    main()


def mismatches() -> None:
    """Debugging aid: the pairs whose side is wrong."""
    ds = load_or_fail(DATA)
    codebook = [k for k, i in ds.issues.items() if i.codebook]
    for doc_id, document in ds.documents.items():
        source = read_source(document.path)
        for p in propose(without(ds, doc_id), doc_id, source, codebook, limit=TOP):
            truth = _truth(ds, doc_id, p.issue)
            if truth and side(truth) != side(p.stance):
                top = p.quotes[0].quote[:100] if p.quotes else ""
                print(f"{doc_id:12} {p.issue:28} curated {truth:16} proposed {p.stance:16} {p.confidence:.2f} "
                      f"{'; '.join(p.reasons)[:120]} | {top}")


def reported_misses() -> None:
    """Debugging aid: curated reported positions not offered as the right actor's."""
    ds = load_or_fail(DATA)
    for doc_id, document in ds.documents.items():
        source = read_source(document.path)
        for position in (p for p in ds.positions if p.reported_by == doc_id):
            (proposal,) = propose(without(ds, doc_id), doc_id, source, [position.issue], limit=TOP)
            curated = spans(source, [q.text for q in position.quotes])
            got = [(c.speaker, c.speaker_ids) for c in proposal.reported if overlaps(curated, spans(source, [c.quote]))]
            own = overlaps(curated, spans(source, [c.quote for c in proposal.quotes]))
            if not any(position.organisation in ids for _, ids in got):
                print(f"{doc_id:12} {position.issue:24} {position.organisation:20} got={got} own={own} | "
                      f"{position.quotes[0].text[:110]}")


def recall_misses() -> None:
    """Debugging aid: curated own positions whose quote is not among the top quotes."""
    ds = load_or_fail(DATA)
    codebook = [k for k, i in ds.issues.items() if i.codebook]
    for doc_id, document in ds.documents.items():
        source = read_source(document.path)
        proposals = {p.issue: p for p in propose(without(ds, doc_id), doc_id, source, codebook, limit=TOP)}
        for position in (p for p in ds.positions if p.document == doc_id and p.issue in proposals):
            curated = spans(source, [q.text for q in position.quotes])
            offered = proposals[position.issue].quotes
            if not overlaps(curated, spans(source, [c.quote for c in offered])):
                print(f"{doc_id:12} {position.issue:26} {proposals[position.issue].stance:14} | "
                      f"{position.quotes[0].text[:90]} || {offered[0].quote[:60] if offered else ''}")
