#!/usr/bin/env python3
"""Generate a large synthetic dataset: N organisations x M issues, valid under `stancecli validate`.

Every quote is written verbatim into the organisation's synthetic source, so the tool finds it;
the first 20 issues are codebook issues, and every document decides each of them (a position or
`not_addressed`), unless --undecided leaves some pairs open. Deterministic for a given --seed.
For tests and benchmarks only: the bundled dataset stays the five real responses.

    python3 bench/gen_dataset.py /tmp/big --orgs 50 --issues 60
    stancecli map --data /tmp/big/data
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

KINDS = ("union", "municipality", "employer-organisation", "state-agency", "ngo", "other")
STANCES = ("strongly-for", "for", "mixed", "against", "strongly-against")
CODEBOOK = 20
WORDS = ("arbeidsmarkedstiltak", "oppfølging", "brukerne", "kvalitet", "NAV-kontorene", "anbud",
         "egenregi", "tiltaksarrangører", "kompetanse", "finansiering", "samarbeid", "arbeidsgivere",
         "forutsigbarhet", "kommunene", "tjenestene", "ressurser", "utprøving", "evaluering")
NAME_PARTS = ("Norsk", "Landsforbundet", "Foreningen", "Kommune", "Forbundet", "Rådet", "Senteret",
              "for", "arbeid", "og", "velferd", "inkludering", "Vest", "Nord", "Sør", "Øst")


def _sentence(rng: random.Random, n: int, tag: str) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return f"Vi {tag} at {' '.join(words)} må vurderes nøye."


def _org_name(rng: random.Random, i: int) -> str:
    return " ".join(rng.choice(NAME_PARTS) for _ in range(rng.randint(2, 5))) + f" {i + 1}"


def build(root: Path, orgs: int, issues: int, seed: int = 1, undecided: int = 0, share: float = 0.5) -> Path:
    """Write root/data/stances.yaml and root/seeds/*.txt; return the dataset path."""
    rng = random.Random(seed)
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    keys = [f"sak-{i + 1:02d}" for i in range(issues)]
    out = ["version: 1", "organisations:"]
    for i in range(orgs):
        out.append(f"- {{id: org-{i + 1:02d}, name: {json.dumps(_org_name(rng, i), ensure_ascii=False)}, "
                   f"short: {json.dumps(f'Org {i + 1}')}, kind: {KINDS[i % len(KINDS)]}}}")
    out.append("documents:")
    for i in range(orgs):
        out.append(f"- {{id: doc-{i + 1:02d}, organisation: org-{i + 1:02d}, title: \"Høringssvar {i + 1}\", "
                   f"hearing: \"Syntetisk høring\", year: {2010 + i % 8}, source: ../seeds/doc-{i + 1:02d}.txt}}")
    out.append("issues:")
    for n, key in enumerate(keys):
        codebook = "codebook: true, " if n < CODEBOOK else ""
        out.append(f"- {{key: {key}, {codebook}title: {{nb: \"Sak {n + 1}\", en: \"Issue {n + 1}\"}}, "
                   f"proposal: {{nb: \"Forslag {n + 1}\", en: \"Proposal {n + 1}\"}}}}")
    out.append("positions:")
    silent: dict[str, list[str]] = {}
    left_open = 0
    for i in range(orgs):
        doc = f"doc-{i + 1:02d}"
        lines = [f"Høringssvar fra organisasjon {i + 1}", ""]
        for n, key in enumerate(keys):
            if rng.random() > share:
                if n < CODEBOOK:
                    if left_open < undecided:
                        left_open += 1
                    else:
                        silent.setdefault(doc, []).append(key)
                continue
            quote = _sentence(rng, rng.randint(6, 30), f"mener om {key}")
            lines += [quote, ""]
            summary = _sentence(rng, rng.randint(4, 20), "oppsummerer")
            out += [f"- issue: {key}", f"  document: {doc}", f"  stance: {rng.choice(STANCES)}",
                    f"  summary: {{nb: {json.dumps(summary, ensure_ascii=False)}, en: \"Summary\"}}",
                    f"  quotes: [{json.dumps(quote, ensure_ascii=False)}]"]
        (root / "seeds" / f"{doc}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out.append("not_addressed:")
    out += [f"  {doc}: [{', '.join(ks)}]" for doc, ks in silent.items()]
    path = root / "data" / "stances.yaml"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--orgs", type=int, default=50)
    parser.add_argument("--issues", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--undecided", type=int, default=0, help="codebook pairs to leave uncoded")
    args = parser.parse_args()
    print(build(args.root, args.orgs, args.issues, args.seed, args.undecided))


if __name__ == "__main__":
    main()
