"""Synthetic consultation responses: sentences of the seeds recombined.

Each document gets a header with an invented organisation and case number (so
the vocabulary grows with the corpus, as real corpora do), then 20-150 seed
sentences in paragraphs, re-wrapped at 75-105 characters the way PDF text
extraction leaves them: lines break mid-sentence, long words are hyphenated at
line ends, some documents put a blank line after every line, some paragraphs
are bullets.

With --rich-vocab each document also names RICH_TERMS invented compounds (two seed
words joined, as Norwegian joins them, with or without a linking s or e) and
personal names, as real hearings do: about 250,000 distinct terms at 10,000
documents, where the seed sentences alone give only a few thousand.

    python bench/gen_corpus.py 1000 bench/out/corpus-1000
    python bench/gen_corpus.py 10000 bench/out/rich-10000 --rich-vocab
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
RICH_TERMS = 32  # invented terms per document with --rich-vocab
LINKS = ["", "", "s", "e"]


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


def seed_words(pool: list[str]) -> list[str]:
    """Lower-case words of four letters or more from the seed sentences: compound parts."""
    words = {w.strip(".,;:()«»\"'!?–-").lower() for s in pool for w in s.split()}
    return sorted(w for w in words if len(w) >= 4 and w.isalpha())


def rich_terms(parts: list[str], rnd: random.Random) -> str:
    """A sentence of invented compounds and names: the long tail of a real vocabulary."""
    terms = []
    for _ in range(RICH_TERMS):
        if rnd.random() < 0.8:
            terms.append(rnd.choice(parts) + rnd.choice(LINKS) + rnd.choice(parts))
        else:
            terms.append(org_name(rnd).split()[0])
    return "Stikkord: " + ", ".join(terms) + "."


def document(pool: list[str], rnd: random.Random, number: int, parts: list[str] | None = None) -> str:
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
    if parts:
        paragraphs.append(rich_terms(parts, rnd))
    lines: list[str] = []
    for para in paragraphs:
        lines.extend(wrap(para, width, rnd))
        lines.append("")
    sep = "\n\n" if double else "\n"
    return sep.join(lines) + "\n"


def generate(count: int, out: Path, seed: int = 20240601, rich_vocab: bool = False) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    pool = seed_sentences(ROOT / "seeds")
    parts = seed_words(pool) if rich_vocab else None
    rnd = random.Random(seed + count)
    for i in range(count):
        (out / f"doc-{i:05d}.txt").write_text(document(pool, rnd, i, parts), encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("count", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--rich-vocab", action="store_true", help="add invented compounds and names")
    args = ap.parse_args()
    generate(args.count, args.out, rich_vocab=args.rich_vocab)


if __name__ == "__main__":
    main()
