"""Agreement between the two curation passes and the settled dataset, over the 100 codebook pairs.

Usage: python tools/compare_passes.py   (prints the figures recorded in docs/curation.md)
"""
from pathlib import Path

import yaml

root = Path(__file__).resolve().parents[1]
data = yaml.safe_load(open(root / "data/stances.yaml", encoding="utf-8"))
codebook = [i["key"] for i in data["issues"] if i.get("codebook")]
docs = [d["id"] for d in data["documents"]]
final = {(p["document"], p["issue"]): p["stance"] for p in data["positions"] if p.get("document")}
for doc, keys in data["not_addressed"].items():
    final.update({(doc, k): "absent" for k in keys})


def load(name):
    pairs = yaml.safe_load(open(root / "docs/curation" / name, encoding="utf-8"))["pairs"]
    return {(p["document"], p["issue"]): p["stance"] for p in pairs}


a, b = load("pass-a.yaml"), load("pass-b.yaml")
pairs = [(d, k) for d in docs for k in codebook]
SCORE = {"strongly-for": 2, "for": 1, "mixed": 0, "against": -1, "strongly-against": -2}


def agreement(x, y):
    exact = sum(x[p] == y[p] for p in pairs)
    both = [p for p in pairs if x[p] != "absent" and y[p] != "absent"]
    direction = sum((SCORE[x[p]] > 0) == (SCORE[y[p]] > 0) and (SCORE[x[p]] < 0) == (SCORE[y[p]] < 0) for p in both)
    presence = sum((x[p] == "absent") == (y[p] == "absent") for p in pairs)
    return exact, presence, direction, len(both)


for name, x, y in (("A vs B", a, b), ("final vs A", final, a), ("final vs B", final, b)):
    exact, presence, direction, both = agreement(x, y)
    print(f"{name}: exact {exact}/{len(pairs)}; addressed-or-not {presence}/{len(pairs)}; "
          f"same direction {direction}/{both} where both took a position")
print("pairs where A and B differed:")
for p in pairs:
    if a[p] != b[p]:
        print(f"  {p[0]}\t{p[1]}\tA={a[p]}\tB={b[p]}\tfinal={final[p]}")
