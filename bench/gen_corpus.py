"""Synthetic consultation responses: sentences of the seeds recombined.

Each document gets a header with an invented organisation and case number (so
the vocabulary grows with the corpus, as real corpora do), then 20-150 seed
sentences in paragraphs, re-wrapped at 75-105 characters the way PDF text
extraction leaves them: lines break mid-sentence, long words are hyphenated at
line ends, some documents put a blank line after every line, some paragraphs
are bullets.

    python bench/gen_corpus.py 1000 bench/out/corpus-1000
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from stancecli.corpus import read_source  # noqa: E402
from stancecli.search import sentences, text  # noqa: E402

SYLLABLES = "ar be da fo gri hal ke lun mo nor pe ra sto ti ul va ves ber dal fjord".split()
KINDS = ["forening", "forbund", "kommune", "lag", "organisasjon", "senter", "råd"]


def seed_sentences(seed_dir: Path) -> list[str]:
    out = []
    for path in sorted(seed_dir.glob("*.txt")):
        src = read_source(path)
        prepared = text.prepare(src.text)
        for s, e in sentences.split(src.text):
            one, _ = text.one_line(prepared[s:e])
            if len(one.split()) >= 4:
                out.append(one)
    return out


def org_name(rnd: random.Random) -> str:
    word = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 3)))
    return f"{word.capitalize()} {rnd.choice(KINDS)}"


def wrap(paragraph: str, width: int, rnd: random.Random) -> list[str]:
    lines, line = [], ""
    for word in paragraph.split():
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        elif len(word) >= 10 and word.isalpha() and rnd.random() < 0.5:
            cut = rnd.randint(4, len(word) - 4)
            lines.append(f"{line} {word[:cut]}-")
            line = word[cut:]
        else:
            lines.append(line + " ")
            line = word
    if line:
        lines.append(line)
    return lines


def document(pool: list[str], rnd: random.Random, number: int) -> str:
    width = rnd.randint(75, 105)
    double = rnd.random() < 0.2
    head = f"Høringssvar fra {org_name(rnd)} - saksnr. {2010 + number % 10}/{rnd.randint(1000, 99999)}"
    paragraphs = [head]
    left = rnd.randint(20, 150)
    while left > 0:
        n = min(left, rnd.randint(1, 6))
        body = " ".join(rnd.choice(pool) for _ in range(n))
        paragraphs.append(("- " if n == 1 and rnd.random() < 0.3 else "") + body)
        left -= n
    lines: list[str] = []
    for para in paragraphs:
        lines.extend(wrap(para, width, rnd))
        lines.append("")
    sep = "\n\n" if double else "\n"
    return sep.join(lines) + "\n"


def generate(count: int, out: Path, seed: int = 20240601) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    pool = seed_sentences(ROOT / "seeds")
    rnd = random.Random(seed + count)
    for i in range(count):
        (out / f"doc-{i:05d}.txt").write_text(document(pool, rnd, i), encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("count", type=int)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    generate(args.count, args.out)


if __name__ == "__main__":
    main()
